#pragma once

#include <atomic>
#include <memory>

#include "observability/observability_settings.hpp"
#include "observability/sampler.hpp"
#include "observability/span.hpp"

namespace kiln::observability {

class SpanExporter;

/// Process-wide tracing state: the sampler and, when an OTLP endpoint is set, the batch exporter.
/// Configure() once at start (before request threads exist), Shutdown() at exit to flush.
/// Without Configure() nothing is exported, but ids are still made and propagated.
class Tracer final {
  public:
    static Tracer& Instance();

    void Configure(const ObservabilitySettings& settings);
    /// Stops the exporter after one last flush (bounded by the export timeout).
    void Shutdown();

    bool ShouldSample(const TraceContext* parent, const std::array<uint8_t, 16>& trace_id) const;
    /// True when finished spans go somewhere; read on every span start, so it is an atomic.
    bool exporting() const { return exporting_.load(std::memory_order_relaxed); }
    void Export(std::unique_ptr<SpanData> span);

    /// For /health and the summary: "disabled", "up" or "degraded", with queue figures.
    struct Status {
        std::string state;
        uint64_t exported = 0;
        uint64_t dropped = 0;
        uint64_t failed = 0;
        size_t queued = 0;
        std::string endpoint;
    };
    Status status() const;

  private:
    Tracer() = default;
    Sampler sampler_ = Sampler::FromSetting("parentbased_always_on", "");
    std::atomic<bool> exporting_{false};
    std::unique_ptr<SpanExporter> exporter_;
};

}  // namespace kiln::observability
