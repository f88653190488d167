#include "modules/plugins/plugin_routes.hpp"

#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "modules/events/event_outbox.hpp"

namespace kiln::plugins {

namespace {

using nlohmann::json;

constexpr const char* kCreatePermission = "plugins:create";

/// Platform administrators (with a credential that carries plugins:create) also see disabled plugins.
bool SeesDisabledPlugins(const http::RequestContext& ctx) {
    const auto& principal = ctx.principal();
    return principal.is_platform_admin &&
           (!principal.token_permissions || principal.token_permissions->contains(kCreatePermission));
}

void RecordPluginEvent(http::RequestContext& ctx, const std::string& type, const std::string& key, const json& data) {
    events::EventOutbox::Record(ctx.scope(), type, "plugin:" + key, data, ctx.request_id());
}

std::optional<std::string> OptionalText(const json& body, const char* field) {
    if (!body.contains(field)) return std::nullopt;
    return body[field].get<std::string>();
}

json TenantView(const TenantPlugin& entry) {
    return {{"plugin", entry.plugin.ToJson()},
            {"configured", entry.config.has_value()},
            {"is_enabled", entry.config && entry.config->is_enabled},
            {"config", entry.config ? entry.config->MaskedConfig(entry.plugin) : json()}};
}

json ConfigView(const ConfigChange& change) {
    json shown = change.config.ToJson(change.plugin);
    shown["configured"] = change.stored;
    return shown;
}

/// The audit row and the events of a configure or a toggle: field names only in the audit row, the masked
/// configuration in plugin.configured, and plugin.enabled / plugin.disabled when the state moved.
void RecordConfigChange(http::RequestContext& ctx, const std::string& action, const ConfigChange& change,
                        bool configured) {
    const std::string& key = change.plugin.key;
    json audit = {{"is_enabled", change.config.is_enabled}};
    if (configured) audit["config_fields"] = change.changed_fields;
    ctx.Audit(action, key, audit);
    if (configured && !change.changed_fields.empty())
        RecordPluginEvent(ctx, "plugin.configured", key,
                          {{"plugin", change.plugin.Reference()},
                           {"config", change.config.MaskedConfig(change.plugin)},
                           {"changed_fields", change.changed_fields},
                           {"is_enabled", change.config.is_enabled}});
    if (change.enabled_now)
        RecordPluginEvent(ctx, *change.enabled_now ? "plugin.enabled" : "plugin.disabled", key,
                          {{"plugin", change.plugin.Reference()}});
}

http::Response Install(http::RequestContext& ctx, const PluginService& service) {
    const auto& body = ctx.body();
    const Plugin plugin = service.Install(ctx.tx(), {.key = body.at("key"),
                                                     .name = body.at("name"),
                                                     .version = body.at("version"),
                                                     .description = body.value("description", ""),
                                                     .config_schema = body.value("config_schema", json::object()),
                                                     .is_enabled = body.value("is_enabled", true)});
    ctx.Audit("plugins.install", plugin.key,
              {{"name", plugin.name}, {"version", plugin.version}, {"is_enabled", plugin.is_enabled}});
    const json shown = plugin.ToJson();
    RecordPluginEvent(ctx, "plugin.installed", plugin.key, {{"plugin", shown}});
    return http::Response::Json(201, shown);
}

http::Response ListAvailable(http::RequestContext& ctx, const PluginService& service) {
    const bool include_disabled = ctx.Query("include_disabled").value_or("") == "true";
    if (include_disabled && !SeesDisabledPlugins(ctx))
        throw Forbidden(std::string("Listing disabled plugins needs the permission ") + kCreatePermission + ".");
    json items = json::array();
    for (const auto& plugin : service.Available(ctx.tx(), include_disabled)) items.push_back(plugin.ToJson());
    return http::Response::Json(200, json{{"data", std::move(items)}});
}

http::Response Get(http::RequestContext& ctx, const PluginService& service) {
    return http::Response::Json(200, service.Find(ctx.tx(), ctx.Param("key"), SeesDisabledPlugins(ctx)).ToJson());
}

http::Response Update(http::RequestContext& ctx, const PluginService& service) {
    const auto& body = ctx.body();
    PluginEdit edit{.name = OptionalText(body, "name"),
                    .version = OptionalText(body, "version"),
                    .description = OptionalText(body, "description")};
    if (body.contains("config_schema")) edit.config_schema = body["config_schema"];
    if (body.contains("is_enabled")) edit.is_enabled = body["is_enabled"].get<bool>();
    const auto change = service.Update(ctx.tx(), ctx.Param("key"), edit);
    ctx.Audit("plugins.update", change.plugin.key, change.changes);
    const json shown = change.plugin.ToJson();
    if (!change.changes.empty())
        RecordPluginEvent(ctx, "plugin.updated", change.plugin.key, {{"plugin", shown}, {"changes", change.changes}});
    return http::Response::Json(200, shown);
}

http::Response Delete(http::RequestContext& ctx, const PluginService& service) {
    const Plugin plugin = service.Remove(ctx.tx(), ctx.Param("key"));
    ctx.Audit("plugins.delete", plugin.key, {{"name", plugin.name}, {"version", plugin.version}});
    RecordPluginEvent(ctx, "plugin.deleted", plugin.key, {{"plugin", plugin.ToJson()}});
    return http::Response::NoContent();
}

http::Response TenantList(http::RequestContext& ctx, const PluginService& service) {
    json items = json::array();
    for (const auto& entry : service.ForTenant(ctx.scope())) items.push_back(TenantView(entry));
    return http::Response::Json(200, json{{"data", std::move(items)}});
}

http::Response TenantEnabled(http::RequestContext& ctx, const PluginService& service) {
    json items = json::array();
    for (const auto& entry : service.EnabledForTenant(ctx.scope())) items.push_back(TenantView(entry));
    return http::Response::Json(200, json{{"data", std::move(items)}});
}

http::Response TenantConfig(http::RequestContext& ctx, const PluginService& service) {
    const auto entry = service.ConfigOf(ctx.scope(), ctx.Param("key"));
    json shown = entry.config->ToJson(entry.plugin);
    shown["configured"] = true;
    return http::Response::Json(200, shown);
}

http::Response Configure(http::RequestContext& ctx, const PluginService& service) {
    const auto& body = ctx.body();
    std::optional<bool> enable;
    if (body.contains("is_enabled")) enable = body["is_enabled"].get<bool>();
    const auto change = service.Configure(ctx.scope(), ctx.Param("key"), body.at("config"), enable);
    RecordConfigChange(ctx, "plugins.configure", change, true);
    return http::Response::Json(200, ConfigView(change));
}

http::Response Toggle(http::RequestContext& ctx, const PluginService& service) {
    const bool enabled = ctx.body().at("enabled").get<bool>();
    const auto change = service.Toggle(ctx.scope(), ctx.Param("key"), enabled);
    // Enabling a plugin never configured stores its defaults: that is a configuration too.
    RecordConfigChange(ctx, enabled ? "plugins.enable" : "plugins.disable", change,
                       change.stored && !change.changed_fields.empty());
    return http::Response::Json(200, ConfigView(change));
}

http::Schema PluginBody(bool create) {
    return http::Schema::Object()
        .Field("key",
               http::Schema::String().MinLength(2).MaxLength(64).Format("slug").Description(
                   "Names the plugin in every route; lowercase letters, digits and inner hyphens; never changes"),
               create)
        .Field("name", http::Schema::String().MinLength(1).MaxLength(200), create)
        .Field("version", http::Schema::String().MinLength(5).MaxLength(64).Description("Semantic version, e.g. 1.2.0"),
               create)
        .Field("description", http::Schema::String().MaxLength(4000))
        .Field("config_schema",
               http::Schema::Object().AnyProperties().Description(
                   "JSON Schema (draft-07) of the tenants' configuration; top-level string properties marked "
                   "writeOnly: true or format: password are secrets (sealed, shown masked)"))
        .Field("is_enabled", http::Schema::Boolean().Description("Off: tenants neither see nor run the plugin"));
}

/// Without `key`: an update never changes it (and refuses it as an unknown field).
http::Schema PluginUpdateBody() {
    return http::Schema::Object()
        .Field("name", http::Schema::String().MinLength(1).MaxLength(200))
        .Field("version", http::Schema::String().MinLength(5).MaxLength(64).Description("Semantic version"))
        .Field("description", http::Schema::String().MaxLength(4000))
        .Field("config_schema", http::Schema::Object().AnyProperties().Description("JSON Schema (draft-07)"))
        .Field("is_enabled", http::Schema::Boolean());
}

json EventPluginSchema() {
    return {{"type", "object"},
            {"required", {"key", "name", "version"}},
            {"properties",
             {{"key", {{"type", "string"}}}, {"name", {{"type", "string"}}}, {"version", {{"type", "string"}}}}}};
}

}  // namespace

void DeclarePluginEvents(events::EventTypeRegistry& registry) {
    const json with_plugin = {
        {"type", "object"}, {"required", {"plugin"}}, {"properties", {{"plugin", EventPluginSchema()}}}};
    json with_changes = with_plugin;
    with_changes["required"] = {"plugin", "changes"};
    with_changes["properties"]["changes"] = {{"type", "object"}};
    json configured = with_plugin;
    configured["required"] = {"plugin", "config", "changed_fields", "is_enabled"};
    configured["properties"]["config"] = {{"type", "object"}, {"description", "Secrets masked"}};
    configured["properties"]["changed_fields"] = {{"type", "array"}, {"items", {{"type", "string"}}}};
    configured["properties"]["is_enabled"] = {{"type", "boolean"}};
    registry.Declare({"plugin.installed", "A platform administrator published a plugin", with_plugin});
    registry.Declare({"plugin.updated", "A platform administrator changed a plugin", with_changes});
    registry.Declare({"plugin.deleted",
                      "A platform administrator removed a plugin and every tenant's configuration of it", with_plugin});
    registry.Declare({"plugin.configured", "The tenant changed its configuration of a plugin", configured});
    registry.Declare({"plugin.enabled", "The tenant enabled a plugin", with_plugin});
    registry.Declare({"plugin.disabled", "The tenant disabled a plugin", with_plugin});
}

void RegisterPluginRoutes(http::RouteTable& routes, const PluginService& service) {
    const auto bind = [&service](http::Response (*handler)(http::RequestContext&, const PluginService&)) {
        return [&service, handler](http::RequestContext& ctx) { return handler(ctx, service); };
    };
    http::RouteGroup group(routes, "plugins", "plugins", "plugin");
    // The registry: published by platform administrators (plugins:create, plugins:delete are platform permissions),
    // read by every tenant. Updating a plugin changes it for every tenant, so it needs plugins:create too.
    group.Add({.method = http::Method::kPost,
               .path = "/plugins",
               .operation_id = "createPlugin",
               .summary = "Publish a plugin to the platform (platform administrators)",
               .body = PluginBody(true),
               .success_status = 201,
               .creates = true,
               .handler = bind(Install)},
              "create");
    group.Add({.method = http::Method::kGet,
               .path = "/plugins/available",
               .operation_id = "listAvailablePlugins",
               .summary = "Every enabled plugin of the platform (platform administrators may add disabled ones)",
               .query = {{"include_disabled", "string", "true: disabled plugins too (needs plugins:create)"}},
               .handler = bind(ListAvailable)},
              "read");
    group.Add({.method = http::Method::kGet,
               .path = "/plugins/{key}",
               .operation_id = "getPlugin",
               .summary = "A plugin by key, with its configuration schema",
               .handler = bind(Get)},
              "read");
    group.Add({.method = http::Method::kPut,
               .path = "/plugins/{key}",
               .operation_id = "updatePlugin",
               .summary = "Change a plugin for every tenant (platform administrators); the fields named change",
               .body = PluginUpdateBody(),
               .handler = bind(Update)},
              "create");
    group.Add({.method = http::Method::kDelete,
               .path = "/plugins/{key}",
               .operation_id = "deletePlugin",
               .summary = "Remove a plugin and every tenant's configuration of it (platform administrators)",
               .success_status = 204,
               .handler = bind(Delete)},
              "delete");
    // A tenant's plugins.
    group.Add({.method = http::Method::kGet,
               .path = "/plugins/tenant/list",
               .operation_id = "listTenantPlugins",
               .summary = "Every available plugin with this tenant's configuration status (secrets masked)",
               .handler = bind(TenantList)},
              "read");
    group.Add({.method = http::Method::kPost,
               .path = "/plugins/tenant/{key}/configure",
               .operation_id = "configurePlugin",
               .summary = "Configure a plugin for this tenant: fields named replace the stored ones (null removes one, "
                          "a masked secret keeps it), defaults are filled, the result is checked against the schema",
               .body = http::Schema::Object()
                           .Required("config", http::Schema::Object().AnyProperties().Description(
                                                   "Fields of the plugin's config_schema"))
                           .Field("is_enabled", http::Schema::Boolean().Description(
                                                    "A first configuration is enabled unless this is false")),
               .handler = bind(Configure)},
              "update");
    group.Add({.method = http::Method::kGet,
               .path = "/plugins/tenant/{key}/config",
               .operation_id = "getTenantPluginConfig",
               .summary = "This tenant's configuration of a plugin (secrets masked)",
               .handler = bind(TenantConfig)},
              "read");
    group.Add({.method = http::Method::kPost,
               .path = "/plugins/tenant/{key}/toggle",
               .operation_id = "togglePlugin",
               .summary = "Enable or disable a plugin for this tenant; the same state again changes nothing",
               .body = http::Schema::Object().Required("enabled", http::Schema::Boolean()),
               .handler = bind(Toggle)},
              "update");
    group.Add({.method = http::Method::kGet,
               .path = "/plugins/tenant/enabled",
               .operation_id = "listEnabledPlugins",
               .summary = "The plugins this tenant enabled, with their configuration (secrets masked)",
               .handler = bind(TenantEnabled)},
              "read");
}

}  // namespace kiln::plugins
