#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "observability/trace_context.hpp"

namespace kiln::observability {

/// OTLP span kinds (the numbers are the protocol's).
enum class SpanKind { kInternal = 1, kServer = 2, kClient = 3, kProducer = 4, kConsumer = 5 };

using AttributeValue = std::variant<std::string, int64_t, double, bool>;

/// A finished span as exported.
struct SpanData {
    TraceContext context;
    std::optional<std::array<uint8_t, 8>> parent_span_id;
    std::string name;
    SpanKind kind = SpanKind::kInternal;
    uint64_t start_unix_nanos = 0;
    uint64_t end_unix_nanos = 0;
    std::vector<std::pair<std::string_view, AttributeValue>> attributes;  // keys are literals
    bool error = false;
    std::string status_message;
};

/// One operation of a trace. Cheap when tracing is off: an unsampled span only carries its
/// context (so logs, jobs and outbound calls still propagate ids) and records nothing. Ends when
/// End() is called or when destroyed. Move-only; not shared between threads.
class Span final {
  public:
    Span() = default;
    ~Span() { End(); }
    Span(Span&& other) noexcept = default;
    Span& operator=(Span&& other) noexcept;
    Span(const Span&) = delete;
    Span& operator=(const Span&) = delete;

    /// A span of a new or remote trace: the request's server span, a job's consumer span.
    /// `remote_parent` (from traceparent or a job row) makes it a child in that trace.
    static Span StartRoot(std::string name, SpanKind kind, const std::optional<TraceContext>& remote_parent);
    /// A child of the thread's current context (see ScopedContext); a span that records nothing
    /// when there is none, so background polling does not produce traces of its own.
    static Span StartChild(std::string name, SpanKind kind);

    const TraceContext& context() const { return context_; }
    /// True when attributes are kept and the span will be exported.
    bool recording() const { return data_ != nullptr; }

    void SetName(std::string name);
    /// `key` must outlive the span: a literal, as every semantic-convention key in Kiln is.
    void SetAttribute(std::string_view key, AttributeValue value);
    void SetError(std::string message);
    void End();

  private:
    TraceContext context_;
    std::unique_ptr<SpanData> data_;
};

/// Makes `context` the current one of this thread until destroyed (then the previous one is
/// back): children, job rows, outbound calls and log lines take their parent from it.
class ScopedContext final {
  public:
    explicit ScopedContext(const TraceContext& context);
    ~ScopedContext();
    ScopedContext(const ScopedContext&) = delete;
    ScopedContext& operator=(const ScopedContext&) = delete;

  private:
    const TraceContext* previous_;
};

/// The current context of this thread, or nullptr.
const TraceContext* CurrentContext();

}  // namespace kiln::observability
