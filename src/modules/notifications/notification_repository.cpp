#include "modules/notifications/notification_repository.hpp"

#include <set>

#include "core/uuid.hpp"

namespace kiln::notifications {

namespace {

constexpr std::string_view kMembers = "SELECT user_id, role FROM memberships WHERE tenant_id = $1";
constexpr std::string_view kInsert = R"sql(
    INSERT INTO notifications (tenant_id, id, user_id, kind, title, body, link, data, dedupe_key, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT (tenant_id, user_id, dedupe_key) DO NOTHING)sql";
constexpr std::string_view kList = R"sql(
    SELECT id, user_id, kind, title, body, link, data, read_at, created_at FROM notifications
    WHERE tenant_id = $1 AND user_id = $2 AND ($3 = 0 OR read_at IS NULL) AND ($4 IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id, user_id, kind, title, body, link, data, read_at, created_at FROM notifications
    WHERE tenant_id = $1 AND user_id = $2 AND (NOT $3::boolean OR read_at IS NULL) AND ($4::uuid IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5)sql";
constexpr std::string_view kUnreadCount =
    "SELECT COUNT(*) FROM notifications WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL";
constexpr std::string_view kMarkRead = R"sql(
    UPDATE notifications SET read_at = COALESCE(read_at, $4)
    WHERE tenant_id = $1 AND user_id = $2 AND id = $3
    RETURNING id, user_id, kind, title, body, link, data, read_at, created_at)sql";
constexpr std::string_view kMarkAllRead =
    "UPDATE notifications SET read_at = $3 WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL";

Notification From(const db::Row& row) {
    return {.id = NotificationId(row.Get<std::string>("id")),
            .user_id = UserId(row.Get<std::string>("user_id")),
            .kind = row.Get<std::string>("kind"),
            .title = row.Get<std::string>("title"),
            .body = row.Get<std::string>("body"),
            .link = row.GetOptional<std::string>("link"),
            .data = row.Get<nlohmann::json>("data"),
            .read_at = row.GetOptional<Timestamp>("read_at"),
            .created_at = row.Get<Timestamp>("created_at")};
}

/// Members holding one of the roles, plus those named: a set, so nobody is told twice.
std::set<std::string> Addressees(const db::TenantScope& scope, const Recipients& to) {
    const std::set<std::string> roles(to.roles.begin(), to.roles.end());
    const std::set<std::string> named(to.user_ids.begin(), to.user_ids.end());
    std::set<std::string> out;
    for (const auto& row : scope.Exec(kMembers, {scope.tenant()})) {
        auto user = row.Get<std::string>("user_id");
        if (roles.contains(row.Get<std::string>("role")) || named.contains(user)) out.insert(std::move(user));
    }
    return out;
}

}  // namespace

nlohmann::json Notification::ToJson() const {
    return {{"id", id.str()},
            {"kind", kind},
            {"title", title},
            {"body", body},
            {"link", link ? nlohmann::json(*link) : nlohmann::json(nullptr)},
            {"data", data},
            {"read", read_at.has_value()},
            {"read_at", read_at ? nlohmann::json(FormatTimestamp(*read_at)) : nlohmann::json(nullptr)},
            {"created_at", FormatTimestamp(created_at)}};
}

int64_t NotificationRepository::Notify(const db::TenantScope& scope, const Recipients& to,
                                       const NewNotification& notice) {
    int64_t created = 0;
    const Timestamp now = Now();
    const std::string data = notice.data.dump();
    for (const auto& user : Addressees(scope, to)) {
        created += scope
                       .Exec(kInsert, {scope.tenant(), NewUuidV7(), user, notice.kind, notice.title, notice.body,
                                       notice.link, data, notice.dedupe_key, now})
                       .affected_rows();
    }
    return created;
}

std::vector<Notification> NotificationRepository::List(const db::TenantScope& scope, const UserId& user,
                                                       bool unread_only, const std::optional<std::string>& before_id,
                                                       int64_t limit) {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    std::vector<Notification> out;
    for (const auto& row : scope.Exec(sql, {scope.tenant(), user, unread_only, before_id, limit + 1}))
        out.push_back(From(row));
    return out;
}

int64_t NotificationRepository::UnreadCount(const db::TenantScope& scope, const UserId& user) {
    return scope.Exec(kUnreadCount, {scope.tenant(), user}).front().Get<int64_t>(0);
}

std::optional<Notification> NotificationRepository::MarkRead(const db::TenantScope& scope, const UserId& user,
                                                             const NotificationId& id, Timestamp now) {
    const auto rows = scope.Exec(kMarkRead, {scope.tenant(), user, id, now});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

int64_t NotificationRepository::MarkAllRead(const db::TenantScope& scope, const UserId& user, Timestamp now) {
    return scope.Exec(kMarkAllRead, {scope.tenant(), user, now}).affected_rows();
}

}  // namespace kiln::notifications
