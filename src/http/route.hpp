#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/request.hpp"
#include "http/schema.hpp"

namespace kiln::http {

class RequestContext;
using Handler = std::function<Response(RequestContext&)>;

/// Who may call a route.
enum class Access {
    kPublic,         // no credential (health, login, docs)
    kAuthenticated,  // any signed-in principal; no tenant involved
    kTenant,         // a principal acting in one tenant (X-Tenant-Id or the token's tenant)
};

struct QueryParameter {
    std::string name;
    std::string type;  // "string", "integer", "date-time"
    std::string description;
};

/// One route, declared once: everything the dispatcher, OpenAPI and the route-walking tests need.
struct Route {
    Method method = Method::kGet;
    std::string path;  // template relative to the API prefix, e.g. "/roles/{id}"
    std::string operation_id;
    std::string summary;
    std::string tag;
    Access access = Access::kTenant;
    std::string permission;             // required permission; empty only for public/self routes
    std::optional<Schema> body;         // request body schema; absent = no body accepted
    std::vector<QueryParameter> query;  // documented query parameters
    int success_status = 200;
    bool creates = false;             // a creating POST: honours Idempotency-Key
    bool outside_api_prefix = false;  // served at the path as written (e.g. /api/openapi.json)
    bool writes = false;              // needs a read-write transaction (set automatically for non-GET)
    /// The handler opens its own transactions through RequestContext::database(), e.g. to keep
    /// slow work (password hashing) outside the write lock. Public routes only: nothing to audit.
    bool own_transactions = false;
    /// The handler waits on a bounded outbound call (a test send): the request starts read-only, so
    /// no write lock is held while it waits, and the handler calls ctx.BeginWrites() after the call.
    bool slow_io = false;
    /// The handler reads the body as the bytes received (provider webhooks are verified over them):
    /// no JSON parsing or schema. Public routes only.
    bool raw_body = false;
    std::string entity_type;  // the object kind it acts on, for the audit log
    Handler handler;
};

/// Routes and their matching. Static segments win over parameters, so "/integrations/webhooks"
/// is never captured by "/integrations/{id}".
class RouteTable {
  public:
    explicit RouteTable(std::string api_prefix) : api_prefix_(std::move(api_prefix)) {}

    void Add(Route route);
    const std::vector<Route>& routes() const { return routes_; }
    const std::string& api_prefix() const { return api_prefix_; }
    /// "/" + prefix + path, or the path itself for routes outside the prefix.
    std::string FullPath(const Route& route) const;

    struct Match {
        const Route* route = nullptr;
        std::map<std::string, std::string> params;
        bool path_exists = false;  // some route has this path, with another method → 405
    };
    /// Throws BadRequest for a path with malformed percent-encoding.
    Match Find(Method method, const std::string& path) const;

  private:
    std::string api_prefix_;
    std::vector<Route> routes_;
    std::vector<std::vector<std::string>> segments_;  // FullPath of each route, split once
};

}  // namespace kiln::http
