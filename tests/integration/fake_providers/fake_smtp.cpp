#include "fake_smtp.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace kiln::testing {

namespace {

/// Reads one CRLF-terminated line (without the CRLF) from `fd`, buffering the rest; nothing when
/// the client went away or was silent for the socket's timeout.
std::optional<std::string> ReadLine(int fd, std::string& buffer) {
    while (true) {
        const size_t end = buffer.find("\r\n");
        if (end != std::string::npos) {
            std::string line = buffer.substr(0, end);
            buffer.erase(0, end + 2);
            return line;
        }
        char chunk[4096];
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return std::nullopt;
        buffer.append(chunk, static_cast<size_t>(n));
    }
}

std::string Upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
    return text;
}

/// "MAIL FROM:<a@b> SIZE=10" → "a@b".
std::string AngleAddress(const std::string& line) {
    const size_t open = line.find('<');
    const size_t close = line.find('>', open);
    if (open == std::string::npos || close == std::string::npos) return "";
    return line.substr(open + 1, close - open - 1);
}

}  // namespace

FakeSmtp::FakeSmtp() : listener_([this](int fd) { Serve(fd); }) {}

void FakeSmtp::Serve(int fd) {
    timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string buffer;
    SmtpMessage current;
    SendAll(fd, "220 fake-smtp.test ESMTP ready\r\n");
    while (!listener_.stopping()) {
        const auto line = ReadLine(fd, buffer);
        if (!line) break;
        const std::string verb = Upper(line->substr(0, line->find(' ')));
        if (verb == "EHLO") {
            SendAll(fd, "250-fake-smtp.test\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n");
        } else if (verb == "HELO") {
            SendAll(fd, "250 fake-smtp.test\r\n");
        } else if (verb == "MAIL") {
            current = SmtpMessage{AngleAddress(*line), {}, ""};
            SendAll(fd, "250 OK\r\n");
        } else if (verb == "RCPT") {
            current.recipients.push_back(AngleAddress(*line));
            SendAll(fd, "250 OK\r\n");
        } else if (verb == "DATA") {
            SendAll(fd, "354 End data with <CR><LF>.<CR><LF>\r\n");
            std::string data;
            bool complete = false;
            while (auto data_line = ReadLine(fd, buffer)) {
                if (*data_line == ".") {
                    complete = true;
                    break;
                }
                data += (data_line->starts_with("..") ? data_line->substr(1) : *data_line) + "\r\n";
            }
            if (!complete) break;
            current.data = std::move(data);
            {
                const std::lock_guard lock(mutex_);
                messages_.push_back(current);
            }
            arrived_.notify_all();
            SendAll(fd, "250 OK queued\r\n");
        } else if (verb == "RSET") {
            current = SmtpMessage{};
            SendAll(fd, "250 OK\r\n");
        } else if (verb == "NOOP") {
            SendAll(fd, "250 OK\r\n");
        } else if (verb == "QUIT") {
            SendAll(fd, "221 Bye\r\n");
            break;
        } else {
            SendAll(fd, "502 Command not implemented\r\n");
        }
    }
}

std::vector<SmtpMessage> FakeSmtp::messages() const {
    const std::lock_guard lock(mutex_);
    return messages_;
}

std::vector<SmtpMessage> FakeSmtp::MessagesTo(const std::string& address) const {
    std::vector<SmtpMessage> out;
    for (const auto& m : messages())
        if (std::find(m.recipients.begin(), m.recipients.end(), address) != m.recipients.end()) out.push_back(m);
    return out;
}

std::optional<SmtpMessage> FakeSmtp::WaitForMessageTo(const std::string& address, size_t n,
                                                      std::chrono::milliseconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::unique_lock lock(mutex_);
    while (true) {
        size_t seen = 0;
        const SmtpMessage* newest = nullptr;
        for (const auto& m : messages_) {
            if (std::find(m.recipients.begin(), m.recipients.end(), address) == m.recipients.end()) continue;
            ++seen;
            newest = &m;
        }
        if (seen >= n && newest != nullptr) return *newest;
        if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout) return std::nullopt;
    }
}

std::string TokenFromMail(const std::string& data) {
    const size_t at = data.find("token=");
    if (at == std::string::npos) return "";
    size_t end = at + 6;
    while (end < data.size() &&
           (std::isalnum(static_cast<unsigned char>(data[end])) || data[end] == '-' || data[end] == '_'))
        ++end;
    return data.substr(at + 6, end - at - 6);
}

}  // namespace kiln::testing
