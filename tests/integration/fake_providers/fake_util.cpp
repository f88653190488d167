#include "fake_util.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
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
    violations_.push_back(request.method + " " + request.target + ": " + why);
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

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::string Base64Encode(std::string_view data) {
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const uint32_t n = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8) |
                           static_cast<uint8_t>(data[i + 2]);
        out += kBase64Alphabet[(n >> 18) & 63];
        out += kBase64Alphabet[(n >> 12) & 63];
        out += kBase64Alphabet[(n >> 6) & 63];
        out += kBase64Alphabet[n & 63];
    }
    const size_t rest = data.size() - i;
    if (rest == 1) {
        const uint32_t n = static_cast<uint8_t>(data[i]) << 16;
        out += kBase64Alphabet[(n >> 18) & 63];
        out += kBase64Alphabet[(n >> 12) & 63];
        out += "==";
    } else if (rest == 2) {
        const uint32_t n = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8);
        out += kBase64Alphabet[(n >> 18) & 63];
        out += kBase64Alphabet[(n >> 12) & 63];
        out += kBase64Alphabet[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    size_t padding = 0;
    if (!text.empty() && text.back() == '=') ++padding;
    if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
    std::string out;
    out.reserve(text.size() / 4 * 3);
    uint32_t accumulator = 0;
    int bits = 0;
    for (size_t i = 0; i < text.size() - padding; ++i) {
        const size_t value = kBase64Alphabet.find(text[i]);
        if (value == std::string_view::npos) return std::nullopt;
        accumulator = (accumulator << 6) | static_cast<uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((accumulator >> bits) & 0xFF);
        }
    }
    return out;
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
        if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
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

std::optional<nlohmann::json> ParseJson(std::string_view text) {
    nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (value.is_discarded()) return std::nullopt;
    return value;
}

std::string Dump(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Reply JsonReply(int status, const nlohmann::json& body, std::vector<std::pair<std::string, std::string>> headers) {
    Reply reply;
    reply.status = status;
    reply.body = Dump(body);
    headers.emplace_back("Content-Type", "application/json");
    reply.headers = std::move(headers);
    return reply;
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

namespace {
std::string RandomFrom(std::string_view alphabet, size_t chars) {
    std::string bytes(chars, '\0');
    if (chars > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(chars)) != 1)
        throw std::runtime_error("RAND_bytes failed");
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

// ---------------------------------------------------------------------------------------------------------
// Time

int64_t UnixNow() {
    return static_cast<int64_t>(std::time(nullptr));
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

}  // namespace fakeutil
}  // namespace kiln::testing
