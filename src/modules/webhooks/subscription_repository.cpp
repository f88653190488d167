#include "modules/webhooks/subscription_repository.hpp"

namespace kiln::webhooks {

namespace {

constexpr std::string_view kInsert = R"sql(
    INSERT INTO webhook_subscriptions (tenant_id, id, integration_id, target_url, description, events, secret,
        secret_hint, previous_secret, previous_secret_expires_at, is_active, disabled_reason, disabled_at,
        failing_since, updated_at, retry_schedule, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17))sql";
constexpr std::string_view kUpdate = R"sql(
    UPDATE webhook_subscriptions SET integration_id = $3, target_url = $4, description = $5, events = $6,
        secret = $7, secret_hint = $8, previous_secret = $9, previous_secret_expires_at = $10, is_active = $11,
        disabled_reason = $12, disabled_at = $13, failing_since = $14, updated_at = $15, retry_schedule = $16
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kColumns =
    "id, integration_id, target_url, description, events, secret, secret_hint, previous_secret, "
    "previous_secret_expires_at, retry_schedule, is_active, disabled_reason, disabled_at, failing_since, created_at, "
    "updated_at";
constexpr std::string_view kDelete = "DELETE FROM webhook_subscriptions WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kRoutes = "SELECT id, events, is_active FROM webhook_subscriptions WHERE tenant_id = $1";

std::string SelectWhere(std::string_view where) {
    return "SELECT " + std::string(kColumns) + " FROM webhook_subscriptions WHERE " + std::string(where);
}

const std::string& SelectById() {
    static const std::string sql = SelectWhere("tenant_id = $1 AND id = $2");
    return sql;
}

const std::string& SelectPage(db::Dialect dialect) {
    static const std::string sqlite =
        SelectWhere("tenant_id = $1 AND ($2 IS NULL OR id < $2) ORDER BY id DESC LIMIT $3");
    static const std::string postgres =
        SelectWhere("tenant_id = $1 AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3");
    return dialect == db::Dialect::kPostgres ? postgres : sqlite;
}

}  // namespace

std::string SubscriptionRepository::Seal(const std::string& secret, const SubscriptionId& id) const {
    return vault_.Seal(secret, "webhook_subscriptions.secret:" + id.str());
}

std::string SubscriptionRepository::Open(const std::string& sealed, const SubscriptionId& id) const {
    return vault_.Open(sealed, "webhook_subscriptions.secret:" + id.str());
}

Subscription SubscriptionRepository::From(const db::Row& row) const {
    Subscription s{.id = SubscriptionId(row.Get<std::string>("id")),
                   .integration_id = row.GetOptional<std::string>("integration_id"),
                   .target_url = row.Get<std::string>("target_url"),
                   .description = row.Get<std::string>("description"),
                   .events = row.Get<nlohmann::json>("events").get<std::vector<std::string>>(),
                   .secret = "",
                   .secret_hint = row.Get<std::string>("secret_hint"),
                   .previous_secret = std::nullopt,
                   .previous_secret_expires_at = row.GetOptional<Timestamp>("previous_secret_expires_at"),
                   .is_active = row.Get<bool>("is_active"),
                   .disabled_reason = row.GetOptional<std::string>("disabled_reason"),
                   .disabled_at = row.GetOptional<Timestamp>("disabled_at"),
                   .failing_since = row.GetOptional<Timestamp>("failing_since"),
                   .created_at = row.Get<Timestamp>("created_at"),
                   .updated_at = row.Get<Timestamp>("updated_at")};
    if (const auto schedule = row.GetOptional<nlohmann::json>("retry_schedule"))
        s.retry_schedule = schedule->get<std::vector<int64_t>>();
    s.secret = Open(row.Get<std::string>("secret"), s.id);
    if (const auto previous = row.GetOptional<std::string>("previous_secret"))
        s.previous_secret = Open(*previous, s.id);
    return s;
}

/// Parameters $1…$16 shared by insert and update, with the secrets sealed.
db::Params SubscriptionRepository::Columns(const db::TenantScope& scope, const Subscription& s) const {
    std::optional<std::string> previous;
    if (s.previous_secret) previous = Seal(*s.previous_secret, s.id);
    std::optional<std::string> schedule;
    if (s.retry_schedule) schedule = nlohmann::json(*s.retry_schedule).dump();
    return {scope.tenant(),
            s.id,
            s.integration_id,
            s.target_url,
            s.description,
            nlohmann::json(s.events).dump(),
            Seal(s.secret, s.id),
            s.secret_hint,
            previous,
            s.previous_secret_expires_at,
            s.is_active,
            s.disabled_reason,
            s.disabled_at,
            s.failing_since,
            s.updated_at,
            schedule};
}

void SubscriptionRepository::Insert(const db::TenantScope& scope, const Subscription& s) const {
    auto params = Columns(scope, s);
    params.emplace_back(s.created_at);
    scope.Exec(kInsert, params);
}

void SubscriptionRepository::Update(const db::TenantScope& scope, const Subscription& s) const {
    scope.Exec(kUpdate, Columns(scope, s));
}

std::optional<Subscription> SubscriptionRepository::Find(const db::TenantScope& scope, const SubscriptionId& id) const {
    const auto rows = scope.Exec(SelectById(), {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

void SubscriptionRepository::Delete(const db::TenantScope& scope, const SubscriptionId& id) const {
    scope.Exec(kDelete, {scope.tenant(), id});
}

std::vector<Subscription> SubscriptionRepository::List(const db::TenantScope& scope,
                                                       const std::optional<std::string>& before_id,
                                                       int64_t limit) const {
    std::vector<Subscription> out;
    for (const auto& row : scope.Exec(SelectPage(scope.tx().dialect()), {scope.tenant(), before_id, limit + 1}))
        out.push_back(From(row));
    return out;
}

std::vector<SubscriptionRoute> SubscriptionRepository::Routes(const db::TenantScope& scope) {
    std::vector<SubscriptionRoute> out;
    for (const auto& row : scope.Exec(kRoutes, {scope.tenant()}))
        out.push_back({SubscriptionId(row.Get<std::string>("id")),
                       row.Get<nlohmann::json>("events").get<std::vector<std::string>>(), row.Get<bool>("is_active")});
    return out;
}

size_t SubscriptionRepository::Reseal(db::Transaction& system_tx, const SecretVault& current, const SecretVault& next) {
    size_t count = 0;
    const auto reseal = [&](const std::string& sealed, const std::string& id) {
        const std::string context = "webhook_subscriptions.secret:" + id;
        ++count;
        return next.Seal(current.Open(sealed, context), context);
    };
    for (const auto& row : system_tx.Exec("SELECT tenant_id, id, secret, previous_secret FROM webhook_subscriptions")) {
        const auto id = row.Get<std::string>("id");
        std::optional<std::string> previous;
        if (const auto sealed = row.GetOptional<std::string>("previous_secret")) previous = reseal(*sealed, id);
        system_tx.Exec(
            "UPDATE webhook_subscriptions SET secret = $3, previous_secret = $4 WHERE tenant_id = $1 AND id = $2",
            {row.Get<std::string>("tenant_id"), id, reseal(row.Get<std::string>("secret"), id), previous});
    }
    return count;
}

}  // namespace kiln::webhooks
