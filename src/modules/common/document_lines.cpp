#include "modules/common/document_lines.hpp"

#include "core/uuid.hpp"

namespace kiln::common {

namespace {

constexpr std::string_view kOverflow = "is beyond the range of amounts Kiln can hold";

}  // namespace

int64_t LineTax(int64_t amount, int64_t rate_bp) {
    // amount = q·10000 + r, so amount·rate/10000 = q·rate + r·rate/10000 and only the second
    // part needs rounding; r·rate < 10^8.
    return amount / 10000 * rate_bp + (amount % 10000 * rate_bp + 5000) / 10000;
}

bool DocumentLine::Price() {
    int64_t total = 0;
    if (__builtin_mul_overflow(unit_price, quantity, &total)) return false;
    line_total = total;
    line_tax = LineTax(total, tax_rate_bp);
    return true;
}

nlohmann::json DocumentLine::ToJson() const {
    return {{"product_id", product_id ? nlohmann::json(*product_id) : nlohmann::json(nullptr)},
            {"description", description},
            {"quantity", quantity},
            {"unit_price", unit_price},
            {"tax_rate_bp", tax_rate_bp},
            {"line_total", line_total},
            {"line_tax", line_tax}};
}

nlohmann::json LinesJson(const std::vector<DocumentLine>& lines) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& line : lines) out.push_back(line.ToJson());
    return out;
}

DocumentTotals SumLines(const std::vector<DocumentLine>& lines, const std::string& currency,
                        std::vector<FieldError>& errors) {
    int64_t subtotal = 0;
    int64_t tax_total = 0;
    int64_t total = 0;
    bool overflow = false;
    for (const auto& line : lines) {
        overflow = overflow || __builtin_add_overflow(subtotal, line.line_total, &subtotal) ||
                   __builtin_add_overflow(tax_total, line.line_tax, &tax_total);
    }
    overflow = overflow || __builtin_add_overflow(subtotal, tax_total, &total);
    if (overflow) errors.push_back({"lines", std::string(kOverflow)});
    return {.subtotal = {subtotal, currency}, .tax_total = {tax_total, currency}, .total = {total, currency}};
}

http::Schema LineQuantitySchema() {
    return http::Schema::Integer().Minimum(1).Maximum(kMaxLineQuantity);
}

http::Schema LineTaxRateSchema() {
    return http::Schema::Integer().Minimum(0).Maximum(10000).Description("Basis points: 1800 = 18%");
}

DocumentLineTable::DocumentLineTable(std::string_view table, std::string_view parent_column) {
    const std::string t(table);
    const std::string parent(parent_column);
    insert_ = "INSERT INTO " + t + " (tenant_id, id, " + parent +
              ", position, product_id, description, quantity, unit_price, tax_rate_bp, line_total, line_tax)"
              " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    select_ = "SELECT product_id, description, quantity, unit_price, tax_rate_bp, line_total, line_tax FROM " + t +
              " WHERE tenant_id = $1 AND " + parent + " = $2 ORDER BY position";
    delete_ = "DELETE FROM " + t + " WHERE tenant_id = $1 AND " + parent + " = $2";
}

void DocumentLineTable::Insert(const db::TenantScope& scope, const std::string& parent_id,
                               const std::vector<DocumentLine>& lines) const {
    int64_t position = 0;
    for (const auto& line : lines)
        scope.Exec(insert_, {scope.tenant(), NewUuidV7(), parent_id, ++position, line.product_id, line.description,
                             line.quantity, line.unit_price, line.tax_rate_bp, line.line_total, line.line_tax});
}

void DocumentLineTable::Replace(const db::TenantScope& scope, const std::string& parent_id,
                                const std::vector<DocumentLine>& lines) const {
    scope.Exec(delete_, {scope.tenant(), parent_id});
    Insert(scope, parent_id, lines);
}

std::vector<DocumentLine> DocumentLineTable::Load(const db::TenantScope& scope, const std::string& parent_id) const {
    std::vector<DocumentLine> lines;
    for (const auto& row : scope.Exec(select_, {scope.tenant(), parent_id}))
        lines.push_back({.product_id = row.GetOptional<std::string>("product_id"),
                         .description = row.Get<std::string>("description"),
                         .quantity = row.Get<int64_t>("quantity"),
                         .unit_price = row.Get<int64_t>("unit_price"),
                         .tax_rate_bp = row.Get<int64_t>("tax_rate_bp"),
                         .line_total = row.Get<int64_t>("line_total"),
                         .line_tax = row.Get<int64_t>("line_tax")});
    return lines;
}

}  // namespace kiln::common
