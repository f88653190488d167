#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiln::observability {

/// A W3C Trace Context (https://www.w3.org/TR/trace-context/): which trace a piece of work
/// belongs to and which span is its parent. All-zero ids are invalid by the standard.
struct TraceContext {
    std::array<uint8_t, 16> trace_id{};
    std::array<uint8_t, 8> span_id{};
    bool sampled = false;
    std::string tracestate;  // passed on untouched (vendor data); empty when absent or invalid

    bool valid() const;
    std::string TraceIdHex() const;
    std::string SpanIdHex() const;
    /// "00-<trace id>-<span id>-<01|00>".
    std::string Traceparent() const;
};

/// Parses a `traceparent` header. Version 00 must have exactly four fields; a higher version may
/// carry more (the standard's forward compatibility rule). Anything malformed is nullopt, and the
/// request then starts a new trace, as the standard asks.
std::optional<TraceContext> ParseTraceparent(std::string_view header);

/// A `tracestate` header kept only when it is plausibly well formed (bounded size, at most 32
/// list members, printable ASCII); otherwise dropped, never rejected.
std::string SanitizeTracestate(std::string_view header);

/// The text a job row's trace_context column holds: the traceparent, then a space and the
/// tracestate when there is one (a traceparent never contains a space).
std::string ToCarrier(const TraceContext& context);
std::optional<TraceContext> FromCarrier(std::string_view carrier);

/// Fresh random ids (never all zero).
std::array<uint8_t, 16> NewTraceId();
std::array<uint8_t, 8> NewSpanId();

template <size_t N>
std::string ToHex(const std::array<uint8_t, N>& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(N * 2, '0');
    for (size_t i = 0; i < N; ++i) {
        out[2 * i] = kDigits[bytes[i] >> 4];
        out[2 * i + 1] = kDigits[bytes[i] & 0xF];
    }
    return out;
}

}  // namespace kiln::observability
