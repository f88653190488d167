#include "observability/request_window.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

namespace kiln::observability {

namespace {

/// The bound below which `rank` of the counted requests fall, interpolated within its bucket.
double Quantile(const std::array<uint64_t, RequestWindow::kBounds.size()>& counts, uint64_t total, double q) {
    if (total == 0) return 0;
    const double rank = q * static_cast<double>(total);
    double seen = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        const auto in_bucket = static_cast<double>(counts[i]);
        if (seen + in_bucket >= rank && in_bucket > 0) {
            const double lower = i == 0 ? 0 : RequestWindow::kBounds[i - 1];
            const double upper = i + 1 == counts.size() ? RequestWindow::kBounds[i - 1] : RequestWindow::kBounds[i];
            return lower + (upper - lower) * ((rank - seen) / in_bucket);
        }
        seen += in_bucket;
    }
    return RequestWindow::kBounds[RequestWindow::kBounds.size() - 2];
}

}  // namespace

int64_t RequestWindow::SteadySecond() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

RequestWindow& RequestWindow::Instance() {
    static RequestWindow window;
    return window;
}

RequestWindow::Bucket& RequestWindow::Current(int64_t second) {
    Bucket& bucket = buckets_[static_cast<size_t>(second % kSeconds)];
    int64_t seen = bucket.second.load(std::memory_order_acquire);
    if (seen != second && bucket.second.compare_exchange_strong(seen, second, std::memory_order_acq_rel)) {
        bucket.requests.store(0, std::memory_order_relaxed);
        bucket.errors.store(0, std::memory_order_relaxed);
        bucket.client_errors.store(0, std::memory_order_relaxed);
        for (auto& count : bucket.latency) count.store(0, std::memory_order_relaxed);
        for (auto& word : bucket.users) word.store(0, std::memory_order_relaxed);
    }
    return bucket;
}

void RequestWindow::Record(int status, double seconds, std::string_view user) {
    Bucket& bucket = Current(now_second_());
    bucket.requests.fetch_add(1, std::memory_order_relaxed);
    if (status >= 500) bucket.errors.fetch_add(1, std::memory_order_relaxed);
    if (status >= 400 && status < 500) bucket.client_errors.fetch_add(1, std::memory_order_relaxed);
    const auto slot = static_cast<size_t>(std::lower_bound(kBounds.begin(), kBounds.end(), seconds) - kBounds.begin());
    bucket.latency[std::min(slot, kBounds.size() - 1)].fetch_add(1, std::memory_order_relaxed);
    if (!user.empty()) {
        const size_t bit = std::hash<std::string_view>{}(user) % kUserBits;
        bucket.users[bit / 64].fetch_or(uint64_t{1} << (bit % 64), std::memory_order_relaxed);
    }
}

RequestWindow::Summary RequestWindow::Summarize(int seconds) const {
    Summary summary;
    summary.window_seconds = std::clamp(seconds, 1, kSeconds - 1);
    const int64_t now = now_second_();
    std::array<uint64_t, kBounds.size()> latency{};
    std::array<uint64_t, kUserBits / 64> users{};
    for (int64_t s = now - summary.window_seconds; s < now; ++s) {
        if (s < 0) continue;
        const Bucket& bucket = buckets_[static_cast<size_t>(s % kSeconds)];
        if (bucket.second.load(std::memory_order_acquire) != s) continue;
        summary.requests += bucket.requests.load(std::memory_order_relaxed);
        summary.errors += bucket.errors.load(std::memory_order_relaxed);
        summary.client_errors += bucket.client_errors.load(std::memory_order_relaxed);
        for (size_t i = 0; i < latency.size(); ++i) latency[i] += bucket.latency[i].load(std::memory_order_relaxed);
        for (size_t i = 0; i < users.size(); ++i) users[i] |= bucket.users[i].load(std::memory_order_relaxed);
    }
    summary.requests_per_second = static_cast<double>(summary.requests) / summary.window_seconds;
    summary.error_rate =
        summary.requests == 0 ? 0 : static_cast<double>(summary.errors) / static_cast<double>(summary.requests);
    uint64_t total = 0;
    for (const auto count : latency) total += count;
    summary.p95_seconds = Quantile(latency, total, 0.95);
    summary.p99_seconds = Quantile(latency, total, 0.99);
    // Linear counting: n ≈ −m·ln(zero bits / m); exact enough for a few hundred users per window.
    size_t ones = 0;
    for (const auto word : users) ones += static_cast<size_t>(__builtin_popcountll(word));
    const auto zeros = static_cast<double>(kUserBits - ones);
    const auto m = static_cast<double>(kUserBits);
    summary.active_users =
        ones == 0 ? 0 : static_cast<uint64_t>(std::llround(zeros == 0 ? m : -m * std::log(zeros / m)));
    return summary;
}

}  // namespace kiln::observability
