#pragma once

#include <memory>

#include "core/config.hpp"
#include "http/dispatcher.hpp"

namespace kiln::http {

/// RESTinio front end: parses on a few I/O threads, hands each request to the handler pool,
/// writes the response back. Run() blocks until SIGINT/SIGTERM, then shuts down gracefully:
/// stop accepting, let in-flight requests finish (up to the configured grace), exit.
class Server final {
  public:
    Server(const Config& config, Dispatcher& dispatcher);
    ~Server();

    /// Serves until a shutdown signal; returns after an orderly stop.
    void Run();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiln::http
