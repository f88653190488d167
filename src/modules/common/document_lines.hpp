#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/money.hpp"
#include "db/database.hpp"
#include "http/schema.hpp"

namespace kiln::common {

/// The most of one product a line may hold, and the most lines a document may hold.
inline constexpr int64_t kMaxLineQuantity = 1'000'000;
inline constexpr int64_t kMaxDocumentLines = 500;

/// The tax of a line: amount × rate_bp / 10000 rounded half up, in integers only (amount ≥ 0,
/// 0 ≤ rate_bp ≤ 10000). Split at 10000 so no intermediate product can overflow.
int64_t LineTax(int64_t amount, int64_t rate_bp);

/// One line of a sales order or an invoice. Amounts are minor units of the document's currency.
struct DocumentLine {
    std::optional<std::string> product_id;  // always set on sales orders; on invoices when copied from one
    std::string description;
    int64_t quantity = 1;
    int64_t unit_price = 0;
    int64_t tax_rate_bp = 0;  // basis points: 1800 = 18%
    int64_t line_total = 0;   // quantity × unit_price
    int64_t line_tax = 0;     // LineTax(line_total, tax_rate_bp)

    /// Sets line_total and line_tax from quantity, unit_price and tax_rate_bp; false (and nothing
    /// set) when the total does not fit in 64 bits.
    bool Price();
    nlohmann::json ToJson() const;
};

/// The lines as a JSON array, in order.
nlohmann::json LinesJson(const std::vector<DocumentLine>& lines);

/// A document's subtotal (sum of line totals), tax total and total, in the document's currency.
struct DocumentTotals {
    Money subtotal;
    Money tax_total;
    Money total;
};

/// Sums the lines (minor units of `currency`) with checked arithmetic. An overflow adds one error on "lines" (and the
/// sums are then meaningless: the caller refuses the document).
DocumentTotals SumLines(const std::vector<DocumentLine>& lines, const std::string& currency,
                        std::vector<FieldError>& errors);

/// The request schema of a line's `quantity` and `tax_rate_bp`, the same on every document.
http::Schema LineQuantitySchema();
http::Schema LineTaxRateSchema();

/// The table of one kind of document's lines (`sales_order_lines` keyed by `sales_order_id`,
/// `invoice_lines` keyed by `invoice_id`): the tables have the same columns and differ only in
/// their names, so the statements are built once per table here. Construct one per table as a
/// static and keep it for the life of the process.
class DocumentLineTable final {
  public:
    DocumentLineTable(std::string_view table, std::string_view parent_column);

    /// Writes the lines of a new document, numbered from 1 in order.
    void Insert(const db::TenantScope& scope, const std::string& parent_id,
                const std::vector<DocumentLine>& lines) const;
    /// Replaces every line of a document.
    void Replace(const db::TenantScope& scope, const std::string& parent_id,
                 const std::vector<DocumentLine>& lines) const;
    /// A document's lines in order.
    std::vector<DocumentLine> Load(const db::TenantScope& scope, const std::string& parent_id) const;

  private:
    std::string insert_;
    std::string select_;
    std::string delete_;
};

}  // namespace kiln::common
