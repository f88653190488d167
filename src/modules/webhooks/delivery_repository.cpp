#include "modules/webhooks/delivery_repository.hpp"

#include <algorithm>

#include "core/uuid.hpp"

namespace kiln::webhooks {

namespace {

constexpr std::string_view kCreate = R"sql(
    INSERT INTO webhook_deliveries (tenant_id, id, subscription_id, event_id, event_type, payload, state, attempts,
        next_attempt_at, event_created_at, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $8, $8)
    ON CONFLICT (tenant_id, subscription_id, event_id) DO NOTHING)sql";
constexpr std::string_view kInsert = R"sql(
    INSERT INTO webhook_deliveries (tenant_id, id, subscription_id, event_id, event_type, payload, state, attempts,
        next_attempt_at, last_status, last_error, event_created_at, created_at, updated_at, delivered_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15))sql";
constexpr std::string_view kDueSubscriptions = R"sql(
    SELECT tenant_id, subscription_id FROM webhook_deliveries
    WHERE state IN ('pending', 'failed') AND next_attempt_at <= $1
    ORDER BY next_attempt_at LIMIT $2)sql";

#define KILN_DELIVERY_COLUMNS                                                                                         \
    "id, subscription_id, event_id, event_type, payload, state, attempts, next_attempt_at, last_status, last_error, " \
    "event_created_at, created_at, updated_at, delivered_at"
#define KILN_CLAIM(LOCK)                                                                                               \
    "UPDATE webhook_deliveries SET state = 'delivering', attempts = attempts + 1, locked_by = $3, locked_until = $4, " \
    "updated_at = $5 WHERE tenant_id = $1 AND id IN (SELECT id FROM webhook_deliveries WHERE tenant_id = $1 "          \
    "AND subscription_id = $2 AND state IN ('pending', 'failed') AND next_attempt_at <= $5 "                           \
    "ORDER BY next_attempt_at LIMIT $6" LOCK ") RETURNING " KILN_DELIVERY_COLUMNS
// SQLite has one writer, so the pick cannot race; PostgreSQL workers skip rows another claim holds.
constexpr std::string_view kClaim = KILN_CLAIM("");
constexpr std::string_view kClaimPostgres = KILN_CLAIM(" FOR UPDATE SKIP LOCKED");
constexpr std::string_view kFind = "SELECT " KILN_DELIVERY_COLUMNS
                                   " FROM webhook_deliveries WHERE tenant_id = $1 AND subscription_id = $2 AND id = $3";
constexpr std::string_view kList =
    "SELECT " KILN_DELIVERY_COLUMNS
    " FROM webhook_deliveries WHERE tenant_id = $1 AND subscription_id = $2 "
    "AND ($3 IS NULL OR state = $3) AND ($4 IS NULL OR id < $4) ORDER BY id DESC LIMIT $5";
constexpr std::string_view kListPostgres =
    "SELECT " KILN_DELIVERY_COLUMNS
    " FROM webhook_deliveries WHERE tenant_id = $1 AND subscription_id = $2 "
    "AND ($3::text IS NULL OR state = $3) AND ($4::uuid IS NULL OR id < $4) ORDER BY id DESC LIMIT $5";
#undef KILN_CLAIM
#undef KILN_DELIVERY_COLUMNS

constexpr std::string_view kReleaseExpired = R"sql(
    UPDATE webhook_deliveries SET state = 'pending', locked_by = NULL, locked_until = NULL, updated_at = $1
    WHERE state = 'delivering' AND locked_until < $1)sql";
// Not an attempt: the count taken at claim is given back.
constexpr std::string_view kRelease = R"sql(
    UPDATE webhook_deliveries SET state = $4, attempts = attempts - 1, next_attempt_at = $5, locked_by = NULL,
        locked_until = NULL, updated_at = $6
    WHERE tenant_id = $1 AND id = $2 AND locked_by = $3 AND state = 'delivering')sql";
constexpr std::string_view kFinish = R"sql(
    UPDATE webhook_deliveries SET state = $4, next_attempt_at = $5, last_status = $6, last_error = $7,
        locked_by = NULL, locked_until = NULL, updated_at = $8,
        delivered_at = CASE WHEN $4 = 'succeeded' THEN $8 ELSE delivered_at END
    WHERE tenant_id = $1 AND id = $2 AND locked_by = $3 AND state = 'delivering')sql";
constexpr std::string_view kFinishPostgres = R"sql(
    UPDATE webhook_deliveries SET state = $4, next_attempt_at = $5, last_status = $6, last_error = $7,
        locked_by = NULL, locked_until = NULL, updated_at = $8,
        delivered_at = CASE WHEN $4::text = 'succeeded' THEN $8::timestamptz ELSE delivered_at END
    WHERE tenant_id = $1 AND id = $2 AND locked_by = $3 AND state = 'delivering')sql";
constexpr std::string_view kSetOutcome = R"sql(
    UPDATE webhook_deliveries SET state = $3, attempts = $4, next_attempt_at = $5, last_status = $6, last_error = $7,
        updated_at = $8, delivered_at = $9
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kRecordAttempt = R"sql(
    INSERT INTO webhook_attempts (tenant_id, id, delivery_id, subscription_id, attempt, trigger, attempted_at,
        status_code, latency_us, error_class, error, response_body, succeeded)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13))sql";
constexpr std::string_view kAttempts = R"sql(
    SELECT id, delivery_id, subscription_id, attempt, trigger, attempted_at, status_code, latency_us, error_class,
        error, response_body, succeeded
    FROM webhook_attempts WHERE tenant_id = $1 AND delivery_id = $2 ORDER BY id)sql";
constexpr std::string_view kRenewLeases = R"sql(
    UPDATE webhook_deliveries SET locked_until = $2 WHERE locked_by = $1 AND state = 'delivering')sql";
constexpr std::string_view kPruneAttempts = "DELETE FROM webhook_attempts WHERE attempted_at < $1";
constexpr std::string_view kRecover = R"sql(
    UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = $5, updated_at = $5
    WHERE tenant_id = $1 AND subscription_id = $2 AND state IN ('dead', 'failed', 'skipped')
      AND event_created_at >= $3 AND event_created_at < $4)sql";

nlohmann::json OptionalTime(const std::optional<Timestamp>& t) {
    return t ? nlohmann::json(FormatTimestamp(*t)) : nlohmann::json(nullptr);
}

template <typename T>
nlohmann::json OptionalJson(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::optional<int> OptionalInt(const db::Row& row, std::string_view column) {
    const auto v = row.GetOptional<int64_t>(column);
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

Delivery FromRow(const db::Row& row) {
    return {.id = row.Get<std::string>("id"),
            .subscription_id = SubscriptionId(row.Get<std::string>("subscription_id")),
            .event_id = row.Get<std::string>("event_id"),
            .event_type = row.Get<std::string>("event_type"),
            .payload = row.Get<std::string>("payload"),
            .state = row.Get<std::string>("state"),
            .attempts = static_cast<int>(row.Get<int64_t>("attempts")),
            .next_attempt_at = row.Get<Timestamp>("next_attempt_at"),
            .last_status = OptionalInt(row, "last_status"),
            .last_error = row.GetOptional<std::string>("last_error"),
            .event_created_at = row.Get<Timestamp>("event_created_at"),
            .created_at = row.Get<Timestamp>("created_at"),
            .updated_at = row.Get<Timestamp>("updated_at"),
            .delivered_at = row.GetOptional<Timestamp>("delivered_at")};
}

std::vector<Delivery> AllFrom(const db::Result& rows) {
    std::vector<Delivery> out;
    out.reserve(rows.size());
    for (const auto& row : rows) out.push_back(FromRow(row));
    return out;
}

}  // namespace

nlohmann::json Delivery::ToJson() const {
    return {{"id", id},
            {"subscription_id", subscription_id.str()},
            {"event_id", event_id},
            {"event_type", event_type},
            {"state", state},
            {"attempts", attempts},
            {"next_attempt_at", state == "pending" || state == "failed" ? OptionalTime(next_attempt_at) : nullptr},
            {"last_status", OptionalJson(last_status)},
            {"last_error", OptionalJson(last_error)},
            {"event_created_at", FormatTimestamp(event_created_at)},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)},
            {"delivered_at", OptionalTime(delivered_at)}};
}

nlohmann::json Attempt::ToJson() const {
    return {{"id", id},
            {"attempt", attempt},
            {"trigger", trigger},
            {"attempted_at", FormatTimestamp(attempted_at)},
            {"status_code", OptionalJson(status_code)},
            {"latency_ms", static_cast<double>(latency_us) / 1000.0},
            {"error_class", OptionalJson(error_class)},
            {"error", OptionalJson(error)},
            {"response_body", response_body},
            {"succeeded", succeeded}};
}

bool DeliveryRepository::Create(const db::TenantScope& scope, const SubscriptionId& subscription,
                                const events::StoredEvent& event, const std::string& payload,
                                const std::string& state) {
    const Timestamp now = Now();
    const auto created_at = ParseTimestamp(event.timestamp.get<std::string>()).value_or(now);
    return scope
               .Exec(kCreate,
                     {scope.tenant(), NewUuidV7(), subscription, event.id, event.type, payload, state, now, created_at})
               .affected_rows() == 1;
}

std::vector<std::pair<TenantId, SubscriptionId>> DeliveryRepository::DueSubscriptions(db::Transaction& tx,
                                                                                      Timestamp now, int64_t limit) {
    std::vector<std::pair<TenantId, SubscriptionId>> out;
    for (const auto& row : tx.Exec(kDueSubscriptions, {now, limit}))
        out.emplace_back(TenantId(row.Get<std::string>("tenant_id")),
                         SubscriptionId(row.Get<std::string>("subscription_id")));
    return out;
}

std::vector<Delivery> DeliveryRepository::Claim(db::Transaction& tx, const TenantId& tenant,
                                                const SubscriptionId& subscription, const std::string& worker_id,
                                                Timestamp locked_until, Timestamp now, int64_t limit) {
    const auto sql = tx.dialect() == db::Dialect::kPostgres ? kClaimPostgres : kClaim;
    auto claimed = AllFrom(tx.Exec(sql, {tenant, subscription, worker_id, locked_until, now, limit}));
    // RETURNING has no order: send in the order the events happened.
    std::sort(claimed.begin(), claimed.end(), [](const Delivery& a, const Delivery& b) {
        return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
    });
    return claimed;
}

int64_t DeliveryRepository::ReleaseExpired(db::Transaction& tx, Timestamp now) {
    return tx.Exec(kReleaseExpired, {now}).affected_rows();
}

int64_t DeliveryRepository::PruneAttempts(db::Transaction& tx, Timestamp before) {
    return tx.Exec(kPruneAttempts, {before}).affected_rows();
}

int64_t DeliveryRepository::RenewLeases(db::Transaction& tx, const std::string& worker_id, Timestamp locked_until) {
    return tx.Exec(kRenewLeases, {worker_id, locked_until}).affected_rows();
}

void DeliveryRepository::Release(const db::TenantScope& scope, const std::string& id, const std::string& worker_id,
                                 const std::string& state, Timestamp next_attempt_at) {
    scope.Exec(kRelease, {scope.tenant(), id, worker_id, state, next_attempt_at, Now()});
}

bool DeliveryRepository::Finish(const db::TenantScope& scope, const std::string& id, const std::string& worker_id,
                                const DeliveryOutcome& outcome, Timestamp now) {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kFinishPostgres : kFinish;
    return scope
               .Exec(sql, {scope.tenant(), id, worker_id, outcome.state, outcome.next_attempt_at, outcome.last_status,
                           outcome.last_error, now})
               .affected_rows() == 1;
}

void DeliveryRepository::RecordAttempt(const db::TenantScope& scope, const Attempt& a) {
    scope.Exec(kRecordAttempt,
               {scope.tenant(), a.id, a.delivery_id, a.subscription_id, a.attempt, a.trigger, a.attempted_at,
                a.status_code, a.latency_us, a.error_class, a.error, a.response_body, a.succeeded});
}

std::optional<Delivery> DeliveryRepository::Find(const db::TenantScope& scope, const SubscriptionId& subscription,
                                                 const std::string& id) {
    const auto rows = scope.Exec(kFind, {scope.tenant(), subscription, id});
    if (rows.empty()) return std::nullopt;
    return FromRow(rows.front());
}

void DeliveryRepository::Insert(const db::TenantScope& scope, const Delivery& d) {
    scope.Exec(kInsert, {scope.tenant(), d.id, d.subscription_id, d.event_id, d.event_type, d.payload, d.state,
                         d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.event_created_at, d.created_at,
                         d.updated_at, d.delivered_at});
}

void DeliveryRepository::SetOutcome(const db::TenantScope& scope, const Delivery& d) {
    scope.Exec(kSetOutcome, {scope.tenant(), d.id, d.state, d.attempts, d.next_attempt_at, d.last_status, d.last_error,
                             d.updated_at, d.delivered_at});
}

std::vector<Delivery> DeliveryRepository::List(const db::TenantScope& scope, const SubscriptionId& subscription,
                                               const std::optional<std::string>& state,
                                               const std::optional<std::string>& before_id, int64_t limit) {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    return AllFrom(scope.Exec(sql, {scope.tenant(), subscription, state, before_id, limit + 1}));
}

std::vector<Attempt> DeliveryRepository::Attempts(const db::TenantScope& scope, const std::string& delivery_id) {
    std::vector<Attempt> out;
    for (const auto& row : scope.Exec(kAttempts, {scope.tenant(), delivery_id})) {
        out.push_back({.id = row.Get<std::string>("id"),
                       .delivery_id = row.Get<std::string>("delivery_id"),
                       .subscription_id = SubscriptionId(row.Get<std::string>("subscription_id")),
                       .attempt = static_cast<int>(row.Get<int64_t>("attempt")),
                       .trigger = row.Get<std::string>("trigger"),
                       .attempted_at = row.Get<Timestamp>("attempted_at"),
                       .status_code = OptionalInt(row, "status_code"),
                       .latency_us = row.Get<int64_t>("latency_us"),
                       .error_class = row.GetOptional<std::string>("error_class"),
                       .error = row.GetOptional<std::string>("error"),
                       .response_body = row.Get<std::string>("response_body"),
                       .succeeded = row.Get<bool>("succeeded")});
    }
    return out;
}

int64_t DeliveryRepository::Recover(const db::TenantScope& scope, const SubscriptionId& subscription, Timestamp since,
                                    Timestamp until, Timestamp now) {
    return scope.Exec(kRecover, {scope.tenant(), subscription, since, until, now}).affected_rows();
}

}  // namespace kiln::webhooks
