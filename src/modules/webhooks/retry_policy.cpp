#include "modules/webhooks/retry_policy.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <stdexcept>

namespace kiln::webhooks {

namespace {

constexpr std::chrono::seconds kMaxRetryAfter{24 * 3600};

}  // namespace

RetrySchedule RetrySchedule::Parse(const std::string& text) {
    RetrySchedule schedule;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (item.empty() || !std::all_of(item.begin(), item.end(), [](unsigned char c) { return std::isdigit(c); }) ||
            item.size() > 9)
            throw std::invalid_argument("retry schedule must be comma-separated seconds, e.g. 0,5,300: " + text);
        schedule.delays.emplace_back(std::stoll(item));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return schedule;
}

AttemptVerdict Judge(int status) {
    AttemptVerdict verdict;
    if (status >= 200 && status < 300) {
        verdict.succeeded = true;
        return verdict;
    }
    verdict.gone = status == 410;
    verdict.throttled = status == 429 || status == 502 || status == 504;
    verdict.error_class = status >= 300 && status < 400 ? "redirect" : status < 500 ? "http_4xx" : "http_5xx";
    return verdict;
}

AttemptVerdict JudgeError(std::string_view egress_kind) {
    AttemptVerdict verdict;
    verdict.error_class = std::string(egress_kind);
    verdict.throttled = egress_kind == "timeout";
    return verdict;
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, Timestamp now) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
        if (value.size() > 9) return kMaxRetryAfter;
        return std::min(std::chrono::seconds(std::stoll(std::string(value))), kMaxRetryAfter);
    }
    std::tm tm{};
    const std::string text(value);
    if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) return std::nullopt;
    const auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
    const auto wait = std::chrono::duration_cast<std::chrono::seconds>(at - now);
    return std::clamp(wait, std::chrono::seconds(0), kMaxRetryAfter);
}

std::optional<Timestamp> NextAttemptAt(const RetrySchedule& schedule, int attempts_made, const AttemptVerdict& verdict,
                                       std::optional<std::chrono::seconds> retry_after,
                                       std::chrono::seconds throttle_delay, Timestamp now, double jitter) {
    if (attempts_made >= schedule.max_attempts()) return std::nullopt;
    const auto planned = schedule.delays[static_cast<size_t>(attempts_made)];
    auto delay =
        std::chrono::duration_cast<std::chrono::milliseconds>(planned * (1.0 + 0.2 * std::clamp(jitter, -1.0, 1.0)));
    if (verdict.throttled) delay = std::max<std::chrono::milliseconds>(delay, throttle_delay);
    if (retry_after) delay = std::max<std::chrono::milliseconds>(delay, *retry_after);
    return now + std::chrono::duration_cast<Timestamp::duration>(delay);
}

}  // namespace kiln::webhooks
