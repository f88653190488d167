#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiln::http {

enum class Method { kGet, kPost, kPut, kPatch, kDelete };

std::string_view MethodName(Method method);

/// A transport-independent view of an HTTP request, built by the server adapter.
struct Request {
    Method method = Method::kGet;
    std::string path;  // as received, still percent-encoded; the router decodes segments
    std::multimap<std::string, std::string> query;
    std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
    std::string body;
    std::string client_ip;

    std::optional<std::string> Header(std::string_view lowercase_name) const;
    std::optional<std::string> Query(const std::string& name) const;
};

/// What a handler returns.
struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    static Response Json(int status, const nlohmann::json& body);
    static Response NoContent() { return Response{204, "", "", {}}; }
};

}  // namespace kiln::http
