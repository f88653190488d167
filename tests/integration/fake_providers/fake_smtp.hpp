#pragma once

// A small real SMTP listener for tests of Kiln's platform mailer: it speaks enough of RFC 5321
// (EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT) for libcurl, records every message it
// accepted, and lets a test wait for the mail sent to one address. No TLS, no AUTH.
// Independent of Kiln's sources, like the other fakes.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "loopback_listener.hpp"

namespace kiln::testing {

struct SmtpMessage {
    std::string mail_from;                // the envelope sender, without <>
    std::vector<std::string> recipients;  // envelope recipients, without <>
    std::string data;                     // headers and body as received, dot-unstuffed
};

class FakeSmtp {
  public:
    FakeSmtp();
    ~FakeSmtp() = default;
    FakeSmtp(const FakeSmtp&) = delete;
    FakeSmtp& operator=(const FakeSmtp&) = delete;

    int port() const { return listener_.port(); }
    /// "smtp://127.0.0.1:PORT", for KILN_SMTP_URL.
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port()); }

    std::vector<SmtpMessage> messages() const;
    /// The messages whose envelope recipients include `address`.
    std::vector<SmtpMessage> MessagesTo(const std::string& address) const;
    /// Waits until at least `n` messages went to `address`; the newest of them, or nothing when
    /// `limit` ran out first.
    std::optional<SmtpMessage> WaitForMessageTo(const std::string& address, size_t n = 1,
                                                std::chrono::milliseconds limit = std::chrono::seconds(20)) const;

  private:
    void Serve(int fd);

    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::vector<SmtpMessage> messages_;
    LoopbackListener listener_;  // last: it stops before the members its connections use
};

/// The value of `token=` in a mail (a link's query parameter): base64url characters after it.
std::string TokenFromMail(const std::string& data);

}  // namespace kiln::testing
