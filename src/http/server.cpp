#include "http/server.hpp"

#include <restinio/all.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "core/log.hpp"
#include "core/shutdown_signal.hpp"
#include "core/strings.hpp"
#include "http/handler_pool.hpp"
#include "http/problem.hpp"
#include "http/request_limits.hpp"

namespace kiln::http {

namespace {

using Traits = restinio::default_traits_t;
using RestinioServer = restinio::http_server_t<Traits>;

std::optional<Method> ToMethod(const restinio::http_method_id_t& method) {
    if (method == restinio::http_method_get()) return Method::kGet;
    if (method == restinio::http_method_post()) return Method::kPost;
    if (method == restinio::http_method_put()) return Method::kPut;
    if (method == restinio::http_method_patch()) return Method::kPatch;
    if (method == restinio::http_method_delete()) return Method::kDelete;
    return std::nullopt;
}

const char* ReasonPhrase(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 409:
            return "Conflict";
        case 413:
            return "Content Too Large";
        case 422:
            return "Unprocessable Content";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        default:
            return "Status";
    }
}

Request ToRequest(const restinio::request_handle_t& req, Method method) {
    Request request;
    request.method = method;
    request.path = std::string(req->header().path());
    const auto params =
        restinio::parse_query<restinio::parse_query_traits::relaxed>(req->header().query());  // throws on bad encoding
    for (const auto& [key, value] : params) request.query.emplace(std::string(key), std::string(value));
    req->header().for_each_field([&](const restinio::http_header_field_t& field) {
        request.headers.emplace_back(strings::ToLower(field.name()), field.value());
    });
    request.body = req->body();
    request.client_ip = req->remote_endpoint().address().to_string();
    return request;
}

}  // namespace

struct Server::Impl {
    Impl(const Config& config, Dispatcher& dispatcher)
        : config_(config), dispatcher_(dispatcher), pool_(config.handler_threads, config.handler_queue_limit) {}

    void Write(const restinio::request_handle_t& req, const Response& response, bool close = false) {
        auto builder = req->create_response(restinio::http_status_line_t{
            restinio::http_status_code_t{static_cast<std::uint16_t>(response.status)}, ReasonPhrase(response.status)});
        if (!response.content_type.empty())
            builder.append_header(restinio::http_field::content_type, response.content_type);
        for (const auto& [name, value] : response.headers) builder.append_header(name, value);
        if (close) builder.connection_close();
        builder.set_body(response.body);
        builder.done([this](const auto&) { in_flight_.fetch_sub(1); });
    }

    void WriteError(const restinio::request_handle_t& req, const Error& error, bool close = false) {
        Write(req, ProblemResponse(error, std::string(req->header().path()), ""), close);
    }

    restinio::request_handling_status_t Accept(const restinio::request_handle_t& req) {
        in_flight_.fetch_add(1);
        if (draining_.load()) {
            WriteError(req, Unavailable("The server is shutting down."), true);
            return restinio::request_accepted();
        }
        const auto method = ToMethod(req->header().method());
        if (!method) {
            WriteError(req, Error(ErrorCode::kMethodNotAllowed, "This method is not supported."));
            return restinio::request_accepted();
        }
        std::optional<Request> request;
        try {
            request = ToRequest(req, *method);
        } catch (const std::exception&) {
            WriteError(req, BadRequest("The query string is malformed."));
            return restinio::request_accepted();
        }
        const bool queued =
            pool_.Submit([this, req, request = std::move(*request)] { Write(req, dispatcher_.Handle(request)); });
        if (!queued) WriteError(req, Unavailable("The server is at capacity; retry shortly.").WithRetryAfter(1));
        return restinio::request_accepted();
    }

    const Config& config_;
    Dispatcher& dispatcher_;
    HandlerPool pool_;
    std::atomic<int64_t> in_flight_{0};
    std::atomic<bool> draining_{false};
};

namespace {

/// Writes the bound port for whoever started Kiln with PORT=0 (tests, supervisors): to a temporary name
/// first, so a reader never sees a half-written number.
void WritePortFile(const std::string& path, std::uint16_t port) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << port << "\n";
        if (!out.flush()) throw std::runtime_error("cannot write KILN_PORT_FILE " + temporary);
    }
    std::filesystem::rename(temporary, path);
}

}  // namespace

Server::Server(const Config& config, Dispatcher& dispatcher) : impl_(std::make_unique<Impl>(config, dispatcher)) {}
Server::~Server() = default;

void Server::Run() {
    const Config& config = impl_->config_;
    // RESTinio's own limit only guards memory: it drops the connection without a response, so
    // it sits well above ours, and the dispatcher answers 413 for bodies between the two.
    const auto hard_body_limit = std::max<std::uint64_t>(config.max_body_bytes * 4, std::uint64_t{8} * 1024 * 1024);
    std::uint16_t bound_port = 0;  // PORT=0 binds any free port; this is the one bound
    RestinioServer server{restinio::own_io_context(),
                          restinio::server_settings_t<Traits>{}
                              .port(static_cast<std::uint16_t>(config.port))
                              .address(config.address)
                              .read_next_http_message_timelimit(config.read_timeout)
                              .write_http_response_timelimit(config.write_timeout)
                              .handle_request_timeout(config.read_timeout + config.write_timeout)
                              .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                                            .max_url_size(limits::kMaxUrlBytes)
                                                            .max_field_name_size(limits::kMaxHeaderNameBytes)
                                                            .max_field_value_size(limits::kMaxHeaderValueBytes)
                                                            .max_field_count(limits::kMaxHeaderCount)
                                                            .max_body_size(hard_body_limit))
                              .request_handler([this](auto req) { return impl_->Accept(req); })
                              .acceptor_post_bind_hook([&bound_port](restinio::asio_ns::ip::tcp::acceptor& acceptor) {
                                  bound_port = acceptor.local_endpoint().port();
                              })};

    restinio::on_pool_runner_t<RestinioServer> runner{std::max<size_t>(1, config.io_threads), server};
    std::promise<void> started;
    runner.start([&started]() noexcept { started.set_value(); },
                 [&started](std::exception_ptr error) noexcept { started.set_exception(std::move(error)); });
    started.get_future().get();  // rethrows a bind failure
    log::Info("listening", {{"address", config.address}, {"port", bound_port}});
    if (!config.port_file.empty()) WritePortFile(config.port_file, bound_port);

    log::Info("shutting down", {{"signal", WaitForShutdownSignal()}});

    // Stop accepting; requests already read are answered; new ones on open connections get 503.
    impl_->draining_.store(true);
    std::promise<void> closed;
    server.close_async([&closed]() noexcept { closed.set_value(); },
                       [&closed](const std::exception_ptr& /*error*/) noexcept { closed.set_value(); });
    closed.get_future().wait();
    const auto deadline = std::chrono::steady_clock::now() + config.shutdown_grace;
    while (impl_->in_flight_.load() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (impl_->in_flight_.load() > 0) log::Warn("shutdown grace ran out", {{"in_flight", impl_->in_flight_.load()}});
    impl_->pool_.Stop();
    runner.stop();
    runner.wait();
}

}  // namespace kiln::http
