#include "observability/span.hpp"

#include <chrono>

#include "observability/tracer.hpp"

namespace kiln::observability {

namespace {

thread_local const TraceContext* current_context = nullptr;

uint64_t NowUnixNanos() {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

std::unique_ptr<SpanData> NewData(const TraceContext& context, std::string name, SpanKind kind) {
    auto data = std::make_unique<SpanData>();
    data->context = context;
    data->name = std::move(name);
    data->kind = kind;
    data->start_unix_nanos = NowUnixNanos();
    data->attributes.reserve(kind == SpanKind::kServer ? 12 : 6);  // what Kiln's spans set: one allocation
    return data;
}

}  // namespace

Span& Span::operator=(Span&& other) noexcept {
    if (this != &other) {
        End();
        context_ = std::move(other.context_);
        data_ = std::move(other.data_);
    }
    return *this;
}

Span Span::StartRoot(std::string name, SpanKind kind, const std::optional<TraceContext>& remote_parent) {
    Tracer& tracer = Tracer::Instance();
    Span span;
    span.context_.span_id = NewSpanId();
    if (remote_parent) {
        span.context_.trace_id = remote_parent->trace_id;
        span.context_.tracestate = remote_parent->tracestate;
    } else {
        span.context_.trace_id = NewTraceId();
    }
    span.context_.sampled = tracer.ShouldSample(remote_parent ? &*remote_parent : nullptr, span.context_.trace_id);
    if (span.context_.sampled && tracer.exporting()) {
        span.data_ = NewData(span.context_, std::move(name), kind);
        if (remote_parent) span.data_->parent_span_id = remote_parent->span_id;
    }
    return span;
}

Span Span::StartChild(std::string name, SpanKind kind) {
    const TraceContext* parent = CurrentContext();
    Span span;
    if (parent == nullptr) return span;
    span.context_.trace_id = parent->trace_id;
    span.context_.span_id = NewSpanId();
    span.context_.sampled = parent->sampled;
    span.context_.tracestate = parent->tracestate;
    if (span.context_.sampled && Tracer::Instance().exporting()) {
        span.data_ = NewData(span.context_, std::move(name), kind);
        span.data_->parent_span_id = parent->span_id;
    }
    return span;
}

void Span::SetName(std::string name) {
    if (data_) data_->name = std::move(name);
}

void Span::SetAttribute(std::string_view key, AttributeValue value) {
    if (data_) data_->attributes.emplace_back(key, std::move(value));
}

void Span::SetError(std::string message) {
    if (!data_) return;
    data_->error = true;
    data_->status_message = std::move(message);
}

void Span::End() {
    if (!data_) return;
    data_->end_unix_nanos = NowUnixNanos();
    Tracer::Instance().Export(std::move(data_));
}

ScopedContext::ScopedContext(const TraceContext& context) : previous_(current_context) {
    current_context = &context;
}

ScopedContext::~ScopedContext() {
    current_context = previous_;
}

const TraceContext* CurrentContext() {
    return current_context;
}

}  // namespace kiln::observability
