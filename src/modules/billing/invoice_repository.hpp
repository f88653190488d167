#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "modules/common/document_lines.hpp"

namespace kiln::billing {

using InvoiceId = TypedId<struct InvoiceIdTag>;

/// One line of an invoice; product_id is set when copied from a sales order.
using InvoiceLine = common::DocumentLine;

/// An invoice moves draft → issued → paid, and draft|issued → void while nothing is paid.
struct Invoice {
    InvoiceId id;
    std::string number;  // "INV-000001"
    std::string customer_id;
    std::optional<std::string> sales_order_id;
    std::string currency;
    std::string status = "draft";
    std::string notes;
    std::vector<InvoiceLine> lines;
    int64_t subtotal = 0;
    int64_t tax_total = 0;
    int64_t total = 0;
    int64_t amount_paid = 0;
    std::optional<Timestamp> issued_at;
    std::optional<Timestamp> due_at;
    Timestamp created_at;
    Timestamp updated_at;

    int64_t amount_due() const { return total - amount_paid; }
    nlohmann::json ToJson(bool with_lines = true) const;
};

struct InvoiceFilter {
    std::optional<std::string> status;
    std::optional<std::string> customer_id;
    std::optional<std::string> sales_order_id;
    std::optional<std::string> before_id;
    int64_t limit = 50;
};

/// A tenant's invoices with their lines.
class InvoiceRepository final {
  public:
    /// A second invoice that is not void for the same sales order → Conflict.
    static void Insert(const db::TenantScope& scope, const Invoice& invoice);
    static std::optional<Invoice> Find(const db::TenantScope& scope, const InvoiceId& id);
    /// Find, with the invoice row locked until the (read-write) transaction ends: every read that
    /// an update of the invoice depends on (amount paid, status) starts here.
    static std::optional<Invoice> FindForUpdate(const db::TenantScope& scope, const InvoiceId& id);
    /// The invoice of a sales order that is not void, if any.
    static std::optional<InvoiceId> FindOpenForOrder(const db::TenantScope& scope, const std::string& sales_order_id);
    /// Writes every column; the lines only when `lines_changed`.
    static void Update(const db::TenantScope& scope, const Invoice& invoice, bool lines_changed);
    static void Delete(const db::TenantScope& scope, const InvoiceId& id);
    /// Newest first, without lines, up to filter.limit + 1 rows.
    static std::vector<Invoice> List(const db::TenantScope& scope, const InvoiceFilter& filter);
};

}  // namespace kiln::billing
