// application/x-www-form-urlencoded bodies (Twilio callbacks arrive as forms) and percent-decoding of URL
// parts: malformed escapes throw std::invalid_argument and nothing else, and what parses survives a round trip
// through the encoder Kiln uses for outgoing forms.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/form_encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto pairs = kiln::ParseFormUrlEncoded(text);
        const std::string encoded = kiln::FormUrlEncode(pairs);
        if (kiln::ParseFormUrlEncoded(encoded) != pairs) __builtin_trap();
    } catch (const std::invalid_argument&) {
        // a malformed escape: the caller answers 400
    }
    try {
        const std::string decoded = kiln::PercentDecode(text);
        if (kiln::PercentDecode(kiln::PercentEncode(decoded)) != decoded) __builtin_trap();
        if (kiln::PercentDecode(kiln::PercentEncode(decoded, true)) != decoded) __builtin_trap();
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
