#include "http_receiver.hpp"

#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace kiln::testing {

namespace {

constexpr size_t kMaxRequestBytes = size_t{16} * 1024 * 1024;

/// Reads one request: headers up to the blank line, then Content-Length bytes of body.
std::optional<ReceivedRequest> ReadRequest(int fd) {
    std::string data;
    char buffer[16384];
    size_t header_end = std::string::npos;
    size_t content_length = 0;
    while (true) {
        if (header_end == std::string::npos) {
            header_end = data.find("\r\n\r\n");
            if (header_end != std::string::npos) {
                const auto lower = [](std::string s) {
                    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    return s;
                };
                const std::string head = lower(data.substr(0, header_end));
                const auto at = head.find("\r\ncontent-length:");
                if (at != std::string::npos) content_length = std::stoul(head.substr(at + 17));
            }
        }
        if (header_end != std::string::npos && data.size() >= header_end + 4 + content_length) break;
        if (data.size() > kMaxRequestBytes) return std::nullopt;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) return std::nullopt;
        data.append(buffer, static_cast<size_t>(n));
    }
    ReceivedRequest request;
    const std::string head = data.substr(0, header_end);
    size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    const auto sp1 = request_line.find(' ');
    const auto sp2 = request_line.find(' ', sp1 + 1);
    request.method = request_line.substr(0, sp1);
    request.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    while (line_end != std::string::npos && line_end < head.size()) {
        const size_t start = line_end + 2;
        line_end = head.find("\r\n", start);
        const std::string line =
            head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        request.headers.emplace_back(line.substr(0, colon), value);
    }
    request.body = data.substr(header_end + 4, content_length);
    return request;
}

}  // namespace

std::optional<std::string> ReceivedRequest::Header(const std::string& name) const {
    for (const auto& [key, value] : headers)
        if (::strcasecmp(key.c_str(), name.c_str()) == 0) return value;
    return std::nullopt;
}

HttpReceiver::HttpReceiver(Responder responder)
    : responder_(std::move(responder)), listener_([this](int fd) { Serve(fd); }) {}

void HttpReceiver::Serve(int fd) {
    // Keep-alive, as real receivers do: the connection serves requests until the client closes it,
    // stays idle for 5 s, or the receiver stops.
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    while (!listener_.stopping()) {
        const auto request = ReadRequest(fd);
        if (!request) break;
        size_t index = 0;
        {
            const std::lock_guard lock(mutex_);
            index = requests_.size();
            requests_.push_back(*request);
        }
        arrived_.notify_all();
        const Reply reply = responder_ ? responder_(*request, index) : Reply{};
        const auto until = std::chrono::steady_clock::now() + reply.delay;
        while (!listener_.stopping() && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::string out = "HTTP/1.1 " + std::to_string(reply.status) +
                          " Test\r\nContent-Length: " + std::to_string(reply.body.size()) + "\r\n";
        for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
        out += "\r\n" + reply.body;
        SendAll(fd, out);
    }
}

std::vector<ReceivedRequest> HttpReceiver::requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
}

size_t HttpReceiver::count() const {
    const std::lock_guard lock(mutex_);
    return requests_.size();
}

bool HttpReceiver::WaitFor(size_t n, std::chrono::milliseconds limit) const {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, limit, [&] { return requests_.size() >= n; });
}

}  // namespace kiln::testing
