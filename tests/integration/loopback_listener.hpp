#pragma once

// The TCP side of the test servers (HttpReceiver, FakeSmtp): a listener on 127.0.0.1 on a port the kernel chose,
// one thread per connection. Independent of Kiln's sources, like the fakes.

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiln::testing {

class LoopbackListener {
  public:
    /// Called on the connection's own thread; the listener closes `fd` when it returns.
    using Serve = std::function<void(int fd)>;

    explicit LoopbackListener(Serve serve);
    /// Stops accepting, shuts every open connection down (so blocked reads return) and joins their threads. Declare
    /// the listener as the owner's last member, so it stops before what `serve` uses is destroyed.
    ~LoopbackListener();
    LoopbackListener(const LoopbackListener&) = delete;
    LoopbackListener& operator=(const LoopbackListener&) = delete;

    int port() const { return port_; }
    /// True once the listener is being destroyed: long-running `serve` loops end early.
    bool stopping() const { return stopping_; }

  private:
    void AcceptLoop();
    void ServeAndClose(int fd);

    Serve serve_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::vector<int> open_fds_;
    std::vector<std::thread> connections_;
    std::thread acceptor_;
};

/// Writes all of `data`, giving up quietly when the client went away (a killed Kiln: nothing to tell).
void SendAll(int fd, const std::string& data);

}  // namespace kiln::testing
