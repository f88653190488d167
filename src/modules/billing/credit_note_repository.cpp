#include "modules/billing/credit_note_repository.hpp"

#include "core/uuid.hpp"

namespace kiln::billing {

namespace {

constexpr std::string_view kInsert = R"sql(
    INSERT INTO credit_notes (tenant_id, id, number, invoice_id, currency, reason, subtotal, tax_total, total,
                              created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10))sql";
constexpr std::string_view kInsertLine = R"sql(
    INSERT INTO credit_note_lines (tenant_id, id, credit_note_id, position, product_id, description, quantity,
                                   unit_price, tax_rate_bp, line_total, line_tax)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11))sql";
constexpr std::string_view kSelectById = R"sql(
    SELECT id, number, invoice_id, currency, reason, subtotal, tax_total, total, created_at FROM credit_notes
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kLines = R"sql(
    SELECT position, product_id, description, quantity, unit_price, tax_rate_bp, line_total, line_tax
    FROM credit_note_lines WHERE tenant_id = $1 AND credit_note_id = $2 ORDER BY position)sql";
constexpr std::string_view kList = R"sql(
    SELECT id, number, invoice_id, currency, reason, subtotal, tax_total, total, created_at FROM credit_notes
    WHERE tenant_id = $1 AND ($2 IS NULL OR invoice_id = $2) AND ($3 IS NULL OR id < $3)
    ORDER BY id DESC LIMIT $4)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id, number, invoice_id, currency, reason, subtotal, tax_total, total, created_at FROM credit_notes
    WHERE tenant_id = $1 AND ($2::uuid IS NULL OR invoice_id = $2) AND ($3::uuid IS NULL OR id < $3)
    ORDER BY id DESC LIMIT $4)sql";
constexpr std::string_view kCredited = R"sql(
    SELECT l.position, SUM(l.quantity) AS quantity, SUM(l.line_total) AS line_total, SUM(l.line_tax) AS line_tax
    FROM credit_note_lines l
    JOIN credit_notes n ON n.tenant_id = l.tenant_id AND n.id = l.credit_note_id
    WHERE l.tenant_id = $1 AND n.invoice_id = $2
    GROUP BY l.position)sql";

CreditNote From(const db::TenantScope& scope, const db::Row& row) {
    const auto currency = row.Get<std::string>("currency");
    CreditNote note{.id = CreditNoteId(row.Get<std::string>("id")),
                    .number = row.Get<std::string>("number"),
                    .invoice_id = InvoiceId(row.Get<std::string>("invoice_id")),
                    .currency = currency,
                    .reason = row.Get<std::string>("reason"),
                    .lines = {},
                    .subtotal = {row.Get<int64_t>("subtotal"), currency},
                    .tax_total = {row.Get<int64_t>("tax_total"), currency},
                    .total = {row.Get<int64_t>("total"), currency},
                    .created_at = row.Get<Timestamp>("created_at")};
    for (const auto& l : scope.Exec(kLines, {scope.tenant(), note.id}))
        note.lines.push_back({.invoice_line = l.Get<int64_t>("position"),
                              .line = {.product_id = l.GetOptional<std::string>("product_id"),
                                       .description = l.Get<std::string>("description"),
                                       .quantity = l.Get<int64_t>("quantity"),
                                       .unit_price = l.Get<int64_t>("unit_price"),
                                       .tax_rate_bp = l.Get<int64_t>("tax_rate_bp"),
                                       .line_total = l.Get<int64_t>("line_total"),
                                       .line_tax = l.Get<int64_t>("line_tax")}});
    return note;
}

}  // namespace

nlohmann::json CreditNote::ToJson() const {
    nlohmann::json out_lines = nlohmann::json::array();
    for (const auto& l : lines) {
        nlohmann::json shown = l.line.ToJson();
        shown["invoice_line"] = l.invoice_line;
        out_lines.push_back(std::move(shown));
    }
    return {{"id", id.str()},
            {"number", number},
            {"invoice_id", invoice_id.str()},
            {"currency", currency},
            {"reason", reason},
            {"lines", out_lines},
            {"subtotal", subtotal.minor_units},
            {"tax_total", tax_total.minor_units},
            {"total", total.minor_units},
            {"created_at", FormatTimestamp(created_at)}};
}

void CreditNoteRepository::Insert(const db::TenantScope& scope, const CreditNote& n) {
    scope.Exec(kInsert, {scope.tenant(), n.id, n.number, n.invoice_id, n.currency, n.reason, n.subtotal.minor_units,
                         n.tax_total.minor_units, n.total.minor_units, n.created_at});
    for (const auto& [position, l] : n.lines)
        scope.Exec(kInsertLine, {scope.tenant(), NewUuidV7(), n.id, position, l.product_id, l.description, l.quantity,
                                 l.unit_price, l.tax_rate_bp, l.line_total, l.line_tax});
}

std::optional<CreditNote> CreditNoteRepository::Find(const db::TenantScope& scope, const CreditNoteId& id) {
    const auto rows = scope.Exec(kSelectById, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(scope, rows.front());
}

std::vector<CreditNote> CreditNoteRepository::List(const db::TenantScope& scope,
                                                   const std::optional<std::string>& invoice_id,
                                                   const std::optional<std::string>& before_id, int64_t limit) {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    std::vector<CreditNote> out;
    for (const auto& row : scope.Exec(sql, {scope.tenant(), invoice_id, before_id, limit + 1}))
        out.push_back(From(scope, row));
    return out;
}

std::map<int64_t, CreditedLine> CreditNoteRepository::CreditedLines(const db::TenantScope& scope,
                                                                    const InvoiceId& invoice) {
    std::map<int64_t, CreditedLine> out;
    for (const auto& row : scope.Exec(kCredited, {scope.tenant(), invoice}))
        out[row.Get<int64_t>("position")] = {.quantity = row.Get<int64_t>("quantity"),
                                             .line_total = row.Get<int64_t>("line_total"),
                                             .line_tax = row.Get<int64_t>("line_tax")};
    return out;
}

}  // namespace kiln::billing
