#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "db/database.hpp"
#include "modules/billing/invoice.hpp"
#include "modules/billing/invoice_repository.hpp"

namespace kiln::billing {

/// A line typed by hand.
struct InvoiceLineRequest {
    std::string description;
    int64_t quantity = 1;
    int64_t unit_price = 0;
    int64_t tax_rate_bp = 0;
};

/// What a new invoice names: a confirmed sales order (whose customer, currency and lines it copies), or the
/// customer, currency and lines by hand. A field given where it may not be (or missing where it must be) is a field
/// error, so `*_given` says what the caller sent.
struct NewInvoice {
    std::optional<sales::SalesOrderId> sales_order_id;
    std::optional<customers::CustomerId> customer_id;
    std::optional<std::string> currency;
    std::optional<std::vector<InvoiceLineRequest>> lines;
    std::string notes;
    std::optional<std::string> due_at;  // RFC 3339 as sent; null and absent are both none
};

/// An edit of a draft: the fields it names. `due_at` holds a value (or null, to clear it) when present.
struct InvoiceEdit {
    std::optional<customers::CustomerId> customer_id;
    std::optional<std::string> notes;
    std::optional<std::vector<InvoiceLineRequest>> lines;
    std::optional<std::optional<std::string>> due_at;
};

/// The rules of invoices, in the caller's transaction: making one from a sales order or by hand, editing and deleting
/// drafts (common/draft_document, shared with sales orders), issuing (posted to the ledger) and voiding (reversed).
/// Every refusal is a typed error that writes nothing; the caller records the audit row and the event.
class InvoiceService final {
  public:
    static std::optional<Invoice> Find(const db::TenantScope& scope, const InvoiceId& id);
    /// Find, with the invoice locked until the transaction ends: changes of status race with payments settling.
    static std::optional<Invoice> FindForUpdate(const db::TenantScope& scope, const InvoiceId& id);
    static std::vector<Invoice> List(const db::TenantScope& scope, const InvoiceFilter& filter);

    static Invoice Create(const db::TenantScope& scope, const NewInvoice& request);
    /// Edits a draft (Conflict otherwise); the changes made.
    static nlohmann::json Edit(const db::TenantScope& scope, Invoice& invoice, const InvoiceEdit& edit);
    static void Delete(const db::TenantScope& scope, const Invoice& invoice);
    /// draft → issued, posted: Dr receivable total / Cr revenue subtotal / Cr tax payable tax.
    static nlohmann::json Issue(const db::TenantScope& scope, Invoice& invoice);
    /// draft|issued → void while nothing is paid; an issued invoice's posting is reversed.
    static nlohmann::json Void(const db::TenantScope& scope, Invoice& invoice);
};

}  // namespace kiln::billing
