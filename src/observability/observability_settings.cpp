#include "observability/observability_settings.hpp"

#include "core/settings/setting_kinds.hpp"
#include "observability/sampler.hpp"

namespace kiln::observability {

namespace {

using settings::Bool;
using settings::Choice;
using settings::Duration;
using settings::Integer;
using settings::Text;
using settings::Url;

}  // namespace

void DeclareSettings(settings::Registry& r, ObservabilitySettings& s) {
    r.Add(Bool("KILN_METRICS", s.metrics_enabled, "`0` turns metric collection off (`/metrics` answers 404)"));
    r.Add(Text("KILN_METRICS_TOKEN", s.metrics_token,
               "when set, `GET /metrics` requires `Authorization: Bearer <token>`"));
    r.Add(Bool("KILN_ACCESS_LOG", s.access_log,
               "one JSON access line per request (method, route, path, status, duration, ids) at info level"));
    r.Add(Url("OTEL_EXPORTER_OTLP_ENDPOINT", s.otlp_endpoint, {"http", "https"},
              "OTLP/HTTP collector base URL; spans are POSTed as JSON to `<url>/v1/traces`. Unset: no export "
              "(ids still propagate)"));
    r.Add(Url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", s.otlp_traces_endpoint, {"http", "https"},
              "full traces URL (wins over the base URL)"));
    r.Add(Text("OTEL_EXPORTER_OTLP_HEADERS", s.otlp_headers, "extra headers of the export, `k=v,k2=v2`"));
    r.Add(Duration("OTEL_EXPORTER_OTLP_TIMEOUT", s.otlp_timeout, settings::kAtLeastOne, "export timeout in ms"));
    r.Add(Text("OTEL_SERVICE_NAME", s.service_name, "`service.name` of the spans"));
    r.Add(Text("OTEL_RESOURCE_ATTRIBUTES", s.resource_attributes, "more resource attributes, `k=v,k2=v2`"));
    r.Add(Choice("OTEL_TRACES_SAMPLER", s.sampler,
                 {"always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off",
                  "parentbased_traceidratio"},
                 "`always_on`, `always_off`, `traceidratio` (ratio in the argument) and their `parentbased_` forms"));
    r.Add(Text("OTEL_TRACES_SAMPLER_ARG", s.sampler_arg,
               "the sampler's argument: the ratio (0 to 1) of "
               "`traceidratio`"));
    r.Add(Integer("OTEL_BSP_MAX_QUEUE_SIZE", s.max_queue_size, settings::kAtLeastOne,
                  "finished spans waiting for export (more are dropped and counted)"));
    r.Add(
        Integer("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", s.max_export_batch_size, settings::kAtLeastOne, "spans per export"));
    r.Add(Duration("OTEL_BSP_SCHEDULE_DELAY", s.schedule_delay, settings::kAtLeastOne, "ms between exports"));
    r.Add(Bool("OTEL_SDK_DISABLED", s.sdk_disabled, "`true`: no export whatever the endpoint"));
    // The sampler and its argument are one setting in two variables: checked together, at start.
    r.AddCheck([&s] { (void)Sampler::FromSetting(s.sampler, s.sampler_arg); });
}

std::string ObservabilitySettings::TracesUrl() const {
    if (!otlp_traces_endpoint.empty()) return otlp_traces_endpoint;
    if (otlp_endpoint.empty()) return "";
    std::string base = otlp_endpoint;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/v1/traces";
}

}  // namespace kiln::observability
