#include "auth/permissions.hpp"
#include "modules/notifications/notification_service.hpp"
#include "modules/workflows/builtin_actions.hpp"

namespace kiln::workflows {

namespace {

constexpr std::string_view kCustomRoleExists = "SELECT 1 FROM roles WHERE tenant_id = $1 AND name = $2";
constexpr std::string_view kIsMember = "SELECT 1 FROM memberships WHERE tenant_id = $1 AND user_id = $2";

std::vector<std::string> Strings(const nlohmann::json& params, const char* name) {
    std::vector<std::string> out;
    for (const auto& v : params.value(name, nlohmann::json::array())) out.push_back(v.get<std::string>());
    return out;
}

notifications::Recipients RecipientsOf(const nlohmann::json& params) {
    notifications::Recipients to{Strings(params, "roles"), Strings(params, "user_ids")};
    if (!params.contains("roles") && !params.contains("user_ids")) to.roles = {"owner", "admin"};
    return to;
}

void CheckRecipients(const db::TenantScope& scope, const nlohmann::json& params, const std::string& where,
                     std::vector<FieldError>& errors) {
    const auto to = RecipientsOf(params);
    for (size_t i = 0; i < to.roles.size(); ++i) {
        const auto& role = to.roles[i];
        if (!auth::IsBuiltInRole(role) && scope.Exec(kCustomRoleExists, {scope.tenant(), role}).empty())
            errors.push_back({where + ".roles[" + std::to_string(i) + "]", "is not a role of this tenant"});
    }
    // A member named here who later leaves is simply not notified; naming a stranger is a mistake.
    for (size_t i = 0; i < to.user_ids.size(); ++i)
        if (scope.Exec(kIsMember, {scope.tenant(), to.user_ids[i]}).empty())
            errors.push_back({where + ".user_ids[" + std::to_string(i) + "]", "is not a member of this tenant"});
}

nlohmann::json Notify(const ActionRun& run) {
    const notifications::NewNotification notice{
        .kind = "workflow",
        .title = run.params.at("title"),
        .body = run.params.value("body", ""),
        .link = run.params.contains("link") ? std::optional<std::string>(run.params["link"]) : std::nullopt,
        .data = {{"rule_id", run.rule.id.str()},
                 {"rule_name", run.rule.name},
                 {"event_id", run.event.id},
                 {"event_type", run.event.type}},
        .dedupe_key = run.idempotency_key};
    auto tx = run.db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
    const db::TenantScope scope(tx, run.tenant);
    const auto created = notifications::NotificationService::Notify(scope, RecipientsOf(run.params), notice);
    tx.Commit();
    return {{"notified", created}};
}

}  // namespace

ActionType CreateNotificationAction() {
    const auto text = [](size_t max) { return http::Schema::String().MaxLength(max); };
    return {
        .name = "create_notification",
        .description =
            "An in-app notification to the tenant's members with the given roles and/or user ids "
            "(default: owners and admins). Text fields may quote the event: {{data.invoice.number}}.",
        .params = http::Schema::Object()
                      .Required("title", text(200).MinLength(1))
                      .Field("body", text(2000))
                      .Field("link", text(500).Description("A console path or URL to open"))
                      .Field("roles", http::Schema::ArrayOf(text(100).MinLength(1)).MaxItems(20))
                      .Field("user_ids", http::Schema::ArrayOf(http::Schema::String().Format("uuid")).MaxItems(100)),
        .check = CheckRecipients,
        .run = Notify};
}

}  // namespace kiln::workflows
