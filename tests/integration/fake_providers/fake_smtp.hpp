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

namespace kiln::testing {

struct SmtpMessage {
    std::string mail_from;                // the envelope sender, without <>
    std::vector<std::string> recipients;  // envelope recipients, without <>
    std::string data;                     // headers and body as received, dot-unstuffed
};

class FakeSmtp {
  public:
    FakeSmtp();
    ~FakeSmtp();
    FakeSmtp(const FakeSmtp&) = delete;
    FakeSmtp& operator=(const FakeSmtp&) = delete;

    int port() const { return port_; }
    /// "smtp://127.0.0.1:PORT", for KILN_SMTP_URL.
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

    std::vector<SmtpMessage> messages() const;
    /// The messages whose envelope recipients include `address`.
    std::vector<SmtpMessage> MessagesTo(const std::string& address) const;
    /// Waits until at least `n` messages went to `address`; the newest of them, or nothing when
    /// `limit` ran out first.
    std::optional<SmtpMessage> WaitForMessageTo(const std::string& address, size_t n = 1,
                                                std::chrono::milliseconds limit = std::chrono::seconds(20)) const;

  private:
    void AcceptLoop();
    void Serve(int fd);

    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::vector<SmtpMessage> messages_;
    std::vector<int> open_fds_;
    std::vector<std::thread> connections_;
    std::thread acceptor_;
};

/// The value of `token=` in a mail (a link's query parameter): base64url characters after it.
std::string TokenFromMail(const std::string& data);

}  // namespace kiln::testing
