#include "observability/otlp_json.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/json_text.hpp"
#include "core/strings.hpp"

namespace kiln::observability {

namespace {

std::string PercentDecode(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const std::string hex = text.substr(i + 1, 2);
            char* end = nullptr;
            const long value = std::strtol(hex.c_str(), &end, 16);
            if (hex.size() == 2 && end == hex.c_str() + 2) {
                out.push_back(static_cast<char>(value));
                i += 2;
                continue;
            }
        }
        out.push_back(text[i]);
    }
    return out;
}

void AppendAnyValue(std::string& out, const AttributeValue& value) {
    if (const auto* text = std::get_if<std::string>(&value)) {
        out += "{\"stringValue\":";
        json_text::AppendString(out, *text);
    } else if (const auto* number = std::get_if<int64_t>(&value)) {
        out += R"({"intValue":")";
        out += std::to_string(*number);
        out += '"';
    } else if (const auto* real = std::get_if<double>(&value)) {
        out += "{\"doubleValue\":";
        out += std::isfinite(*real) ? fmt::format("{}", *real) : "0";
    } else {
        out += "{\"boolValue\":";
        out += std::get<bool>(value) ? "true" : "false";
    }
    out += '}';
}

template <typename Attributes>
void AppendAttributes(std::string& out, const Attributes& attributes) {
    out += '[';
    bool first = true;
    for (const auto& [key, value] : attributes) {
        if (!first) out += ',';
        first = false;
        out += "{\"key\":";
        json_text::AppendString(out, key);
        out += ",\"value\":";
        AppendAnyValue(out, AttributeValue(value));
        out += '}';
    }
    out += ']';
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ResourceAttributes(const std::string& service_name,
                                                                    const std::string& resource_setting) {
    std::vector<std::pair<std::string, std::string>> attributes;
    size_t start = 0;
    while (start <= resource_setting.size() && !resource_setting.empty()) {
        const size_t comma = resource_setting.find(',', start);
        const std::string item =
            resource_setting.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const size_t equals = item.find('=');
        if (equals != std::string::npos) {
            const std::string key(strings::Trim(item.substr(0, equals)));
            if (!key.empty() && key != "service.name")
                attributes.emplace_back(key, PercentDecode(std::string(strings::Trim(item.substr(equals + 1)))));
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    attributes.emplace(attributes.begin(), "service.name", service_name);
    attributes.emplace_back("service.version", KILN_VERSION);
    attributes.emplace_back("telemetry.sdk.name", "kiln");
    attributes.emplace_back("telemetry.sdk.language", "cpp");
    return attributes;
}

std::string OtlpTraceRequest(const std::vector<std::pair<std::string, std::string>>& resource,
                             const std::vector<std::unique_ptr<SpanData>>& spans) {
    std::string out;
    out.reserve(256 + spans.size() * 640);
    out += R"({"resourceSpans":[{"resource":{"attributes":)";
    AppendAttributes(out, resource);
    out += "},\"scopeSpans\":[{\"scope\":{\"name\":\"kiln\",\"version\":\"" KILN_VERSION "\"},\"spans\":[";
    bool first = true;
    for (const auto& span : spans) {
        if (!first) out += ',';
        first = false;
        out += R"({"traceId":")";
        out += span->context.TraceIdHex();
        out += R"(","spanId":")";
        out += span->context.SpanIdHex();
        out += '"';
        if (span->parent_span_id) {
            out += R"(,"parentSpanId":")";
            out += ToHex(*span->parent_span_id);
            out += '"';
        }
        if (!span->context.tracestate.empty()) {
            out += ",\"traceState\":";
            json_text::AppendString(out, span->context.tracestate);
        }
        out += ",\"name\":";
        json_text::AppendString(out, span->name);
        out += fmt::format(R"(,"kind":{},"startTimeUnixNano":"{}","endTimeUnixNano":"{}","attributes":)",
                           static_cast<int>(span->kind), span->start_unix_nanos, span->end_unix_nanos);
        AppendAttributes(out, span->attributes);
        out += R"(,"status":{"code":)";
        out += span->error ? "2" : "0";
        if (span->error && !span->status_message.empty()) {
            out += ",\"message\":";
            json_text::AppendString(out, span->status_message);
        }
        out += "}}";
    }
    out += "]}]}]}";
    return out;
}

}  // namespace kiln::observability
