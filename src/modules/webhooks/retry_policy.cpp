#include "modules/webhooks/retry_policy.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "core/backoff.hpp"

namespace kiln::webhooks {

RetrySchedule RetrySchedule::Parse(const std::string& text) {
    RetrySchedule schedule;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (item.empty() || !std::all_of(item.begin(), item.end(), [](unsigned char c) { return std::isdigit(c); }) ||
            item.size() > 9)
            throw std::invalid_argument("must be comma-separated whole seconds, e.g. 0,5,300");
        schedule.delays.emplace_back(std::stoll(item));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return schedule;
}

std::string RetrySchedule::ToString() const {
    std::string text;
    for (const auto delay : delays) {
        if (!text.empty()) text += ',';
        text += std::to_string(delay.count());
    }
    return text;
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

std::optional<Timestamp> NextAttemptAt(const RetrySchedule& schedule, int attempts_made, const AttemptVerdict& verdict,
                                       std::optional<std::chrono::milliseconds> retry_after,
                                       std::chrono::seconds throttle_delay, Timestamp now, double jitter) {
    if (attempts_made >= schedule.max_attempts()) return std::nullopt;
    const auto planned = schedule.delays[static_cast<size_t>(attempts_made)];
    auto delay = backoff::Spread(planned, 0.2, jitter);
    if (verdict.throttled) delay = std::max<std::chrono::milliseconds>(delay, throttle_delay);
    if (retry_after) delay = std::max<std::chrono::milliseconds>(delay, *retry_after);
    return now + std::chrono::duration_cast<Timestamp::duration>(delay);
}

}  // namespace kiln::webhooks
