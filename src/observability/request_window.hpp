#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

namespace kiln::observability {

/// The last few minutes of requests, in per-second buckets, for the console's summary: request
/// rate, error rate, p95 latency and active users, computed in-process without Prometheus.
///
/// Recording is lock-free (atomics only). A bucket is reused when its second comes round again;
/// the thread that claims it clears it, so a request racing with the clearing may be lost — the
/// figures are a live estimate, not accounting. Active users are counted with a per-bucket bitmap
/// of hashed user ids (linear counting), so no set of ids is kept and the memory is fixed.
class RequestWindow final {
  public:
    static constexpr int kSeconds = 301;  // five minutes plus the second being filled
    static RequestWindow& Instance();

    /// The clock of the buckets: whole seconds of a monotonic clock. A plain function (not std::function): it is
    /// read on every request. Tests pass one they move by hand.
    using SecondClock = int64_t (*)();
    static int64_t SteadySecond();
    explicit RequestWindow(SecondClock now_second = SteadySecond) : now_second_(now_second) {}

    /// `user` is empty for anonymous requests.
    void Record(int status, double seconds, std::string_view user);

    struct Summary {
        int window_seconds = 0;
        uint64_t requests = 0;
        uint64_t errors = 0;         // 5xx
        uint64_t client_errors = 0;  // 4xx
        double requests_per_second = 0;
        double error_rate = 0;  // 5xx / all
        double p95_seconds = 0;
        double p99_seconds = 0;
        uint64_t active_users = 0;
    };
    /// Over the last `seconds` (at most kSeconds), not counting the current second.
    Summary Summarize(int seconds) const;

    /// Latency bucket bounds (seconds), shared with the histogram quantile estimate.
    static constexpr std::array<double, 15> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                       0.25,   0.5,   1,      2.5,   5,    10,    1e9};

  private:
    static constexpr size_t kUserBits = 1024;
    struct Bucket {
        std::atomic<int64_t> second{-1};
        std::atomic<uint64_t> requests{0};
        std::atomic<uint64_t> errors{0};
        std::atomic<uint64_t> client_errors{0};
        std::array<std::atomic<uint64_t>, kBounds.size()> latency{};
        std::array<std::atomic<uint64_t>, kUserBits / 64> users{};
    };
    Bucket& Current(int64_t second);

    SecondClock now_second_;
    std::array<Bucket, kSeconds> buckets_{};
};

}  // namespace kiln::observability
