#include "http/openapi.hpp"

#include <mutex>
#include <regex>

#include "core/strings.hpp"
#include "http/request_context.hpp"

namespace kiln::http {

namespace {

nlohmann::json ProblemSchema() {
    return {{"type", "object"},
            {"description", "RFC 9457 problem details"},
            {"properties",
             {{"type", {{"type", "string"}}},
              {"title", {{"type", "string"}}},
              {"status", {{"type", "integer"}}},
              {"detail", {{"type", "string"}}},
              {"instance", {{"type", "string"}}},
              {"request_id", {{"type", "string"}}},
              {"errors",
               {{"type", "array"},
                {"items",
                 {{"type", "object"},
                  {"properties", {{"field", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}}}};
}

nlohmann::json ProblemRef(const std::string& description) {
    return {{"description", description},
            {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

nlohmann::json Operation(const Route& route) {
    nlohmann::json op = {{"operationId", route.operation_id}, {"summary", route.summary}, {"tags", {route.tag}}};
    nlohmann::json parameters = nlohmann::json::array();
    static const std::regex kParam(R"(\{([a-z_]+)\})");
    for (auto it = std::sregex_iterator(route.path.begin(), route.path.end(), kParam); it != std::sregex_iterator();
         ++it)
        parameters.push_back(
            {{"name", (*it)[1].str()}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    for (const auto& q : route.query) {
        nlohmann::json schema = {{"type", q.type == "date-time" ? "string" : q.type}};
        if (q.type == "date-time") schema["format"] = "date-time";
        parameters.push_back({{"name", q.name}, {"in", "query"}, {"description", q.description}, {"schema", schema}});
    }
    if (route.access == Access::kTenant)
        parameters.push_back({{"name", "X-Tenant-Id"},
                              {"in", "header"},
                              {"description", "Tenant id or slug (session tokens)"},
                              {"schema", {{"type", "string"}}}});
    if (route.creates)
        parameters.push_back({{"name", "Idempotency-Key"},
                              {"in", "header"},
                              {"description", "Retry-safe creation: the same key and body return the stored response"},
                              {"schema", {{"type", "string"}, {"maxLength", 255}}}});
    if (!parameters.empty()) op["parameters"] = parameters;
    if (route.body)
        op["requestBody"] = {{"required", true},
                             {"content", {{"application/json", {{"schema", route.body->ToJsonSchema()}}}}}};
    if (route.raw_body)
        op["requestBody"] = {{"required", true},
                             {"description", "The provider's webhook, verified over the exact bytes received"},
                             {"content", {{"*/*", {{"schema", {{"type", "string"}}}}}}}};

    nlohmann::json responses;
    responses[std::to_string(route.success_status)] = {{"description", "Success"}};
    if (route.success_status != 204)
        responses[std::to_string(route.success_status)]["content"] = {
            {"application/json", {{"schema", {{"type", "object"}}}}}};
    if (route.body) {
        responses["400"] = ProblemRef("Malformed request");
        responses["422"] = ProblemRef("Invalid fields");
        responses["413"] = ProblemRef("Body too large");
    }
    if (route.access != Access::kPublic) {
        op["security"] = {{{"bearerAuth", nlohmann::json::array()}}};
        responses["401"] = ProblemRef("Missing or invalid credentials");
    }
    if (!route.permission.empty()) {
        op["x-permission"] = route.permission;
        responses["403"] = ProblemRef("Missing permission " + route.permission);
    }
    if (route.path.find('{') != std::string::npos || route.access == Access::kTenant)
        responses["404"] = ProblemRef("Not found");
    op["responses"] = responses;
    return op;
}

constexpr std::string_view kDocsPage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kiln API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f7f7f9}
header{background:#1d2330;color:#fff;padding:16px 24px}main{max-width:1000px;margin:0 auto;padding:16px 24px}
h2{border-bottom:1px solid #ddd;padding-bottom:4px;text-transform:capitalize}
details{background:#fff;border:1px solid #e2e2e8;border-radius:6px;margin:6px 0;padding:8px 12px}
summary{cursor:pointer}.m{display:inline-block;min-width:64px;font-weight:700;font-family:monospace}
.GET{color:#1565c0}.POST{color:#2e7d32}.PUT{color:#ef6c00}.DELETE{color:#c62828}.PATCH{color:#6a1b9a}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f3f3f6;padding:8px;overflow:auto}
.perm{color:#666;font-size:12px;margin-left:8px}
</style></head><body><header><strong>Kiln API</strong> <span id="v"></span> &middot;
<a style="color:#9cf" href="openapi.json">openapi.json</a></header><main id="root">Loading…</main>
<script>
fetch('openapi.json').then(r=>r.json()).then(doc=>{
  document.getElementById('v').textContent=doc.info.version;
  const byTag={};
  for(const [path,ops] of Object.entries(doc.paths))for(const [m,op] of Object.entries(ops))
    (byTag[op.tags[0]]=byTag[op.tags[0]]||[]).push({path,m:m.toUpperCase(),op});
  const root=document.getElementById('root');root.textContent='';
  for(const tag of Object.keys(byTag).sort()){
    const h=document.createElement('h2');h.textContent=tag;root.appendChild(h);
    for(const {path,m,op} of byTag[tag]){
      const d=document.createElement('details');const s=document.createElement('summary');
      s.innerHTML='<span class="m '+m+'"></span><code></code> <span class="sum"></span><span class="perm"></span>';
      s.children[0].textContent=m;s.children[1].textContent=path;s.children[2].textContent=op.summary||'';
      s.children[3].textContent=op['x-permission']?'requires '+op['x-permission']:'';
      d.appendChild(s);const pre=document.createElement('pre');
      pre.textContent=JSON.stringify({parameters:op.parameters,requestBody:op.requestBody,responses:op.responses},null,2);
      d.appendChild(pre);root.appendChild(d);}}
}).catch(e=>{document.getElementById('root').textContent='Could not load the API document: '+e});
</script></body></html>
)html";

}  // namespace

nlohmann::json BuildOpenApi(const RouteTable& routes) {
    nlohmann::json paths = nlohmann::json::object();
    for (const auto& route : routes.routes()) {
        const std::string method = strings::ToLower(MethodName(route.method));
        paths[routes.FullPath(route)][method] = Operation(route);
    }
    return {{"openapi", "3.1.0"},
            {"info",
             {{"title", "Kiln"},
              {"version", KILN_VERSION},
              {"description", "Multi-tenant ERP platform API. Errors are RFC 9457 problem documents."}}},
            {"paths", paths},
            {"components",
             {{"schemas", {{"Problem", ProblemSchema()}}},
              {"securitySchemes", {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}}}}}}};
}

void RegisterOpenApiRoutes(RouteTable& routes) {
    const RouteTable* table = &routes;
    routes.Add({.method = Method::kGet,
                .path = "/api/openapi.json",
                .operation_id = "openApi",
                .summary = "This OpenAPI 3.1 document",
                .tag = "meta",
                .access = Access::kPublic,
                .outside_api_prefix = true,
                .own_transactions = true,
                .entity_type = "openapi",
                .handler = [table](RequestContext&) {
                    // Routes are all registered before the server starts, so one rendering serves.
                    static std::once_flag once;
                    static std::string body;
                    std::call_once(once, [&] { body = BuildOpenApi(*table).dump(); });
                    return Response{200, "application/json", body, {}};
                }});
    routes.Add({.method = Method::kGet,
                .path = "/api/docs",
                .operation_id = "apiDocs",
                .summary = "Browsable API reference",
                .tag = "meta",
                .access = Access::kPublic,
                .outside_api_prefix = true,
                .own_transactions = true,
                .entity_type = "openapi",
                .handler = [](RequestContext&) {
                    return Response{200, "text/html; charset=utf-8", std::string(kDocsPage), {}};
                }});
}

}  // namespace kiln::http
