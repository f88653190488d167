#include "http_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
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

void SendAll(int fd, const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;  // the client went away (a killed Kiln): nothing to tell
        sent += static_cast<size_t>(n);
    }
}

}  // namespace

std::optional<std::string> ReceivedRequest::Header(const std::string& name) const {
    for (const auto& [key, value] : headers)
        if (::strcasecmp(key.c_str(), name.c_str()) == 0) return value;
    return std::nullopt;
}

HttpReceiver::HttpReceiver(Responder responder) : responder_(std::move(responder)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket failed");
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 128) != 0)
        throw std::runtime_error("bind/listen failed");
    socklen_t length = sizeof address;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
}

HttpReceiver::~HttpReceiver() {
    stopping_ = true;
    acceptor_.join();
    ::close(listen_fd_);
    std::vector<std::thread> connections;
    {
        const std::lock_guard lock(mutex_);
        connections.swap(connections_);
        for (const int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : connections) t.join();
}

void HttpReceiver::AcceptLoop() {
    while (!stopping_) {
        pollfd pfd{listen_fd_, POLLIN, 0};
        if (::poll(&pfd, 1, 50) <= 0) continue;
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        const std::lock_guard lock(mutex_);
        open_fds_.push_back(fd);
        connections_.emplace_back([this, fd] { Serve(fd); });
    }
}

void HttpReceiver::Serve(int fd) {
    // Keep-alive, as real receivers do: the connection serves requests until the client closes it,
    // stays idle for 5 s, or the receiver stops.
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    while (!stopping_) {
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
        while (!stopping_ && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::string out = "HTTP/1.1 " + std::to_string(reply.status) +
                          " Test\r\nContent-Length: " + std::to_string(reply.body.size()) + "\r\n";
        for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
        out += "\r\n" + reply.body;
        SendAll(fd, out);
    }
    const std::lock_guard lock(mutex_);
    open_fds_.erase(std::find(open_fds_.begin(), open_fds_.end(), fd));
    ::close(fd);
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
