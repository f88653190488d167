#include "http/request.hpp"

namespace kiln::http {

std::string_view MethodName(Method method) {
    switch (method) {
        case Method::kGet:
            return "GET";
        case Method::kPost:
            return "POST";
        case Method::kPut:
            return "PUT";
        case Method::kPatch:
            return "PATCH";
        case Method::kDelete:
            return "DELETE";
    }
    return "GET";
}

std::optional<std::string> Request::Header(std::string_view lowercase_name) const {
    for (const auto& [name, value] : headers)
        if (name == lowercase_name) return value;
    return std::nullopt;
}

std::optional<std::string> Request::Query(const std::string& name) const {
    const auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
}

Response Response::Json(int status, const nlohmann::json& body) {
    return Response{
        status, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), {}};
}

}  // namespace kiln::http
