#include "observability/trace_context.hpp"

#include <algorithm>
#include <random>

namespace kiln::observability {

namespace {

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;  // the standard allows lowercase hex only
}

template <size_t N>
bool ParseHex(std::string_view text, std::array<uint8_t, N>& out) {
    if (text.size() != N * 2) return false;
    for (size_t i = 0; i < N; ++i) {
        const int high = HexValue(text[2 * i]);
        const int low = HexValue(text[2 * i + 1]);
        if (high < 0 || low < 0) return false;
        out[i] = static_cast<uint8_t>((high << 4) | low);
    }
    return true;
}

template <size_t N>
bool AllZero(const std::array<uint8_t, N>& bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

/// Per-thread generator: ids are not secrets, but they must not collide across threads.
std::mt19937_64& Engine() {
    thread_local std::mt19937_64 engine{[] {
        std::random_device device;
        return (static_cast<uint64_t>(device()) << 32) ^ device();
    }()};
    return engine;
}

template <size_t N>
std::array<uint8_t, N> RandomId() {
    std::array<uint8_t, N> id{};
    do {
        for (size_t i = 0; i < N; i += 8) {
            const uint64_t bits = Engine()();
            for (size_t j = 0; j < 8 && i + j < N; ++j) id[i + j] = static_cast<uint8_t>(bits >> (8 * j));
        }
    } while (AllZero(id));
    return id;
}

}  // namespace

bool TraceContext::valid() const {
    return !AllZero(trace_id) && !AllZero(span_id);
}

std::string TraceContext::TraceIdHex() const {
    return ToHex(trace_id);
}

std::string TraceContext::SpanIdHex() const {
    return ToHex(span_id);
}

std::string TraceContext::Traceparent() const {
    return "00-" + TraceIdHex() + "-" + SpanIdHex() + (sampled ? "-01" : "-00");
}

std::optional<TraceContext> ParseTraceparent(std::string_view header) {
    // version(2) - trace id(32) - parent id(16) - flags(2)
    constexpr size_t kLength = 55;
    if (header.size() < kLength) return std::nullopt;
    if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
    std::array<uint8_t, 1> version{};
    std::array<uint8_t, 1> flags{};
    TraceContext context;
    if (!ParseHex(header.substr(0, 2), version) || version[0] == 0xFF) return std::nullopt;
    if (!ParseHex(header.substr(3, 32), context.trace_id) || !ParseHex(header.substr(36, 16), context.span_id) ||
        !ParseHex(header.substr(53, 2), flags))
        return std::nullopt;
    if (version[0] == 0 && header.size() != kLength) return std::nullopt;
    if (version[0] != 0 && header.size() > kLength && header[kLength] != '-') return std::nullopt;
    if (!context.valid()) return std::nullopt;
    context.sampled = (flags[0] & 0x01) != 0;
    return context;
}

std::string SanitizeTracestate(std::string_view header) {
    constexpr size_t kMaxBytes = 512;
    constexpr int kMaxMembers = 32;
    if (header.empty() || header.size() > kMaxBytes) return "";
    int members = 1;
    for (const char c : header) {
        if (c < 0x20 || c > 0x7E) return "";
        if (c == ',') ++members;
    }
    return members > kMaxMembers ? "" : std::string(header);
}

std::string ToCarrier(const TraceContext& context) {
    return context.tracestate.empty() ? context.Traceparent() : context.Traceparent() + " " + context.tracestate;
}

std::optional<TraceContext> FromCarrier(std::string_view carrier) {
    const auto space = carrier.find(' ');
    auto context = ParseTraceparent(carrier.substr(0, space));
    if (context && space != std::string_view::npos) context->tracestate = SanitizeTracestate(carrier.substr(space + 1));
    return context;
}

std::array<uint8_t, 16> NewTraceId() {
    return RandomId<16>();
}

std::array<uint8_t, 8> NewSpanId() {
    return RandomId<8>();
}

}  // namespace kiln::observability
