#include "observability/tracer.hpp"

#include <curl/curl.h>

#include "core/log.hpp"
#include "observability/span_exporter.hpp"

namespace kiln::observability {

Tracer& Tracer::Instance() {
    static Tracer tracer;
    return tracer;
}

void Tracer::Configure(const ObservabilitySettings& settings) {
    sampler_ = Sampler::FromSetting(settings.sampler, settings.sampler_arg);
    if (settings.sdk_disabled || settings.TracesUrl().empty() || sampler_.always_off()) return;
    curl_global_init(CURL_GLOBAL_DEFAULT);  // before threads; reference-counted with the egress client's
    exporter_ = std::make_unique<SpanExporter>(settings);
    exporting_.store(true);
    log::Info("exporting traces", {{"endpoint", exporter_->url()}, {"sampler", settings.sampler}});
}

void Tracer::Shutdown() {
    exporting_.store(false);
    if (exporter_) exporter_->Stop();
}

bool Tracer::ShouldSample(const TraceContext* parent, const std::array<uint8_t, 16>& trace_id) const {
    return sampler_.ShouldSample(parent, trace_id);
}

void Tracer::Export(std::unique_ptr<SpanData> span) {
    if (exporter_) exporter_->Enqueue(std::move(span));
}

Tracer::Status Tracer::status() const {
    if (!exporter_) return {"disabled", 0, 0, 0, 0, ""};
    return {exporter_->last_export_ok() ? "up" : "degraded",
            exporter_->exported(),
            exporter_->dropped(),
            exporter_->failed(),
            exporter_->queued(),
            exporter_->url()};
}

}  // namespace kiln::observability
