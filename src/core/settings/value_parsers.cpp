#include "core/settings/value_parsers.hpp"

#include <charconv>
#include <optional>
#include <stdexcept>

#include "core/strings.hpp"

namespace kiln::settings {

namespace {

constexpr int64_t kAnyMax = std::numeric_limits<int64_t>::max();

/// The whole of `text` as a decimal integer, or nullopt.
std::optional<int64_t> WholeInteger(std::string_view text) {
    int64_t value = 0;
    const auto* const end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (error != std::errc() || stop != end || text.empty()) return std::nullopt;
    return value;
}

[[noreturn]] void ThrowNumber(std::string_view what, Range range) {
    std::string message = "must be ";
    message += what;
    const std::string bounds = DescribeRange(range);
    if (!bounds.empty()) message += " " + bounds;
    throw std::invalid_argument(message);
}

}  // namespace

std::string DescribeRange(Range range) {
    if (range.max == kAnyMax) {
        if (range.min == std::numeric_limits<int64_t>::min()) return "";
        return "of at least " + std::to_string(range.min);
    }
    return "from " + std::to_string(range.min) + " to " + std::to_string(range.max);
}

int64_t ParseInteger(std::string_view text, Range range) {
    const auto value = WholeInteger(text);
    if (!value || *value < range.min || *value > range.max) ThrowNumber("an integer", range);
    return *value;
}

int64_t ParseSize(std::string_view text, Range range) {
    struct Unit {
        std::string_view suffix;
        int64_t factor;
    };
    constexpr Unit kUnits[] = {{"KiB", int64_t{1} << 10}, {"MiB", int64_t{1} << 20}, {"GiB", int64_t{1} << 30}};
    int64_t factor = 1;
    for (const auto& unit : kUnits) {
        if (text.ends_with(unit.suffix)) {
            factor = unit.factor;
            text.remove_suffix(unit.suffix.size());
            break;
        }
    }
    const auto count = WholeInteger(text);
    if (!count || *count < 0 || *count > kAnyMax / factor || *count * factor < range.min || *count * factor > range.max)
        ThrowNumber("a byte count (optionally with KiB, MiB or GiB)", range);
    return *count * factor;
}

bool ParseBool(std::string_view text) {
    const std::string word = strings::ToLower(text);
    if (word == "1" || word == "true" || word == "on" || word == "yes") return true;
    if (word == "0" || word == "false" || word == "off" || word == "no") return false;
    throw std::invalid_argument("must be true or false (1/0, on/off, yes/no)");
}

std::string ParseUrl(std::string_view text, const std::vector<std::string>& schemes) {
    for (const auto& scheme : schemes) {
        const std::string prefix = scheme + "://";
        if (text.size() > prefix.size() && strings::ToLower(text.substr(0, prefix.size())) == prefix)
            return std::string(text);
    }
    std::vector<std::string> prefixes;
    prefixes.reserve(schemes.size());
    for (const auto& scheme : schemes) prefixes.push_back(scheme + "://");
    throw std::invalid_argument("must be a URL starting with " + strings::Join(prefixes, " or "));
}

std::string ParseChoice(std::string_view text, const std::vector<std::string>& choices) {
    for (const auto& choice : choices)
        if (text == choice) return choice;
    throw std::invalid_argument("must be one of " + strings::Join(choices, ", "));
}

}  // namespace kiln::settings
