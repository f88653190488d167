// Raw bytes from a socket, parsed the way `kiln serve` parses them: http_parser (the parser RESTinio is built
// on) under the server's message limits (http/request_limits.hpp), the query string by RESTinio's relaxed
// parser, the path by the route table, and the body by the JSON body parser. Anything the server would
// answer with 400/413 must be an exception of Kiln's family or a parser error, never a crash.

#include <http_parser.h>

#include <cstddef>
#include <cstdint>
#include <restinio/uri_helpers.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "http/request.hpp"
#include "http/request_limits.hpp"
#include "http/route.hpp"
#include "http/schema.hpp"

namespace {

using kiln::http::Method;

struct Message {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool in_value = false;
    bool too_large = false;
    bool complete = false;
};

Message& Of(http_parser* parser) {
    return *static_cast<Message*>(parser->data);
}

int OnUrl(http_parser* parser, const char* at, size_t length) {
    auto& m = Of(parser);
    m.url.append(at, length);
    if (m.url.size() > kiln::http::limits::kMaxUrlBytes) m.too_large = true;
    return m.too_large ? 1 : 0;
}

int OnHeaderField(http_parser* parser, const char* at, size_t length) {
    auto& m = Of(parser);
    if (m.headers.empty() || m.in_value) m.headers.emplace_back();
    m.in_value = false;
    m.headers.back().first.append(at, length);
    if (m.headers.size() > kiln::http::limits::kMaxHeaderCount ||
        m.headers.back().first.size() > kiln::http::limits::kMaxHeaderNameBytes)
        m.too_large = true;
    return m.too_large ? 1 : 0;
}

int OnHeaderValue(http_parser* parser, const char* at, size_t length) {
    auto& m = Of(parser);
    if (m.headers.empty()) return 1;
    m.in_value = true;
    m.headers.back().second.append(at, length);
    if (m.headers.back().second.size() > kiln::http::limits::kMaxHeaderValueBytes) m.too_large = true;
    return m.too_large ? 1 : 0;
}

int OnBody(http_parser* parser, const char* at, size_t length) {
    auto& m = Of(parser);
    m.body.append(at, length);
    // The server's default body limit; the dispatcher answers 413 beyond it.
    if (m.body.size() > 1024 * 1024) m.too_large = true;
    return m.too_large ? 1 : 0;
}

int OnComplete(http_parser* parser) {
    Of(parser).complete = true;
    return 1;  // one message per input, as the server handles one request at a time per connection
}

const kiln::http::RouteTable& Routes() {
    static const kiln::http::RouteTable table = [] {
        kiln::http::RouteTable routes("api/v1");
        for (const char* path : {"/health", "/products", "/products/{id}", "/integrations/webhooks",
                                 "/integrations/{id}", "/integrations/webhooks/{id}/deliveries/{delivery_id}",
                                 "/ledger/accounts/{code}/statement", "/hooks/{integration_id}"}) {
            kiln::http::Route route;
            route.method = Method::kGet;
            route.path = path;
            route.access = kiln::http::Access::kPublic;
            routes.Add(route);
        }
        return routes;
    }();
    return table;
}

void Handle(const Message& m, Method method) {
    http_parser_url url{};
    http_parser_url_init(&url);
    if (http_parser_parse_url(m.url.data(), m.url.size(), 0, &url) != 0) return;  // 400
    const auto part = [&](http_parser_url_fields field) {
        if ((url.field_set & (1U << field)) == 0) return std::string();
        return m.url.substr(url.field_data[field].off, url.field_data[field].len);
    };
    kiln::http::Request request;
    request.method = method;
    request.path = part(UF_PATH);
    try {
        const auto params = restinio::parse_query<restinio::parse_query_traits::relaxed>(part(UF_QUERY));
        for (const auto& [key, value] : params) request.query.emplace(std::string(key), std::string(value));
    } catch (const std::exception&) {
        return;  // "The query string is malformed."
    }
    for (const auto& [name, value] : m.headers) request.headers.emplace_back(name, value);
    (void)request.Header("content-type");
    (void)request.Query("limit");
    try {
        const auto match = Routes().Find(method, request.path);
        if (match.route != nullptr && !m.body.empty()) (void)kiln::http::ParseJsonBody(m.body);
    } catch (const kiln::Error&) {
        // 400 for a malformed path or body: the expected answer.
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    http_parser_settings settings{};
    http_parser_settings_init(&settings);
    settings.on_url = OnUrl;
    settings.on_header_field = OnHeaderField;
    settings.on_header_value = OnHeaderValue;
    settings.on_body = OnBody;
    settings.on_message_complete = OnComplete;

    Message message;
    http_parser parser{};
    http_parser_init(&parser, HTTP_REQUEST);
    parser.data = &message;
    http_parser_execute(&parser, &settings, reinterpret_cast<const char*>(data), size);
    if (!message.complete || message.too_large) return 0;

    Method method = Method::kGet;
    switch (static_cast<http_method>(parser.method)) {
        case HTTP_GET:
            method = Method::kGet;
            break;
        case HTTP_POST:
            method = Method::kPost;
            break;
        case HTTP_PUT:
            method = Method::kPut;
            break;
        case HTTP_PATCH:
            method = Method::kPatch;
            break;
        case HTTP_DELETE:
            method = Method::kDelete;
            break;
        default:
            return 0;  // 405
    }
    Handle(message, method);
    return 0;
}
