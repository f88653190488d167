#include "core/form_encoding.hpp"

#include <stdexcept>
#include <string>

namespace kiln {

namespace {

bool IsUnreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
}

/// Value of one hex digit, or -1.
int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string PercentEncode(std::string_view text, bool keep_slash) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (IsUnreserved(c) || (keep_slash && c == '/')) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xf]);
        }
    }
    return out;
}

std::string PercentDecode(std::string_view text, bool plus_as_space) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+' && plus_as_space) {
            out.push_back(' ');
        } else if (c == '%') {
            // Rejecting rather than passing a stray '%' through: a lenient decoder would let two parties read
            // the same bytes differently, which matters when the result is signed or compared.
            const int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
            const int low = high >= 0 ? HexValue(text[i + 2]) : -1;
            // The offset, not the text: form bodies carry tokens and this message may reach a log.
            if (low < 0) throw std::invalid_argument("malformed percent escape at offset " + std::to_string(i));
            out.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> ParseFormUrlEncoded(std::string_view body) {
    std::vector<std::pair<std::string, std::string>> pairs;
    while (!body.empty()) {
        const size_t amp = body.find('&');
        const std::string_view segment = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (segment.empty()) continue;
        const size_t eq = segment.find('=');
        const std::string_view name = segment.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? std::string_view{} : segment.substr(eq + 1);
        pairs.emplace_back(PercentDecode(name, true), PercentDecode(value, true));
    }
    return pairs;
}

std::string FormUrlEncode(const std::vector<std::pair<std::string, std::string>>& pairs) {
    std::string out;
    for (const auto& [name, value] : pairs) {
        if (!out.empty()) out.push_back('&');
        out += PercentEncode(name);
        out.push_back('=');
        out += PercentEncode(value);
    }
    return out;
}

}  // namespace kiln
