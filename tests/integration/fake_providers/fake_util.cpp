#include "fake_util.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <stdexcept>

namespace kiln::testing {

// ---------------------------------------------------------------------------------------------------------
// FakeProviderBase

FakeProviderBase::~FakeProviderBase() {
    Stop();
}

void FakeProviderBase::Start() {
    receiver_ = std::make_unique<HttpReceiver>(
        [this](const ReceivedRequest& request, size_t /*index*/) { return Dispatch(request); });
}

void FakeProviderBase::Stop() {
    receiver_.reset();
}

std::string FakeProviderBase::base_url() const {
    return "http://127.0.0.1:" + std::to_string(receiver_->port());
}

std::vector<std::string> FakeProviderBase::violations() const {
    const std::lock_guard lock(mutex_);
    return violations_;
}

void FakeProviderBase::ClearViolations() {
    const std::lock_guard lock(mutex_);
    violations_.clear();
}

std::vector<ReceivedRequest> FakeProviderBase::requests() const {
    return receiver_->requests();
}

bool FakeProviderBase::WaitFor(size_t n, std::chrono::milliseconds limit) const {
    return receiver_->WaitFor(n, limit);
}

void FakeProviderBase::FailNext(int count, Reply reply) {
    const std::lock_guard lock(mutex_);
    fail_remaining_ = std::max(count, 0);
    fail_reply_ = std::move(reply);
}

void FakeProviderBase::Violation(const ReceivedRequest& request, const std::string& why) {
    RecordViolation(request.method + " " + request.target + ": " + why);
}

void FakeProviderBase::RecordViolation(std::string entry) {
    violations_.push_back(std::move(entry));
}

Reply FakeProviderBase::Dispatch(const ReceivedRequest& request) {
    const std::lock_guard lock(mutex_);
    if (fail_remaining_ > 0) {
        --fail_remaining_;
        return fail_reply_;
    }
    try {
        return Handle(request);
    } catch (const std::exception& e) {
        Violation(request, std::string("the fake could not handle the request: ") + e.what());
    } catch (...) {
        Violation(request, "the fake could not handle the request");
    }
    return Reply{500, R"({"error":"fake provider internal error"})", {{"Content-Type", "application/json"}}, {}};
}

namespace fakeutil {

// ---------------------------------------------------------------------------------------------------------
// Text

std::string ToLower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string Trim(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    size_t begin = 0;
    size_t end = text.size();
    while (begin < end && is_space(text[begin])) ++begin;
    while (end > begin && is_space(text[end - 1])) --end;
    return std::string(text.substr(begin, end - begin));
}

bool StartsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::vector<std::string> Split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        const size_t at = text.find(separator, start);
        if (at == std::string_view::npos) {
            parts.emplace_back(text.substr(start));
            return parts;
        }
        parts.emplace_back(text.substr(start, at - start));
        start = at + 1;
    }
}

// ---------------------------------------------------------------------------------------------------------
// Encodings

namespace {
constexpr std::string_view kBase64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kBase64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string Base64EncodeWith(std::string_view data, std::string_view alphabet, bool pad) {
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const uint32_t n = (uint32_t{static_cast<uint8_t>(data[i])} << 16) |
                           (uint32_t{static_cast<uint8_t>(data[i + 1])} << 8) |
                           uint32_t{static_cast<uint8_t>(data[i + 2])};
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += alphabet[n & 63];
    }
    const size_t rest = data.size() - i;
    if (rest == 1) {
        const uint32_t n = uint32_t{static_cast<uint8_t>(data[i])} << 16;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        if (pad) out += "==";
    } else if (rest == 2) {
        const uint32_t n =
            (uint32_t{static_cast<uint8_t>(data[i])} << 16) | (uint32_t{static_cast<uint8_t>(data[i + 1])} << 8);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        if (pad) out += '=';
    }
    return out;
}

/// Decodes unpadded base64 symbols of `alphabet`; a length of 4n+1 is impossible. With `canonical`, non-zero
/// trailing bits are rejected.
std::optional<std::string> Base64DecodeSymbols(std::string_view symbols, std::string_view alphabet, bool canonical) {
    if (symbols.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(symbols.size() * 3 / 4);
    uint32_t accumulator = 0;
    int bits = 0;
    for (const char c : symbols) {
        const size_t value = alphabet.find(c);
        if (value == std::string_view::npos) return std::nullopt;
        accumulator = (accumulator << 6) | static_cast<uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((accumulator >> bits) & 0xFF);
        }
    }
    if (canonical && bits > 0 && (accumulator & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

/// Padded standard base64: a multiple of 4 characters, at most two '=' and only at the end.
std::optional<std::string> Base64DecodePadded(std::string_view text, bool canonical) {
    if (text.size() % 4 != 0) return std::nullopt;
    size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
    return Base64DecodeSymbols(text.substr(0, text.size() - padding), kBase64Alphabet, canonical);
}
}  // namespace

std::string Base64Encode(std::string_view data) {
    return Base64EncodeWith(data, kBase64Alphabet, true);
}

std::optional<std::string> Base64Decode(std::string_view text) {
    return Base64DecodePadded(text, false);
}

std::optional<std::string> Base64DecodeCanonical(std::string_view text, bool allow_whitespace) {
    if (!allow_whitespace) return Base64DecodePadded(text, true);
    std::string compact;
    compact.reserve(text.size());
    for (const char c : text)
        if (c != ' ' && c != '\r' && c != '\n' && c != '\t') compact += c;
    return Base64DecodePadded(compact, true);
}

std::string Base64UrlEncode(std::string_view data) {
    return Base64EncodeWith(data, kBase64UrlAlphabet, false);
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
    return Base64DecodeSymbols(text, kBase64UrlAlphabet, true);
}

std::string HexEncode(std::string_view data) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(data.size() * 2);
    for (const char c : data) {
        out += kDigits[(static_cast<uint8_t>(c) >> 4) & 15];
        out += kDigits[static_cast<uint8_t>(c) & 15];
    }
    return out;
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int high = HexValue(text[i + 1]);
            const int low = HexValue(text[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else if (c == '+' && plus_as_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string UriEncode(std::string_view text, bool keep_slash) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        // Explicit ASCII ranges, not std::isalnum: the set must not depend on the locale.
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~' || (keep_slash && c == '/')) {
            out += c;
        } else {
            out += '%';
            out += kDigits[u >> 4];
            out += kDigits[u & 15];
        }
    }
    return out;
}

std::optional<Params> ParseForm(std::string_view body) {
    Params params;
    if (body.empty()) return params;
    for (const auto& pair : Split(body, '&')) {
        if (pair.empty()) continue;
        const size_t eq = pair.find('=');
        const auto name = PercentDecode(std::string_view(pair).substr(0, eq), true);
        const auto value =
            eq == std::string::npos ? std::optional<std::string>("") : PercentDecode(pair.substr(eq + 1), true);
        if (!name || !value) return std::nullopt;
        params.emplace_back(*name, *value);
    }
    return params;
}

namespace {

bool ParseBracketName(const std::string& name, std::vector<std::string>& path) {
    const size_t open = name.find('[');
    const std::string base = name.substr(0, open);
    if (base.empty() || base.find(']') != std::string::npos) return false;
    path.push_back(base);
    size_t at = open;
    while (at != std::string::npos && at < name.size()) {
        if (name[at] != '[') return false;
        const size_t close = name.find(']', at + 1);
        if (close == std::string::npos) return false;
        const std::string segment = name.substr(at + 1, close - at - 1);
        if (segment.find('[') != std::string::npos) return false;
        path.push_back(segment);
        at = close + 1;
    }
    return true;
}

bool InsertPath(nlohmann::json& node, const std::vector<std::string>& path, size_t i, const std::string& value) {
    const std::string& key = path[i];
    const bool last = i + 1 == path.size();
    if (key.empty()) {  // "a[]=v": append to an array
        if (!last) return false;
        if (node.is_null()) node = nlohmann::json::array();
        if (!node.is_array()) return false;
        node.push_back(value);
        return true;
    }
    if (node.is_null()) node = nlohmann::json::object();
    if (!node.is_object()) return false;
    nlohmann::json& child = node[key];
    if (last) {
        if (child.is_structured()) return false;
        child = value;
        return true;
    }
    if (child.is_string()) return false;
    return InsertPath(child, path, i + 1, value);
}

void ObjectsToArrays(nlohmann::json& node) {
    if (node.is_array()) {
        for (auto& element : node) ObjectsToArrays(element);
        return;
    }
    if (!node.is_object()) return;
    for (auto& [key, element] : node.items()) ObjectsToArrays(element);
    if (node.empty()) return;
    std::vector<nlohmann::json*> ordered(node.size(), nullptr);
    for (auto& [key, element] : node.items()) {
        if (key.empty() || key.size() > 6 ||
            !std::all_of(key.begin(), key.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
            return;
        if (key.size() > 1 && key[0] == '0') return;
        const size_t index = std::stoul(key);
        if (index >= ordered.size() || ordered[index] != nullptr) return;
        ordered[index] = &element;
    }
    nlohmann::json array = nlohmann::json::array();
    for (auto* element : ordered) array.push_back(*element);
    node = std::move(array);
}

}  // namespace

bool ParseBracketForm(std::string_view body, nlohmann::json& out, std::string& error) {
    out = nlohmann::json::object();
    const auto params = ParseForm(body);
    if (!params) {
        error = "malformed percent-encoding in the form body";
        return false;
    }
    for (const auto& [name, value] : *params) {
        std::vector<std::string> path;
        if (!ParseBracketName(name, path)) {
            error = "invalid parameter name '" + name + "'";
            return false;
        }
        if (!InsertPath(out, path, 0, value)) {
            error = "parameter '" + name + "' conflicts with another parameter of the same name";
            return false;
        }
    }
    ObjectsToArrays(out);
    return true;
}

std::pair<std::string, std::string> SplitTarget(std::string_view target) {
    const size_t q = target.find('?');
    if (q == std::string_view::npos) return {std::string(target), ""};
    return {std::string(target.substr(0, q)), std::string(target.substr(q + 1))};
}

std::string MediaType(const std::optional<std::string>& content_type) {
    if (!content_type) return "";
    return ToLower(Trim(content_type->substr(0, content_type->find(';'))));
}

std::string RequestLabel(const ReceivedRequest& request) {
    std::string label = request.method + " " + request.target;
    if (label.size() > 200) label = label.substr(0, 200) + "...";
    return label;
}

namespace {
/// True when arrays/objects in `text` nest deeper than `max_depth` (strings skipped, escapes honoured).
bool NestsDeeperThan(std::string_view text, size_t max_depth) {
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
            if (++depth > max_depth) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

Reply JsonReplyAs(int status, const nlohmann::json& body, std::vector<std::pair<std::string, std::string>> headers,
                  const char* content_type) {
    Reply reply;
    reply.status = status;
    reply.body = Dump(body);
    headers.emplace_back("Content-Type", content_type);
    reply.headers = std::move(headers);
    return reply;
}
}  // namespace

std::optional<nlohmann::json> ParseJson(std::string_view text, std::optional<size_t> max_depth) {
    if (max_depth && NestsDeeperThan(text, *max_depth)) return std::nullopt;
    nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (value.is_discarded()) return std::nullopt;
    return value;
}

std::string Dump(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Brief(const nlohmann::json& value, size_t max_chars) {
    std::string text = Dump(value);
    if (text.size() > max_chars) text = text.substr(0, max_chars) + "...";
    return text;
}

Reply JsonReply(int status, const nlohmann::json& body, std::vector<std::pair<std::string, std::string>> headers) {
    return JsonReplyAs(status, body, std::move(headers), "application/json");
}

Reply JsonUtf8Reply(int status, const nlohmann::json& body, std::vector<std::pair<std::string, std::string>> headers) {
    return JsonReplyAs(status, body, std::move(headers), "application/json; charset=utf-8");
}

// ---------------------------------------------------------------------------------------------------------
// Crypto

std::string Sha256(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("EVP_Digest failed");
    return std::string(reinterpret_cast<const char*>(digest), length);
}

namespace {
std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
             data.size(), digest, &length) == nullptr)
        throw std::runtime_error("HMAC failed");
    return std::string(reinterpret_cast<const char*>(digest), length);
}
}  // namespace

std::string HmacSha256(std::string_view key, std::string_view data) {
    return Hmac(EVP_sha256(), key, data);
}

std::string HmacSha1(std::string_view key, std::string_view data) {
    return Hmac(EVP_sha1(), key, data);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomBytes(size_t n) {
    std::string out(n, '\0');
    if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return out;
}

namespace {
std::string RandomFrom(std::string_view alphabet, size_t chars) {
    const std::string bytes = RandomBytes(chars);
    std::string out;
    out.reserve(chars);
    for (const char c : bytes) out += alphabet[static_cast<uint8_t>(c) % alphabet.size()];
    return out;
}
}  // namespace

std::string RandomHex(size_t chars) {
    return RandomFrom("0123456789abcdef", chars);
}

std::string RandomAlnum(size_t chars) {
    return RandomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", chars);
}

std::string Uuid4() {
    std::string bytes = RandomBytes(16);
    bytes[6] = static_cast<char>((static_cast<unsigned char>(bytes[6]) & 0x0F) | 0x40);
    bytes[8] = static_cast<char>((static_cast<unsigned char>(bytes[8]) & 0x3F) | 0x80);
    const std::string hex = HexEncode(bytes);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20);
}

// ---------------------------------------------------------------------------------------------------------
// Time

int64_t UnixNow() {
    return static_cast<int64_t>(std::time(nullptr));
}

double NowSeconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Rfc2822(int64_t unix_time) {
    const auto t = static_cast<std::time_t>(unix_time);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday % 7], tm.tm_mday,
                  kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buffer;
}

namespace {
bool ReadIsoDigits(std::string_view text, size_t& pos, size_t count, int& value) {
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

std::optional<double> ParseIso8601(std::string_view text) {
    size_t pos = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!ReadIsoDigits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
        !ReadIsoDigits(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' ||
        !ReadIsoDigits(text, pos, 2, day))
        return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok()) return std::nullopt;
    const double days = static_cast<double>(std::chrono::sys_days{date}.time_since_epoch().count());
    if (pos == text.size()) return days * 86400.0;
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    ++pos;
    if (!ReadIsoDigits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
        !ReadIsoDigits(text, pos, 2, minute))
        return std::nullopt;
    double fraction = 0;
    if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!ReadIsoDigits(text, pos, 2, second)) return std::nullopt;
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
        if (!ReadIsoDigits(text, pos, 2, oh)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (!ReadIsoDigits(text, pos, 2, om) || oh > 23 || om > 59) return std::nullopt;
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

}  // namespace fakeutil
}  // namespace kiln::testing
