#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/database.hpp"
#include "modules/sales/sales_order.hpp"
#include "modules/sales/sales_order_repository.hpp"

namespace kiln::sales {

/// A line as a caller asks for it: a product, and what replaces the product's own name and price.
struct SalesOrderLineRequest {
    std::string product_id;
    std::optional<std::string> description;  // the product's name when absent
    int64_t quantity = 1;
    std::optional<int64_t> unit_price;  // the product's price when absent
    int64_t tax_rate_bp = 0;
};

/// What a new order names; it starts as a draft.
struct NewSalesOrder {
    customers::CustomerId customer_id;
    std::string currency;
    std::string source = "manual";
    std::optional<std::string> external_ref;
    std::string notes;
    std::vector<SalesOrderLineRequest> lines;
};

/// An edit of a draft: the fields it names.
struct SalesOrderEdit {
    std::optional<customers::CustomerId> customer_id;
    std::optional<std::string> notes;
    std::optional<std::vector<SalesOrderLineRequest>> lines;
};

/// What moves an order on: confirm (draft → confirmed), fulfill (confirmed → fulfilled), cancel (draft or confirmed
/// → cancelled). The value's name is the route's verb and, in the past tense, its event.
enum class SalesOrderAction { kConfirm, kFulfill, kCancel };

/// The rules of sales orders, in the caller's transaction. Every refusal is a typed error (ValidationError with every
/// field at once, Conflict for the wrong status) that writes nothing; the caller records the audit row and the event
/// of what succeeded. Other modules (invoices, store sync) come here rather than to the repository.
class SalesOrderService final {
  public:
    static std::optional<SalesOrder> Find(const db::TenantScope& scope, const SalesOrderId& id);
    static std::vector<SalesOrder> List(const db::TenantScope& scope, const SalesOrderFilter& filter);
    /// The order a sync brought from `source` as `external_ref`, if any.
    static std::optional<SalesOrder> FindByExternalRef(const db::TenantScope& scope, const std::string& source,
                                                       const std::string& external_ref);

    /// A new draft: the customer and every product must be the tenant's, each product priced in the order's
    /// currency; numbered last.
    static SalesOrder Create(const db::TenantScope& scope, const NewSalesOrder& request);
    /// Edits a draft (Conflict otherwise); the changes made, none when the edit changed nothing.
    static nlohmann::json Edit(const db::TenantScope& scope, SalesOrder& order, const SalesOrderEdit& edit);
    /// Deletes a draft (Conflict otherwise).
    static void Delete(const db::TenantScope& scope, const SalesOrder& order);
    /// A draft a store sync brings with its own prices (the sync checked its lines against the catalog): totalled,
    /// numbered and saved. False, writing nothing, when its total is beyond what Kiln can hold.
    static bool Import(const db::TenantScope& scope, SalesOrder& order);
    /// Saves a store's edit of an imported draft (Conflict when it is no longer one), totalled again when
    /// `lines_changed`; false, writing nothing, when the total overflows.
    static bool SaveImport(const db::TenantScope& scope, SalesOrder& order, bool lines_changed);
    /// Moves the order by `action` (Conflict from a status it does not start from); the status change. Fulfilling
    /// ships its lines (catalog::StockService::Ship: stock movements, cost of goods sold), Conflict when stock is
    /// short.
    static nlohmann::json Apply(const db::TenantScope& scope, SalesOrder& order, SalesOrderAction action);
};

}  // namespace kiln::sales
