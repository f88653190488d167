#include "core/uuid.hpp"

#include <sodium.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace kiln {

std::string NewUuidV7() {
    // Monotonic within the process: the 12-bit rand_a field carries a counter when two ids
    // share a millisecond (RFC 9562 §6.2, method 1), so ids created in order sort in order.
    static std::atomic<uint64_t> last{0};
    const auto now_ms = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    uint64_t candidate = now_ms << 12;
    uint64_t previous = last.load();
    uint64_t chosen = 0;
    do {
        chosen = candidate > previous ? candidate : previous + 1;
    } while (!last.compare_exchange_weak(previous, chosen));
    const uint64_t ms = chosen >> 12;
    const uint64_t seq = chosen & 0xfff;

    std::array<uint8_t, 16> b{};
    randombytes_buf(b.data(), b.size());
    for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(ms >> (40 - 8 * i));
    b[6] = static_cast<uint8_t>(0x70 | (seq >> 8));
    b[7] = static_cast<uint8_t>(seq & 0xff);
    b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);

    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(kHex[b[i] >> 4]);
        out.push_back(kHex[b[i] & 0xf]);
    }
    return out;
}

bool IsUuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

}  // namespace kiln
