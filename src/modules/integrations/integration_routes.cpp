#include "modules/integrations/integration_routes.hpp"

#include <algorithm>

#include "core/uuid.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "modules/common/secret_fields.hpp"
#include "modules/integrations/provider_registry.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

Integration Existing(http::RequestContext& ctx, const IntegrationService& service) {
    auto found = service.repository().Find(ctx.scope(), IntegrationId(ctx.IdParam("id")));
    if (!found) throw ctx.NotFoundError();
    return *found;
}

constexpr const char* kInvalidConfig = "The integration's configuration is invalid.";

common::IsSecretField SecretsOf(const TypeSpec& spec) {
    return [&spec](const std::string& field) { return spec.IsSecret(field); };
}

bool Contains(const json& names, const std::string& name) {
    return std::find(names.begin(), names.end(), json(name)) != names.end();
}

json FieldOrNull(const json& config, const std::string& field) {
    const auto it = config.find(field);
    return it == config.end() ? json() : *it;
}

/// An endpoint field changed (a custom base_url, a shop domain, a region, an account): the stored
/// secrets were given for the old one, so each must come again in the same request (or be removed).
/// None is carried to the new place, so changing a URL alone never sends a stored secret elsewhere.
void RequireSecretsAgain(const TypeSpec& spec, const json& stored, const json& merged, const json& update) {
    std::string moved;
    for (const auto& field : spec.EndpointFields())
        if (FieldOrNull(stored, field) != FieldOrNull(merged, field)) {
            moved = field;
            break;
        }
    if (moved.empty()) return;
    std::vector<FieldError> errors;
    for (const auto& secret : spec.SecretFields()) {
        const json kept = FieldOrNull(stored, secret);
        if (!kept.is_string() || kept.get<std::string>().empty()) continue;
        const json sent = FieldOrNull(update, secret);
        const bool fresh = sent.is_null() ? update.contains(secret)
                                          : sent.is_string() && !common::LooksMasked(sent.get<std::string>());
        if (!fresh) errors.push_back({"config." + secret, "must be sent again when " + moved + " changes"});
    }
    if (!errors.empty())
        throw ValidationError(std::move(errors),
                              "The integration's secrets must be sent again with a new " + moved + ".");
}

void Validate(const IntegrationService& service, const Integration& integration) {
    const auto& spec = TypeOf(integration.type);
    const bool platform = integration.use_platform_credentials;
    ValidateConfig(spec, integration.config, EffectiveConfig(spec, integration.config, service.defaults(), platform),
                   integration.mode, platform);
}

/// A tenant's own URL (a custom integration's base_url) must be one a tenant may reach, checked when
/// saved as webhook URLs are (and again at every call): KILN_TENANT_EGRESS_ALLOWED_NETWORKS, never the
/// operator's networks.
void CheckTenantUrl(const IntegrationService& service, const Integration& integration) {
    const auto it = integration.config.find("base_url");
    if (it == integration.config.end() || !it->is_string() || !TypeOf(integration.type).IsEndpoint("base_url")) return;
    try {
        service.outbound().CheckUrl(it->get<std::string>(), egress::Trust::kTenant);
    } catch (const egress::EgressError& e) {
        throw ValidationError("config.base_url", e.what());
    }
}

/// Only one default per capability: choosing this one unsets the others.
void SaveDefaultChoice(http::RequestContext& ctx, const IntegrationService& service, const Integration& integration) {
    if (integration.is_default) service.repository().ClearDefault(ctx.scope(), integration.capability, integration.id);
}

http::Handler ListTypes() {
    return [](http::RequestContext&) {
        json types = json::array();
        for (const auto& provider : Providers().All()) types.push_back(provider->spec().ToJson());
        return http::Response::Json(200, json{{"data", types}});
    };
}

http::Handler Create(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const auto& body = ctx.body();
        const auto& spec = TypeOf(body.at("type"));
        const Timestamp now = Now();
        Integration integration{
            .id = IntegrationId(NewUuidV7()),
            .type = spec.type,
            .capability = spec.capability,
            .name = body.at("name"),
            .mode = body.value("mode", "test"),
            .config = body.value("config", json::object()),
            .status = body.value("status", "active"),
            .is_default = body.value("is_default", false),
            .created_at = now,
            .updated_at = now,
            .use_platform_credentials = IntegrationRepository::UsesPlatformCredentials(ctx.scope())};
        if (integration.config.is_object())
            common::RefuseMaskedSecrets(SecretsOf(spec), integration.config, kInvalidConfig);
        Validate(service, integration);
        CheckTenantUrl(service, integration);
        SaveDefaultChoice(ctx, service, integration);
        service.repository().Insert(ctx.scope(), integration);
        json fields = json::array();
        for (const auto& [field, value] : integration.config.items()) fields.push_back(field);
        ctx.Audit("integrations.create", integration.id.str(),
                  {{"type", integration.type},
                   {"name", integration.name},
                   {"mode", integration.mode},
                   {"config_fields", fields}});
        return http::Response::Json(201, service.Describe(integration));
    };
}

http::Handler List(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const auto page = http::PageRequest::FromQuery(ctx);
        json items = json::array();
        for (const auto& integration : service.repository().List(ctx.scope(), page.after_id, page.limit))
            items.push_back(service.Describe(integration));
        return http::Response::Json(200, http::PageResponse(std::move(items), page));
    };
}

http::Handler Get(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        return http::Response::Json(200, service.Describe(Existing(ctx, service)));
    };
}

http::Handler Update(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const auto& body = ctx.body();
        Integration integration = Existing(ctx, service);
        if (body.contains("type") && body["type"] != integration.type)
            throw ValidationError("type", "cannot change; create another integration");
        const auto& spec = TypeOf(integration.type);
        json changes = json::object();
        const auto set = [&](const char* field, std::string& current) {
            if (!body.contains(field) || body[field] == current) return;
            changes[field] = {{"from", current}, {"to", body[field]}};
            current = body[field].get<std::string>();
        };
        set("name", integration.name);
        set("mode", integration.mode);
        set("status", integration.status);
        if (body.contains("is_default") && body["is_default"] != integration.is_default) {
            changes["is_default"] = {{"from", integration.is_default}, {"to", body["is_default"]}};
            integration.is_default = body["is_default"];
        }
        if (body.contains("config")) {
            std::vector<std::string> changed;
            json merged =
                common::MergeConfig(SecretsOf(spec), integration.config, body["config"], changed, kInvalidConfig);
            RequireSecretsAgain(spec, integration.config, merged, body["config"]);
            integration.config = std::move(merged);
            if (!changed.empty()) changes["config_fields"] = changed;  // names only: values may be secrets
        }
        Validate(service, integration);
        if (changes.contains("config_fields") && Contains(changes["config_fields"], "base_url"))
            CheckTenantUrl(service, integration);
        if (!changes.empty()) {
            // New credentials deserve a new test: an `error` status is from the old ones.
            if (changes.contains("config_fields") && integration.status == "error" && !changes.contains("status"))
                integration.status = "active";
            integration.updated_at = Now();
            SaveDefaultChoice(ctx, service, integration);
            service.repository().Update(ctx.scope(), integration);
        }
        ctx.Audit("integrations.update", integration.id.str(), changes);
        return http::Response::Json(200, service.Describe(integration));
    };
}

http::Handler Delete(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const Integration integration = Existing(ctx, service);
        service.repository().Delete(ctx.scope(), integration.id);
        ctx.Audit("integrations.delete", integration.id.str(),
                  {{"type", integration.type}, {"name", integration.name}});
        return http::Response::NoContent();
    };
}

/// A cheap authenticated call to the provider, inside the request with the short in-request budget
/// (one of the tenant's few in-request slots, no retries); the outcome becomes the integration's
/// status.
http::Handler Test(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        Integration integration = Existing(ctx, service);
        const auto connection = service.ConnectInRequest(ctx.tenant(), integration);  // 429/503 when busy
        const auto started = std::chrono::steady_clock::now();
        std::optional<std::string> failure;
        try {
            connection->adapter().TestConnection();
        } catch (const ProviderError& e) {
            failure = e.detail();
        }
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        ctx.BeginWrites();
        integration.last_tested_at = Now();
        integration.last_error = failure;
        if (integration.status != "inactive") integration.status = failure ? "error" : "active";
        service.repository().RecordStatus(ctx.scope(), integration);
        ctx.Audit("integrations.test", integration.id.str(), {{"ok", !failure}});
        return http::Response::Json(200, json{{"ok", !failure},
                                              {"error", failure ? json(*failure) : json()},
                                              {"latency_ms", elapsed.count()},
                                              {"integration", service.Describe(integration)}});
    };
}

/// The integration a platform administrator names, in whichever tenant it is.
struct AnyTenantIntegration {
    TenantId tenant;
    Integration integration;
};

AnyTenantIntegration FindInAnyTenant(http::RequestContext& ctx, const IntegrationService& service) {
    const IntegrationId id(ctx.IdParam("id"));
    const auto tenant = IntegrationRepository::TenantOf(ctx.tx(), id);
    if (!tenant) throw ctx.NotFoundError();
    auto found = service.repository().Find(db::TenantScope(ctx.tx(), *tenant), id);
    if (!found) throw ctx.NotFoundError();
    return {*tenant, std::move(*found)};
}

/// PUT /admin/integrations/{id}/endpoint: where the operator sends one integration instead of the
/// provider's pinned hosts (a test server, a regional endpoint, a proxy). Platform administrators
/// only, for any tenant's integration; the tenant sees it read-only as `endpoint_override`.
http::Handler SetEndpoint(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const auto& body = ctx.body();
        auto [tenant, integration] = FindInAnyTenant(ctx, service);
        json override = integration.endpoint_override.is_object() ? integration.endpoint_override : json::object();
        std::vector<FieldError> errors;
        for (const char* field : {"base_url", "oauth_base_url"}) {
            if (!body.contains(field)) continue;
            if (body[field].is_null()) {
                override.erase(field);
                continue;
            }
            const std::string url = body[field];
            if (const auto problem = EndpointUrlProblem(url)) {
                errors.push_back({field, *problem});
                continue;
            }
            override[field] = url;
        }
        if (!errors.empty()) throw ValidationError(std::move(errors));
        const json before = integration.endpoint_override;
        integration.endpoint_override = override.empty() ? json() : override;
        integration.updated_at = Now();
        IntegrationRepository::SetEndpointOverride(db::TenantScope(ctx.tx(), tenant), integration.id,
                                                   integration.endpoint_override, integration.updated_at);
        ctx.AuditInTenant(tenant, "integrations.endpoint_override", integration.id.str(),
                          {{"endpoint_override", {{"from", before}, {"to", integration.endpoint_override}}}});
        return http::Response::Json(200, service.Describe(integration));
    };
}

http::Schema IntegrationBody(bool create) {
    std::vector<std::string> types;
    for (const auto& provider : Providers().All()) types.push_back(provider->type());
    return http::Schema::Object()
        .Field("type", http::Schema::String().Enum(types), create)
        .Field("name", http::Schema::String().MinLength(1).MaxLength(200), create)
        .Field("mode", http::Schema::String().Enum({"test", "live"}))
        .Field("status", http::Schema::String().Enum({"active", "inactive"}))
        .Field("is_default", http::Schema::Boolean())
        .Field("config", http::Schema::Object().AnyProperties().Description(
                             "Fields of the type's config_schema (GET /integrations/types)"));
}

}  // namespace

void RegisterIntegrationRoutes(http::RouteTable& routes, const IntegrationService& service) {
    const std::string collection = "/integrations";
    const std::string item = collection + "/{id}";
    http::RouteGroup group(routes, "integrations", "integrations", "integration");
    group.Add({.method = http::Method::kGet,
               .path = collection + "/types",
               .operation_id = "listIntegrationTypes",
               .summary = "Integration types with their configuration JSON Schema (secrets are writeOnly)",
               .handler = ListTypes()},
              "read");
    group.Add({.method = http::Method::kPost,
               .path = collection,
               .operation_id = "createIntegration",
               .summary = "Connect a provider; secrets are encrypted at rest and shown masked",
               .body = IntegrationBody(true),
               .success_status = 201,
               .creates = true,
               .handler = Create(service)},
              "create");
    group.Add({.method = http::Method::kGet,
               .path = collection,
               .operation_id = "listIntegrations",
               .summary = "List integrations",
               .query = {{"limit", "integer", "1–200"}, {"cursor", "string", "next_cursor of the previous page"}},
               .handler = List(service)},
              "read");
    group.Add({.method = http::Method::kGet,
               .path = item,
               .operation_id = "getIntegration",
               .summary = "An integration, with its circuit breaker and rate limiter state",
               .handler = Get(service)},
              "read");
    group.Add(
        {.method = http::Method::kPut,
         .path = item,
         .operation_id = "updateIntegration",
         .summary = "Change an integration; config fields named replace the stored ones, a masked secret keeps it",
         .body = IntegrationBody(false),
         .handler = Update(service)},
        "update");
    group.Add({.method = http::Method::kDelete,
               .path = item,
               .operation_id = "deleteIntegration",
               .summary = "Delete an integration",
               .success_status = 204,
               .handler = Delete(service)},
              "delete");
    group.Add({.method = http::Method::kPost,
               .path = item + "/test",
               .operation_id = "testIntegration",
               .summary = "Test connectivity with a cheap authenticated call; records status and last_tested_at",
               .slow_io = true,
               .handler = Test(service)},
              "update");
    routes.Add({.method = http::Method::kPut,
                .path = "/admin/integrations/{id}/endpoint",
                .operation_id = "setIntegrationEndpoint",
                .summary = "Point one integration of any tenant at another endpoint (test server, regional host, "
                           "proxy) instead of the provider's pinned hosts; null clears (platform administrators)",
                .tag = "admin",
                .access = http::Access::kAuthenticated,
                .permission = "admin:system:write",
                .body = http::Schema::Object()
                            .Field("base_url", http::Schema::String().MinLength(1).MaxLength(2048).Nullable())
                            .Field("oauth_base_url", http::Schema::String().MinLength(1).MaxLength(2048).Nullable()),
                .entity_type = "integration",
                .handler = SetEndpoint(service)});
}

}  // namespace kiln::integrations
