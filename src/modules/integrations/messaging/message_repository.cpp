#include "modules/integrations/messaging/message_repository.hpp"

namespace kiln::integrations {

namespace {

constexpr std::string_view kColumns =
    "id, channel, integration_id, provider, provider_message_id, status, recipients, subject, source, error, request, "
    "idempotency_key, sent_at, created_at, updated_at";

constexpr std::string_view kInsert = R"sql(
    INSERT INTO messages (tenant_id, id, channel, integration_id, provider, provider_message_id, status, recipients,
        subject, source, error, request, idempotency_key, sent_at, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16))sql";
// NULL keys never conflict, so only keyed messages (workflow actions) are deduplicated.
constexpr std::string_view kInsertOnce = R"sql(
    INSERT INTO messages (tenant_id, id, channel, integration_id, provider, provider_message_id, status, recipients,
        subject, source, error, request, idempotency_key, sent_at, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
    ON CONFLICT (tenant_id, idempotency_key) DO NOTHING)sql";

constexpr std::string_view kUpdateStatus =
    "UPDATE messages SET status = $3, error = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kClaim = R"sql(
    UPDATE messages SET status = 'sending', updated_at = $3
    WHERE tenant_id = $1 AND id = $2 AND status = 'queued' AND sent_at IS NULL)sql";
constexpr std::string_view kRecordSent = R"sql(
    UPDATE messages SET provider_message_id = $3, status = $4, sent_at = $5, error = NULL, updated_at = $5
    WHERE tenant_id = $1 AND id = $2)sql";
// The CASE is MessageStatusRank in SQL, so the comparison and the write are one statement: two
// callbacks racing cannot move a message backwards. A stored word outside the order counts as
// terminal, so nothing overwrites what Kiln cannot place.
constexpr std::string_view kForward = R"sql(
    UPDATE messages SET status = $5, error = COALESCE($6, error), updated_at = $7
    WHERE tenant_id = $1 AND provider = $2 AND provider_message_id IN ($3, $4)
      AND (CASE status WHEN 'queued' THEN 0 WHEN 'accepted' THEN 1 WHEN 'sending' THEN 2 WHEN 'sent' THEN 3
                       WHEN 'delivered' THEN 4 ELSE 5 END) < $8)sql";

std::string SelectWhere(std::string_view where) {
    return "SELECT " + std::string(kColumns) + " FROM messages WHERE " + std::string(where);
}

const std::string& SelectById() {
    static const std::string sql = SelectWhere("tenant_id = $1 AND id = $2");
    return sql;
}

const std::string& SelectByKey() {
    static const std::string sql = SelectWhere("tenant_id = $1 AND idempotency_key = $2");
    return sql;
}

const std::string& SelectPage(db::Dialect dialect) {
    static const std::string sqlite = SelectWhere(
        "tenant_id = $1 AND ($2 IS NULL OR id < $2) AND ($3 IS NULL OR channel = $3) AND ($4 IS NULL OR status = $4) "
        "ORDER BY id DESC LIMIT $5");
    static const std::string postgres = SelectWhere(
        "tenant_id = $1 AND ($2::uuid IS NULL OR id < $2) AND ($3::text IS NULL OR channel = $3) "
        "AND ($4::text IS NULL OR status = $4) ORDER BY id DESC LIMIT $5");
    return dialect == db::Dialect::kPostgres ? postgres : sqlite;
}

Message From(const db::Row& row) {
    std::optional<IntegrationId> integration;
    if (auto id = row.GetOptional<std::string>("integration_id")) integration = IntegrationId(std::move(*id));
    return Message{.id = MessageId(row.Get<std::string>("id")),
                   .channel = row.Get<std::string>("channel"),
                   .integration_id = std::move(integration),
                   .provider = row.Get<std::string>("provider"),
                   .provider_message_id = row.GetOptional<std::string>("provider_message_id"),
                   .status = row.Get<std::string>("status"),
                   .recipients = row.Get<nlohmann::json>("recipients"),
                   .subject = row.GetOptional<std::string>("subject"),
                   .source = row.Get<std::string>("source"),
                   .error = row.GetOptional<std::string>("error"),
                   .request = row.GetOptional<nlohmann::json>("request").value_or(nlohmann::json()),
                   .idempotency_key = row.GetOptional<std::string>("idempotency_key"),
                   .sent_at = row.GetOptional<Timestamp>("sent_at"),
                   .created_at = row.Get<Timestamp>("created_at"),
                   .updated_at = row.Get<Timestamp>("updated_at")};
}

db::Params Columns(const db::TenantScope& scope, const Message& m) {
    std::optional<std::string> request;
    if (!m.request.is_null()) request = m.request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::optional<std::string> integration;
    if (m.integration_id) integration = m.integration_id->str();
    return {scope.tenant(),      m.id,        m.channel, integration, m.provider, m.provider_message_id, m.status,
            m.recipients.dump(), m.subject,   m.source,  m.error,     request,    m.idempotency_key,     m.sent_at,
            m.created_at,        m.updated_at};
}

}  // namespace

void MessageRepository::Insert(const db::TenantScope& scope, const Message& message) {
    scope.Exec(kInsert, Columns(scope, message));
}

std::pair<Message, bool> MessageRepository::InsertOnce(const db::TenantScope& scope, const Message& message) {
    if (!message.idempotency_key) {
        Insert(scope, message);
        return {message, true};
    }
    if (scope.Exec(kInsertOnce, Columns(scope, message)).affected_rows() == 1) return {message, true};
    const auto rows = scope.Exec(SelectByKey(), {scope.tenant(), *message.idempotency_key});
    return {From(rows.front()), false};
}

std::optional<Message> MessageRepository::Find(const db::TenantScope& scope, const MessageId& id) {
    const auto rows = scope.Exec(SelectById(), {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

std::vector<Message> MessageRepository::List(const db::TenantScope& scope, const Filter& filter,
                                             const http::PageRequest& page) {
    std::vector<Message> out;
    for (const auto& row : scope.Exec(SelectPage(scope.tx().dialect()),
                                      {scope.tenant(), page.after_id, filter.channel, filter.status, page.limit + 1}))
        out.push_back(From(row));
    return out;
}

void MessageRepository::UpdateStatus(const db::TenantScope& scope, const MessageId& id, const std::string& status,
                                     const std::optional<std::string>& error) {
    scope.Exec(kUpdateStatus, {scope.tenant(), id, status, error, Now()});
}

bool MessageRepository::Claim(const db::TenantScope& scope, const MessageId& id) {
    return scope.Exec(kClaim, {scope.tenant(), id, Now()}).affected_rows() == 1;
}

void MessageRepository::RecordSent(const db::TenantScope& scope, const MessageId& id,
                                   const std::optional<std::string>& provider_message_id, const std::string& status,
                                   Timestamp sent_at) {
    scope.Exec(kRecordSent, {scope.tenant(), id, provider_message_id, status, sent_at});
}

bool MessageRepository::UpdateStatusByProviderId(const db::TenantScope& scope, const std::string& provider,
                                                 const std::string& provider_message_id, const std::string& stored_id,
                                                 const std::string& status, const std::optional<std::string>& error) {
    const auto rank = MessageStatusRank(status);
    if (!rank || provider_message_id.empty()) return false;
    return scope
               .Exec(kForward, {scope.tenant(), provider, provider_message_id, stored_id, status, error, Now(),
                                static_cast<int64_t>(*rank)})
               .affected_rows() > 0;
}

}  // namespace kiln::integrations
