#include "observability/observability_settings.hpp"

#include <cstdlib>
#include <stdexcept>

namespace kiln::observability {

namespace {

const char* Env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : nullptr;
}

void ReadString(const char* name, std::string& out) {
    if (const char* v = Env(name)) out = v;
}

void ReadBool(const char* name, bool& out) {
    if (const char* v = Env(name)) {
        const std::string text = v;
        if (text == "1" || text == "true" || text == "on" || text == "yes") {
            out = true;
        } else if (text == "0" || text == "false" || text == "off" || text == "no") {
            out = false;
        } else {
            throw std::runtime_error(std::string("environment variable ") + name + " must be true or false");
        }
    }
}

template <typename Int>
void ReadCount(const char* name, Int& out) {
    if (const char* v = Env(name)) {
        try {
            const long long parsed = std::stoll(v);
            if (parsed <= 0) throw std::invalid_argument("not positive");
            out = static_cast<Int>(parsed);
        } catch (const std::exception&) {
            throw std::runtime_error(std::string("environment variable ") + name + " must be a positive integer");
        }
    }
}

void ReadMillis(const char* name, std::chrono::milliseconds& out) {
    long long count = out.count();
    ReadCount(name, count);
    out = std::chrono::milliseconds(count);
}

}  // namespace

ObservabilitySettings ObservabilitySettings::FromEnvironment() {
    ObservabilitySettings s;
    ReadBool("KILN_METRICS", s.metrics_enabled);
    ReadString("KILN_METRICS_TOKEN", s.metrics_token);
    ReadBool("KILN_ACCESS_LOG", s.access_log);
    ReadString("OTEL_EXPORTER_OTLP_ENDPOINT", s.otlp_endpoint);
    ReadString("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", s.otlp_traces_endpoint);
    ReadString("OTEL_EXPORTER_OTLP_HEADERS", s.otlp_headers);
    ReadMillis("OTEL_EXPORTER_OTLP_TIMEOUT", s.otlp_timeout);
    ReadString("OTEL_SERVICE_NAME", s.service_name);
    ReadString("OTEL_RESOURCE_ATTRIBUTES", s.resource_attributes);
    ReadString("OTEL_TRACES_SAMPLER", s.sampler);
    ReadString("OTEL_TRACES_SAMPLER_ARG", s.sampler_arg);
    ReadBool("OTEL_SDK_DISABLED", s.sdk_disabled);
    ReadCount("OTEL_BSP_MAX_QUEUE_SIZE", s.max_queue_size);
    ReadCount("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", s.max_export_batch_size);
    ReadMillis("OTEL_BSP_SCHEDULE_DELAY", s.schedule_delay);
    return s;
}

std::string ObservabilitySettings::TracesUrl() const {
    if (!otlp_traces_endpoint.empty()) return otlp_traces_endpoint;
    if (otlp_endpoint.empty()) return "";
    std::string base = otlp_endpoint;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/v1/traces";
}

}  // namespace kiln::observability
