#include "modules/integrations/commerce/commerce_upserts.hpp"

#include <optional>
#include <string_view>

#include "core/money.hpp"
#include "core/time.hpp"
#include "core/uuid.hpp"
#include "jobs/job_queue.hpp"
#include "modules/catalog/product_service.hpp"
#include "modules/common/document_lines.hpp"
#include "modules/customers/customer_service.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/integrations/providers/shopify/shopify_rest.hpp"
#include "modules/sales/sales_order_service.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

// The request limits of the objects' own routes (catalog, customers), which synced objects keep too.
constexpr size_t kMaxSkuLength = 64;
constexpr size_t kMaxNameLength = 200;
constexpr size_t kMaxEmailLength = 254;
constexpr const char* kDefaultVariantTitle = "Default Title";

// The newest version of a store object applied so far (issue 12, item 10).
constexpr std::string_view kFindVersion = R"sql(
    SELECT updated_at FROM commerce_object_versions
    WHERE tenant_id = $1 AND source = $2 AND kind = $3 AND external_id = $4)sql";
constexpr std::string_view kRememberVersion = R"sql(
    INSERT INTO commerce_object_versions (tenant_id, source, kind, external_id, updated_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (tenant_id, source, kind, external_id) DO UPDATE SET updated_at = excluded.updated_at
    WHERE excluded.updated_at > commerce_object_versions.updated_at)sql";

/// Whether the store says this version of the object is older than one already applied. An unreadable
/// `updated_at` cannot be ordered and is applied (a store's own objects always carry one).
bool OlderThanApplied(const db::TenantScope& scope, const Integration& integration, const char* kind,
                      const std::string& external_id, const std::string& updated_at) {
    const auto incoming = ParseTimestamp(updated_at);
    if (!incoming || external_id.empty()) return false;
    const auto rows = scope.Exec(kFindVersion, {scope.tenant(), integration.type, kind, external_id});
    return !rows.empty() && *incoming < rows.front().Get<Timestamp>("updated_at");
}

void RememberVersion(const db::TenantScope& scope, const Integration& integration, const char* kind,
                     const std::string& external_id, const std::string& updated_at) {
    const auto applied = ParseTimestamp(updated_at);
    if (!applied || external_id.empty()) return;
    scope.Exec(kRememberVersion, {scope.tenant(), integration.type, kind, external_id, *applied});
}

/// Keeps the newest readable `updated_at` of the items, and the oldest of those that failed (store texts may
/// carry different offsets, so they are compared as times).
void NoteUpdatedAt(SyncCounts& counts, const std::string& updated_at, bool failed) {
    const auto seen = ParseTimestamp(updated_at);
    if (!seen) return;
    const auto newest = ParseTimestamp(counts.newest_updated_at);
    if (!newest || *seen > *newest) counts.newest_updated_at = updated_at;
    if (!failed) return;
    const auto oldest = ParseTimestamp(counts.oldest_failed_updated_at);
    if (!oldest || *seen < *oldest) counts.oldest_failed_updated_at = updated_at;
}

std::string Clip(const std::string& text, size_t max_bytes) {
    return jobs::TruncateUtf8(text, max_bytes);
}

std::string Currency(const Integration& integration) {
    const auto it = integration.config.find("currency");
    return it != integration.config.end() && it->is_string() ? it->get<std::string>() : "USD";
}

void Record(const db::TenantScope& scope, const std::string& noun, const std::string& verb, const std::string& id,
            const json& data) {
    events::EventOutbox::Record(scope, noun + "." + verb, noun + ":" + id, data, "");
}

// ---- products ---------------------------------------------------------------------------------

std::string VariantName(const CommerceProduct& product, const CommerceVariant& variant) {
    std::string name = product.title;
    if (!variant.title.empty() && variant.title != kDefaultVariantTitle) name += " - " + variant.title;
    return Clip(name, kMaxNameLength);
}

/// Why a variant cannot become a product, or nothing.
std::optional<std::string> VariantProblem(const CommerceProduct& product, const CommerceVariant& variant,
                                          const std::string& sku) {
    if (product.title.empty()) return "the product has no title";
    if (variant.price < 0 || variant.price > kMaxUnitPrice) return "the variant's price is not readable";
    if (sku.size() > kMaxSkuLength) return "the sku is longer than " + std::to_string(kMaxSkuLength) + " characters";
    return std::nullopt;
}

void ApplyVariant(const db::TenantScope& scope, const Integration& integration, const CommerceProduct& product,
                  const CommerceVariant& variant, SyncCounts& counts) {
    const std::string sku = variant.sku.empty() ? variant.external_id : variant.sku;
    if (const auto problem = VariantProblem(product, variant, sku)) {
        counts.errors.push_back({variant.external_id, *problem});
        return;
    }
    const auto imported =
        catalog::ProductService::Import(scope, {.source = integration.type,
                                                .external_id = variant.external_id,
                                                .sku = sku,
                                                .name = VariantName(product, variant),
                                                .unit_price = {variant.price, Currency(integration)}});
    using Outcome = catalog::StoreImport::Outcome;
    switch (imported.outcome) {
        case Outcome::kUnchanged:
            return;
        case Outcome::kSkuTaken:
            counts.errors.push_back({variant.external_id, "the sku " + sku + " is already used by another product"});
            return;
        case Outcome::kUpdated:
            Record(scope, "product", "updated", imported.product->id.str(),
                   {{"product", imported.product->ToJson()}, {"changes", imported.changes}});
            ++counts.updated;
            return;
        case Outcome::kCreated:
            Record(scope, "product", "created", imported.product->id.str(), {{"product", imported.product->ToJson()}});
            ++counts.created;
            return;
    }
}

// ---- orders -----------------------------------------------------------------------------------

std::optional<catalog::Product> LineProduct(const db::TenantScope& scope, const Integration& integration,
                                            const CommerceOrderLine& line) {
    if (!line.variant_external_id.empty()) {
        auto product =
            catalog::ProductService::FindByExternalRef(scope, integration.type, VariantGid(line.variant_external_id));
        if (product) return product;
    }
    if (line.sku.empty()) return std::nullopt;
    return catalog::ProductService::FindBySku(scope, line.sku);
}

std::string UnknownSku(const std::string& sku) {
    return "the sku " + (sku.empty() ? std::string("(none)") : "'" + sku + "'") + " matches no product";
}

std::string OtherCurrency(const catalog::Product& product, const std::string& currency) {
    return "the product " + product.sku + " is priced in " + product.unit_price.currency + ", the order is in " +
           currency;
}

/// The order's lines priced from the store, or the reason the order cannot be applied.
std::optional<std::string> OrderLines(const db::TenantScope& scope, const Integration& integration,
                                      const CommerceOrder& order, const std::string& currency,
                                      std::vector<sales::SalesOrderLine>& lines) {
    if (order.lines.empty()) return "the order has no line items";
    if (static_cast<int64_t>(order.lines.size()) > common::kMaxDocumentLines)
        return "the order has more than " + std::to_string(common::kMaxDocumentLines) + " line items";
    for (size_t i = 0; i < order.lines.size(); ++i) {
        const auto& line = order.lines[i];
        const std::string where = "line " + std::to_string(i + 1) + ": ";
        if (line.quantity < 1 || line.quantity > common::kMaxLineQuantity)
            return where + "the quantity is not between 1 and " + std::to_string(common::kMaxLineQuantity);
        if (line.unit_price < 0 || line.unit_price > kMaxUnitPrice) return where + "the price is not readable";
        const auto product = LineProduct(scope, integration, line);
        if (!product) return where + UnknownSku(line.sku);
        if (product->unit_price.currency != currency) return where + OtherCurrency(*product, currency);
        sales::SalesOrderLine priced{.product_id = product->id.str(),
                                     .description = line.title.empty() ? product->name : line.title,
                                     .quantity = line.quantity,
                                     .unit_price = line.unit_price,
                                     .tax_rate_bp = 0};
        if (!priced.Price()) return where + "the amount is beyond what Kiln can hold";
        lines.push_back(std::move(priced));
    }
    return std::nullopt;
}

/// The customer the store knows as the order's customer, created from the order when Kiln has none yet.
std::string OrderCustomer(const db::TenantScope& scope, const Integration& integration, const CommerceOrder& order) {
    if (auto found = customers::CustomerService::FindByExternalRef(scope, integration.type, order.customer_external_id))
        return found->id.str();
    std::string name = order.customer_name;
    if (name.empty()) name = order.customer_email;
    if (name.empty()) name = "Customer " + order.customer_external_id;
    std::optional<std::string> email;
    if (!order.customer_email.empty() && order.customer_email.size() <= kMaxEmailLength) email = order.customer_email;
    const Timestamp now = Now();
    const customers::Customer customer{.id = customers::CustomerId(NewUuidV7()),
                                       .name = Clip(name, kMaxNameLength),
                                       .email = email,
                                       .phone = std::nullopt,
                                       .billing_address = json::object(),
                                       .external_refs = {{integration.type, order.customer_external_id}},
                                       .created_at = now,
                                       .updated_at = now};
    customers::CustomerService::Insert(scope, customer);
    Record(scope, "customer", "created", customer.id.str(), {{"customer", customer.ToJson()}});
    return customer.id.str();
}

void ApplyOrder(const db::TenantScope& scope, const Integration& integration, const CommerceOrder& order,
                SyncCounts& counts) {
    const std::string item = order.external_id.empty() ? order.name : order.external_id;
    const auto fail = [&](const std::string& message) {
        counts.errors.push_back({item, (order.name.empty() ? "" : "order " + order.name + ": ") + message});
    };
    if (order.external_id.empty()) return fail("the order has no id");
    const std::string currency = order.currency.empty() ? Currency(integration) : order.currency;
    if (!IsCurrency(currency)) return fail("the currency " + currency + " is not an ISO 4217 code");
    auto existing = sales::SalesOrderService::FindByExternalRef(scope, integration.type, order.external_id);
    // Confirmed orders are what the customer was promised: the sales module lets nobody edit them, a sync neither.
    if (existing && !existing->is_draft()) return;
    if (order.customer_external_id.empty()) return fail("the order has no customer");
    std::vector<sales::SalesOrderLine> lines;
    if (const auto problem = OrderLines(scope, integration, order, currency, lines)) return fail(*problem);
    const customers::CustomerId customer_id(OrderCustomer(scope, integration, order));
    if (existing) {
        json changes = json::object();
        if (existing->customer_id != customer_id) {
            changes["customer_id"] = {{"from", existing->customer_id.str()}, {"to", customer_id.str()}};
            existing->customer_id = customer_id;
        }
        const json before = common::LinesJson(existing->lines);
        const json after = common::LinesJson(lines);
        if (before != after) {
            changes["lines"] = {{"from", before}, {"to", after}};
            existing->lines = std::move(lines);
        }
        if (changes.empty()) return;
        if (!sales::SalesOrderService::SaveImport(scope, *existing, changes.contains("lines")))
            return fail("the order's total is beyond what Kiln can hold");
        Record(scope, "sales_order", "updated", existing->id.str(),
               {{"sales_order", existing->ToJson()}, {"changes", changes}});
        ++counts.updated;
        return;
    }
    const Timestamp now = Now();
    sales::SalesOrder created{.id = sales::SalesOrderId(NewUuidV7()),
                              .number = {},
                              .customer_id = customer_id,
                              .currency = currency,
                              .status = sales::SalesOrderStatus::kDraft,
                              .source = integration.type,
                              .external_ref = order.external_id,
                              .notes = order.name.empty() ? "" : "Store order " + order.name,
                              .lines = std::move(lines),
                              .created_at = now,
                              .updated_at = now};
    if (!sales::SalesOrderService::Import(scope, created))
        return fail("the order's total is beyond what Kiln can hold");
    Record(scope, "sales_order", "created", created.id.str(), {{"sales_order", created.ToJson()}});
    ++counts.created;
}

}  // namespace

void ApplyProducts(const db::TenantScope& scope, const Integration& integration,
                   const std::vector<CommerceProduct>& products, SyncCounts& counts) {
    for (const auto& product : products) {
        ++counts.items;
        if (OlderThanApplied(scope, integration, "product", product.external_id, product.updated_at)) {
            ++counts.stale;
            continue;
        }
        const size_t errors_before = counts.errors.size();
        if (product.variants.empty()) counts.errors.push_back({product.external_id, "the product has no variants"});
        for (const auto& variant : product.variants) {
            if (variant.external_id.empty()) {
                counts.errors.push_back({product.external_id, "a variant has no id"});
                continue;
            }
            ApplyVariant(scope, integration, product, variant, counts);
        }
        const bool failed = counts.errors.size() > errors_before;
        if (!failed) RememberVersion(scope, integration, "product", product.external_id, product.updated_at);
        NoteUpdatedAt(counts, product.updated_at, failed);
    }
}

void ApplyOrders(const db::TenantScope& scope, const Integration& integration, const std::vector<CommerceOrder>& orders,
                 SyncCounts& counts) {
    for (const auto& order : orders) {
        ++counts.items;
        if (OlderThanApplied(scope, integration, "order", order.external_id, order.updated_at)) {
            ++counts.stale;
            continue;
        }
        const size_t errors_before = counts.errors.size();
        ApplyOrder(scope, integration, order, counts);
        const bool failed = counts.errors.size() > errors_before;
        if (!failed) RememberVersion(scope, integration, "order", order.external_id, order.updated_at);
        NoteUpdatedAt(counts, order.updated_at, failed);
    }
}

}  // namespace kiln::integrations
