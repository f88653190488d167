#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kiln::http {

/// Fixed threads that run request handlers, which may block on the database, off RESTinio's
/// I/O threads. The queue is bounded: past the limit Submit refuses and the caller answers 503.
class HandlerPool final {
  public:
    HandlerPool(size_t threads, size_t queue_limit);
    HandlerPool(const HandlerPool&) = delete;
    HandlerPool& operator=(const HandlerPool&) = delete;
    ~HandlerPool() { Stop(); }

    /// False when the queue is full or the pool is stopping.
    bool Submit(std::function<void()> task);
    /// Tasks queued or running.
    size_t InFlight();
    /// Runs what is queued, then joins the threads.
    void Stop();

  private:
    void Work();

    size_t queue_limit_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> queue_;
    size_t running_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace kiln::http
