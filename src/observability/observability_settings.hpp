#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "core/settings/registry.hpp"

namespace kiln::observability {

/// Observability settings, declared by this module itself (DeclareSettings) so the core Config
/// stays about serving. The OTEL_* names and meanings are the OpenTelemetry SDK's own
/// (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/), so an
/// operator's existing collector setup carries over.
struct ObservabilitySettings {
    bool metrics_enabled = true;  // KILN_METRICS (0 turns collection off, e.g. for benchmarks)
    std::string metrics_token;    // KILN_METRICS_TOKEN: when set, /metrics requires "Bearer <token>"
    bool access_log = true;       // KILN_ACCESS_LOG: one info line per request

    std::string otlp_endpoint;                       // OTEL_EXPORTER_OTLP_ENDPOINT (base; /v1/traces is added)
    std::string otlp_traces_endpoint;                // OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (full URL, wins)
    std::string otlp_headers;                        // OTEL_EXPORTER_OTLP_HEADERS (k=v,k2=v2)
    std::chrono::milliseconds otlp_timeout{10000};   // OTEL_EXPORTER_OTLP_TIMEOUT
    std::string service_name = "kiln";               // OTEL_SERVICE_NAME
    std::string resource_attributes;                 // OTEL_RESOURCE_ATTRIBUTES (k=v,k2=v2)
    std::string sampler = "parentbased_always_on";   // OTEL_TRACES_SAMPLER
    std::string sampler_arg;                         // OTEL_TRACES_SAMPLER_ARG (ratio for traceidratio)
    bool sdk_disabled = false;                       // OTEL_SDK_DISABLED
    size_t max_queue_size = 2048;                    // OTEL_BSP_MAX_QUEUE_SIZE (finished spans waiting)
    size_t max_export_batch_size = 512;              // OTEL_BSP_MAX_EXPORT_BATCH_SIZE
    std::chrono::milliseconds schedule_delay{1000};  // OTEL_BSP_SCHEDULE_DELAY

    /// The URL spans are POSTed to; empty = tracing exports nothing.
    std::string TracesUrl() const;
};

/// Declares the KILN_METRICS*, KILN_ACCESS_LOG and OTEL_* settings, bound to `settings`.
void DeclareSettings(settings::Registry& registry, ObservabilitySettings& settings);

}  // namespace kiln::observability
