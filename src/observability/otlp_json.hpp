#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "observability/span.hpp"

namespace kiln::observability {

/// The resource every span of this process belongs to: service.name, service.version and the
/// pairs of OTEL_RESOURCE_ATTRIBUTES ("k=v,k2=v2", values percent-decoded as the spec says).
std::vector<std::pair<std::string, std::string>> ResourceAttributes(const std::string& service_name,
                                                                    const std::string& resource_setting);

/// One OTLP/HTTP JSON ExportTraceServiceRequest (resourceSpans → scopeSpans → spans) with the
/// encoding rules of the protocol's JSON mapping: ids in lowercase hex, 64-bit integers as strings.
/// Written by hand into one string: the exporter serialises every span of the process, and
/// building nlohmann::json trees first cost several times more.
std::string OtlpTraceRequest(const std::vector<std::pair<std::string, std::string>>& resource,
                             const std::vector<std::unique_ptr<SpanData>>& spans);

}  // namespace kiln::observability
