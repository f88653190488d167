#include "fake_shopify_docusign_util.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace kiln::testing::fake_detail {
inline namespace shopify_docusign {

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string EncodeWith(std::string_view bytes, const char* alphabet, bool pad) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const uint32_t n = (uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                           (uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                           uint32_t{static_cast<unsigned char>(bytes[i + 2])};
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += alphabet[n & 63];
    }
    const size_t rest = bytes.size() - i;
    if (rest == 1) {
        const uint32_t n = uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        if (pad) out += "==";
    } else if (rest == 2) {
        const uint32_t n = (uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                           (uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        if (pad) out += '=';
    }
    return out;
}

int ValueOf(char c, bool url) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (!url && c == '+') return 62;
    if (!url && c == '/') return 63;
    if (url && c == '-') return 62;
    if (url && c == '_') return 63;
    return -1;
}

/// Decodes unpadded symbols (length % 4 != 1); rejects non-zero trailing bits (non-canonical encodings).
std::optional<std::string> DecodeSymbols(std::string_view symbols, bool url) {
    if (symbols.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(symbols.size() * 3 / 4);
    uint32_t buffer = 0;
    int bits = 0;
    for (const char c : symbols) {
        const int v = ValueOf(c, url);
        if (v < 0) return std::nullopt;
        buffer = (buffer << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

bool ReadDigits(std::string_view text, size_t& pos, size_t count, int& value) {
    if (pos + count > text.size()) return false;
    value = 0;
    for (size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    pos += count;
    return true;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
    return EncodeWith(bytes, kB64, true);
}

std::optional<std::string> Base64Decode(std::string_view text, bool allow_whitespace) {
    std::string compact;
    compact.reserve(text.size());
    for (const char c : text) {
        if (allow_whitespace && (c == ' ' || c == '\r' || c == '\n' || c == '\t')) continue;
        compact += c;
    }
    if (compact.size() % 4 != 0) return std::nullopt;
    size_t padding = 0;
    while (padding < 2 && padding < compact.size() && compact[compact.size() - 1 - padding] == '=') ++padding;
    const std::string_view symbols(compact.data(), compact.size() - padding);
    if (symbols.find('=') != std::string_view::npos) return std::nullopt;
    return DecodeSymbols(symbols, false);
}

std::string Base64UrlEncode(std::string_view bytes) {
    return EncodeWith(bytes, kB64Url, false);
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
    return DecodeSymbols(text, true);
}

std::string HexEncode(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        out += kHex[(static_cast<unsigned char>(c) >> 4) & 15];
        out += kHex[static_cast<unsigned char>(c) & 15];
    }
    return out;
}

std::string HmacSha256(std::string_view key, std::string_view message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length) == nullptr)
        throw std::runtime_error("HMAC-SHA256 failed");
    return std::string(reinterpret_cast<const char*>(digest), length);
}

std::optional<std::string> UrlDecode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+' && plus_is_space) {
            out += ' ';
        } else if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const auto hex = [](char h) -> int {
                if (h >= '0' && h <= '9') return h - '0';
                if (h >= 'a' && h <= 'f') return h - 'a' + 10;
                if (h >= 'A' && h <= 'F') return h - 'A' + 10;
                return -1;
            };
            const int hi = hex(text[i + 1]);
            const int lo = hex(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string UrlEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' || u == '_' ||
            u == '.' || u == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
    return out;
}

std::optional<QueryParams> ParseQuery(std::string_view query) {
    QueryParams params;
    if (query.empty()) return params;
    for (const std::string& piece : Split(query, '&')) {
        if (piece.empty()) continue;
        const auto eq = piece.find('=');
        const auto name = UrlDecode(std::string_view(piece).substr(0, eq));
        const auto value = eq == std::string::npos ? std::optional<std::string>("")
                                                   : UrlDecode(std::string_view(piece).substr(eq + 1));
        if (!name || !value) return std::nullopt;
        params.emplace_back(*name, *value);
    }
    return params;
}

std::pair<std::string, std::string> SplitTarget(const std::string& target) {
    const auto q = target.find('?');
    if (q == std::string::npos) return {target, ""};
    return {target.substr(0, q), target.substr(q + 1)};
}

std::vector<std::string> Split(std::string_view text, char separator) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        const size_t at = text.find(separator, start);
        if (at == std::string_view::npos) {
            out.emplace_back(text.substr(start));
            return out;
        }
        out.emplace_back(text.substr(start, at - start));
        start = at + 1;
    }
}

std::string RandomBytes(size_t n) {
    std::string out(n, '\0');
    if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return out;
}

std::string Uuid4() {
    std::string bytes = RandomBytes(16);
    bytes[6] = static_cast<char>((static_cast<unsigned char>(bytes[6]) & 0x0F) | 0x40);
    bytes[8] = static_cast<char>((static_cast<unsigned char>(bytes[8]) & 0x3F) | 0x80);
    const std::string hex = HexEncode(bytes);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20);
}

double NowSeconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::optional<double> ParseIso8601(std::string_view text) {
    size_t pos = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!ReadDigits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
        !ReadDigits(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' || !ReadDigits(text, pos, 2, day))
        return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok()) return std::nullopt;
    const double days = static_cast<double>(std::chrono::sys_days{date}.time_since_epoch().count());
    if (pos == text.size()) return days * 86400.0;
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    ++pos;
    if (!ReadDigits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
        !ReadDigits(text, pos, 2, minute))
        return std::nullopt;
    double fraction = 0;
    if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!ReadDigits(text, pos, 2, second)) return std::nullopt;
        if (pos < text.size() && text[pos] == '.') {
            ++pos;
            double scale = 0.1;
            const size_t start = pos;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
                fraction += (text[pos] - '0') * scale;
                scale /= 10;
                ++pos;
            }
            if (pos == start) return std::nullopt;
        }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (pos >= text.size()) return std::nullopt;  // a zone is required
    int offset_seconds = 0;
    if (text[pos] == 'Z' || text[pos] == 'z') {
        ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        int oh = 0, om = 0;
        if (!ReadDigits(text, pos, 2, oh)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (!ReadDigits(text, pos, 2, om) || oh > 23 || om > 59) return std::nullopt;
        offset_seconds = sign * (oh * 3600 + om * 60);
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
    return days * 86400.0 + hour * 3600.0 + minute * 60.0 + second + fraction - offset_seconds;
}

std::string FormatIso8601(double epoch_seconds, int fraction_digits) {
    const double whole = std::floor(epoch_seconds);
    const auto seconds = static_cast<int64_t>(whole);
    const std::chrono::sys_days day{std::chrono::days{seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400}};
    const int64_t in_day = seconds - static_cast<int64_t>(day.time_since_epoch().count()) * 86400;
    const std::chrono::year_month_day date{day};
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
    std::string out = buffer;
    if (fraction_digits > 0) {
        double fraction = epoch_seconds - whole;
        out += '.';
        for (int i = 0; i < fraction_digits; ++i) {
            fraction *= 10;
            const int digit = std::min(9, static_cast<int>(fraction));
            out += static_cast<char>('0' + digit);
            fraction -= digit;
        }
    }
    return out + "Z";
}

nlohmann::json ParseJson(std::string_view text, size_t max_depth) {
    size_t depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return nlohmann::json(nlohmann::json::value_t::discarded);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return nlohmann::json::parse(text, nullptr, false);
}

std::string Brief(const nlohmann::json& value, size_t max_chars) {
    std::string text = SafeDump(value);
    if (text.size() > max_chars) text = text.substr(0, max_chars) + "...";
    return text;
}

std::string SafeDump(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Reply JsonReply(int status, const nlohmann::json& body, std::vector<std::pair<std::string, std::string>> headers) {
    Reply reply;
    reply.status = status;
    reply.body = SafeDump(body);
    reply.headers = std::move(headers);
    reply.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    return reply;
}

}  // namespace shopify_docusign
}  // namespace kiln::testing::fake_detail
