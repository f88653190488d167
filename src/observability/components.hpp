#pragma once

#include <atomic>
#include <cstddef>

namespace kiln::observability {

/// State the health report and the summary read about parts that live elsewhere (the worker
/// pool), without the health module depending on them.
class Components final {
  public:
    static Components& Instance();

    void SetWorkers(size_t threads, bool running) {
        worker_threads_.store(threads);
        workers_running_.store(running);
    }
    void SetBusyWorkers(int busy) { busy_workers_.store(busy, std::memory_order_relaxed); }
    size_t worker_threads() const { return worker_threads_.load(); }
    bool workers_running() const { return workers_running_.load(); }
    int busy_workers() const { return busy_workers_.load(std::memory_order_relaxed); }

  private:
    std::atomic<size_t> worker_threads_{0};
    std::atomic<bool> workers_running_{false};
    std::atomic<int> busy_workers_{0};
};

}  // namespace kiln::observability
