#pragma once

// A local HTTP/1.1 server for tests of Kiln's outbound calls (workflow HTTP actions, webhooks,
// provider adapters): it records every request as received and answers what the test's responder
// says, optionally after a delay. One thread per connection, kept alive between requests.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "loopback_listener.hpp"

namespace kiln::testing {

struct ReceivedRequest {
    std::string method;
    std::string target;  // path and query as sent
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// The first header of that name, ignoring case.
    std::optional<std::string> Header(const std::string& name) const;
};

struct Reply {
    int status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds delay{0};  // before answering; cut short when the receiver stops
};

class HttpReceiver {
  public:
    /// `index` counts requests from 0 in arrival order.
    using Responder = std::function<Reply(const ReceivedRequest& request, size_t index)>;

    explicit HttpReceiver(Responder responder = nullptr);
    ~HttpReceiver() = default;
    HttpReceiver(const HttpReceiver&) = delete;
    HttpReceiver& operator=(const HttpReceiver&) = delete;

    int port() const { return listener_.port(); }
    std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port()) + path; }

    std::vector<ReceivedRequest> requests() const;
    size_t count() const;
    /// Waits until at least `n` requests arrived; false when `limit` ran out first.
    bool WaitFor(size_t n, std::chrono::milliseconds limit) const;

  private:
    void Serve(int fd);

    Responder responder_;
    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::vector<ReceivedRequest> requests_;
    LoopbackListener listener_;  // last: it stops before the members its connections use
};

}  // namespace kiln::testing
