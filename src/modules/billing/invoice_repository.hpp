#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/billing/invoice.hpp"

namespace kiln::billing {

struct InvoiceFilter {
    std::optional<InvoiceStatus> status;
    std::optional<std::string> customer_id;
    std::optional<std::string> sales_order_id;
    std::optional<Timestamp> created_from;   // inclusive
    std::optional<Timestamp> created_until;  // exclusive
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
    static std::optional<InvoiceId> FindOpenForOrder(const db::TenantScope& scope,
                                                     const sales::SalesOrderId& sales_order_id);
    /// Writes every column; the lines only when `lines_changed`.
    static void Update(const db::TenantScope& scope, const Invoice& invoice, bool lines_changed);
    static void Delete(const db::TenantScope& scope, const InvoiceId& id);
    /// Newest first, without lines, up to filter.limit + 1 rows.
    static std::vector<Invoice> List(const db::TenantScope& scope, const InvoiceFilter& filter);
};

}  // namespace kiln::billing
