#include "http/handler_pool.hpp"

namespace kiln::http {

HandlerPool::HandlerPool(size_t threads, size_t queue_limit) : queue_limit_(queue_limit) {
    threads_.reserve(threads);
    for (size_t i = 0; i < (threads == 0 ? 1 : threads); ++i) threads_.emplace_back([this] { Work(); });
}

bool HandlerPool::Submit(std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= queue_limit_) return false;
        queue_.push_back(std::move(task));
    }
    cv_.notify_one();
    return true;
}

size_t HandlerPool::InFlight() {
    std::lock_guard lock(mutex_);
    return queue_.size() + running_;
}

void HandlerPool::Stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && threads_.empty()) return;
        stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

void HandlerPool::Work() {
    while (true) {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and nothing left to run
            task = std::move(queue_.front());
            queue_.pop_front();
            ++running_;
        }
        task();
        std::lock_guard lock(mutex_);
        --running_;
    }
}

}  // namespace kiln::http
