#pragma once

// Small helpers the API suites share: polling for an outcome that arrives asynchronously (jobs,
// deliveries), and signing in to a test's own server as the seeded demo owner.

#include <chrono>
#include <string>
#include <thread>

#include "api_fixture.hpp"

namespace kiln::testing {

/// Polls `done` every 50 ms until it is true or `limit` has passed; returns its last answer.
template <typename Predicate>
bool Eventually(Predicate done, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
}

/// The demo owner signed in to a server the test started itself (not the suite's shared one). The
/// session survives restarts; the URL follows the server to its new port.
struct DemoOwner {
    const KilnProcess* server;
    HeaderList auth;
    std::string Url(const std::string& path) const { return server->base_url() + "/api/v1" + path; }
};

inline DemoOwner SignInAsDemoOwner(const KilnProcess& server, HttpClient& http) {
    DemoOwner owner{&server, {}};
    const auto login = http.Post(owner.Url("/auth/login"),
                                 nlohmann::json{{"email", "owner@demo.kiln.local"}, {"password", kDemoPassword}});
    owner.auth = {{"Authorization", "Bearer " + login.Json().value("token", "")}};
    return owner;
}

}  // namespace kiln::testing
