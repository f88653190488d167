#include "modules/sales/sales_order_service.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "core/uuid.hpp"
#include "modules/catalog/product_service.hpp"
#include "modules/catalog/stock_service.hpp"
#include "modules/common/document_lines.hpp"
#include "modules/common/document_numbers.hpp"
#include "modules/common/draft_document.hpp"
#include "modules/customers/customer_service.hpp"

namespace kiln::sales {

namespace {

/// Lines priced and taxed, each checked against the tenant's products. Every problem is added to `errors`, so one
/// answer lists them all.
std::vector<SalesOrderLine> PricedLines(const db::TenantScope& scope, const std::vector<SalesOrderLineRequest>& wanted,
                                        const std::string& currency, std::vector<FieldError>& errors) {
    std::vector<SalesOrderLine> lines;
    for (size_t i = 0; i < wanted.size(); ++i) {
        const auto& in = wanted[i];
        const std::string where = "lines[" + std::to_string(i) + "]";
        const auto product = catalog::ProductService::Find(scope, catalog::ProductId(in.product_id));
        if (!product) {
            errors.push_back({where + ".product_id", "does not name a product"});
            continue;
        }
        if (product->unit_price.currency != currency) {
            errors.push_back({where + ".product_id", "mixed currencies: the product is priced in " +
                                                         product->unit_price.currency + ", the order is in " +
                                                         currency});
            continue;
        }
        SalesOrderLine line{.product_id = in.product_id,
                            .description = in.description.value_or(product->name),
                            .quantity = in.quantity,
                            .unit_price = in.unit_price.value_or(product->unit_price.minor_units),
                            .tax_rate_bp = in.tax_rate_bp};
        if (!line.Price()) {
            errors.push_back({where, "is beyond the range of amounts Kiln can hold"});
            continue;
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

/// One SalesOrderAction, at the index of its value.
struct Move {
    std::string_view past;  // the verb in the past tense, for the message
    std::vector<SalesOrderStatus> from;
    SalesOrderStatus to;
};

const Move& MoveOf(SalesOrderAction action) {
    using S = SalesOrderStatus;
    static const std::array<Move, 3> moves = {Move{"confirmed", {S::kDraft}, S::kConfirmed},      // kConfirm
                                              Move{"fulfilled", {S::kConfirmed}, S::kFulfilled},  // kFulfill
                                              Move{"cancelled", {S::kDraft, S::kConfirmed}, S::kCancelled}};  // kCancel
    return moves.at(static_cast<size_t>(action));
}

/// Totals from the lines; false when they overflow.
bool Total(SalesOrder& order) {
    std::vector<FieldError> overflow;
    common::Retotal(order, overflow);
    return overflow.empty();
}

}  // namespace

std::optional<SalesOrder> SalesOrderService::Find(const db::TenantScope& scope, const SalesOrderId& id) {
    return SalesOrderRepository::Find(scope, id);
}

std::vector<SalesOrder> SalesOrderService::List(const db::TenantScope& scope, const SalesOrderFilter& filter) {
    return SalesOrderRepository::List(scope, filter);
}

std::optional<SalesOrder> SalesOrderService::FindByExternalRef(const db::TenantScope& scope, const std::string& source,
                                                               const std::string& external_ref) {
    return SalesOrderRepository::FindByExternalRef(scope, source, external_ref);
}

bool SalesOrderService::Import(const db::TenantScope& scope, SalesOrder& order) {
    if (!Total(order)) return false;
    order.number = common::NextDocumentNumber(scope, "SO");
    SalesOrderRepository::Insert(scope, order);
    return true;
}

bool SalesOrderService::SaveImport(const db::TenantScope& scope, SalesOrder& order, bool lines_changed) {
    common::RequireDraft(order.is_draft(), "sales orders", kSalesOrderStatuses.Name(order.status), "changed");
    if (lines_changed && !Total(order)) return false;
    order.updated_at = Now();
    SalesOrderRepository::Update(scope, order, lines_changed);
    return true;
}

SalesOrder SalesOrderService::Create(const db::TenantScope& scope, const NewSalesOrder& request) {
    const Timestamp now = Now();
    SalesOrder order{.id = SalesOrderId(NewUuidV7()),
                     .number = {},
                     .customer_id = request.customer_id,
                     .currency = request.currency,
                     .status = SalesOrderStatus::kDraft,
                     .source = request.source,
                     .external_ref = request.external_ref,
                     .notes = request.notes,
                     .created_at = now,
                     .updated_at = now};
    std::vector<FieldError> errors;
    customers::CustomerService::CheckReference(scope, order.customer_id, errors);
    common::SetLines(order, PricedLines(scope, request.lines, order.currency, errors), errors);
    common::NumberDraft(scope, order, "SO", std::move(errors));
    SalesOrderRepository::Insert(scope, order);
    return order;
}

nlohmann::json SalesOrderService::Edit(const db::TenantScope& scope, SalesOrder& order, const SalesOrderEdit& edit) {
    common::RequireDraft(order.is_draft(), "sales orders", kSalesOrderStatuses.Name(order.status), "changed");
    common::FieldChanges changes;
    std::vector<FieldError> errors;
    if (edit.customer_id) customers::CustomerService::CheckReference(scope, *edit.customer_id, errors);
    if (edit.lines)
        common::ReplaceLines(order, PricedLines(scope, *edit.lines, order.currency, errors), changes, errors);
    if (!errors.empty()) throw ValidationError(std::move(errors));
    if (edit.customer_id) changes.Set("customer_id", order.customer_id, *edit.customer_id);
    if (edit.notes) changes.Set("notes", order.notes, *edit.notes);
    if (!changes.empty()) {
        order.updated_at = Now();
        SalesOrderRepository::Update(scope, order, changes.Contains("lines"));
    }
    return changes.json();
}

void SalesOrderService::Delete(const db::TenantScope& scope, const SalesOrder& order) {
    common::RequireDraft(order.is_draft(), "sales orders", kSalesOrderStatuses.Name(order.status), "deleted");
    SalesOrderRepository::Delete(scope, order.id);
}

nlohmann::json SalesOrderService::Apply(const db::TenantScope& scope, SalesOrder& order, SalesOrderAction action) {
    const Move& move = MoveOf(action);
    if (std::find(move.from.begin(), move.from.end(), order.status) == move.from.end())
        throw Conflict("A " + kSalesOrderStatuses.String(order.status) + " sales order cannot be " +
                       std::string(move.past) + ".");
    if (action == SalesOrderAction::kFulfill) {
        // The goods leave: stock moves and their cost is posted, or the order stays confirmed.
        std::vector<catalog::ShippedLine> shipped;
        for (const auto& line : order.lines)
            if (line.product_id) shipped.push_back({catalog::ProductId(*line.product_id), line.quantity});
        catalog::StockService::Ship(scope, order.id.str(), shipped, "");
    }
    common::FieldChanges changes;
    changes.Record("status", kSalesOrderStatuses.Name(order.status), kSalesOrderStatuses.Name(move.to));
    order.status = move.to;
    order.updated_at = Now();
    SalesOrderRepository::Update(scope, order, false);
    return changes.json();
}

}  // namespace kiln::sales
