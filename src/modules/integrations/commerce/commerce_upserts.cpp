#include "modules/integrations/commerce/commerce_upserts.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "core/money.hpp"
#include "core/time.hpp"
#include "core/uuid.hpp"
#include "jobs/job_queue.hpp"
#include "modules/catalog/product_repository.hpp"
#include "modules/common/document_lines.hpp"
#include "modules/common/document_numbers.hpp"
#include "modules/customers/customer_repository.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/sales/sales_order_repository.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

// The request limits of the objects' own routes (catalog, customers), which synced objects keep too.
constexpr size_t kMaxSkuLength = 64;
constexpr size_t kMaxNameLength = 200;
constexpr size_t kMaxEmailLength = 254;
constexpr const char* kDefaultVariantTitle = "Default Title";
constexpr const char* kVariantGidPrefix = "gid://shopify/ProductVariant/";
constexpr const char* kProductGidPrefix = "gid://shopify/Product/";
// Which sales order a store order became: the (source, external_ref) the sales module keeps unique.
constexpr std::string_view kFindOrder =
    "SELECT id FROM sales_orders WHERE tenant_id = $1 AND source = $2 AND external_ref = $3";

bool IsDigits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// A REST id (a number, or its digits) in GraphQL's gid form; a gid stays as it is.
std::string Gid(const std::string& prefix, const std::string& id) {
    return IsDigits(id) ? prefix + id : id;
}

std::string StringField(const json& object, const char* name) {
    if (!object.is_object()) return {};
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// REST ids are JSON integers (sometimes quoted); Kiln keeps them as text.
std::string IdField(const json& object, const char* name) {
    if (!object.is_object()) return {};
    const auto it = object.find(name);
    if (it == object.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_unsigned() || it->is_number_integer()) return it->dump();
    return {};
}

/// A decimal amount ("19", "19.9", "19.99") in cents, exactly: Shopify's money is a decimal string, and the
/// stores Kiln syncs price in currencies of two decimals. -1 for anything else.
int64_t DecimalToMinor(const json& value) {
    std::string text;
    if (value.is_string())
        text = value.get<std::string>();
    else if (value.is_number())
        text = value.dump();
    else
        return -1;
    const auto dot = text.find('.');
    const std::string_view whole = std::string_view(text).substr(0, dot);
    const std::string_view fraction =
        dot == std::string::npos ? std::string_view() : std::string_view(text).substr(dot + 1);
    if (!IsDigits(whole) || whole.size() > 13) return -1;
    if (dot != std::string::npos && !IsDigits(fraction)) return -1;
    if (fraction.size() > 2 && fraction.find_first_not_of('0', 2) != std::string_view::npos) return -1;
    int64_t minor = 0;
    for (const char c : whole) minor = minor * 10 + (c - '0');
    for (size_t i = 0; i < 2; ++i) minor = minor * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
    return minor > kMaxUnitPrice ? -1 : minor;
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

bool SkuTaken(const db::TenantScope& scope, const std::string& sku) {
    return !catalog::ProductRepository::List(scope, {.sku = sku, .limit = 1}).empty();
}

void ApplyVariant(const db::TenantScope& scope, const Integration& integration, const CommerceProduct& product,
                  const CommerceVariant& variant, SyncCounts& counts) {
    const std::string sku = variant.sku.empty() ? variant.external_id : variant.sku;
    if (const auto problem = VariantProblem(product, variant, sku)) {
        counts.errors.push_back({variant.external_id, *problem});
        return;
    }
    const std::string name = VariantName(product, variant);
    const Money price{variant.price, Currency(integration)};
    auto existing = catalog::ProductRepository::FindByExternalRef(scope, integration.type, variant.external_id);
    if (existing) {
        json changes = json::object();
        if (existing->name != name) {
            changes["name"] = {{"from", existing->name}, {"to", name}};
            existing->name = name;
        }
        if (existing->unit_price.minor_units != price.minor_units) {
            changes["unit_price"] = {{"from", existing->unit_price.minor_units}, {"to", price.minor_units}};
            existing->unit_price.minor_units = price.minor_units;
        }
        if (existing->unit_price.currency != price.currency) {
            changes["currency"] = {{"from", existing->unit_price.currency}, {"to", price.currency}};
            existing->unit_price.currency = price.currency;
        }
        if (changes.empty()) return;
        existing->updated_at = Now();
        catalog::ProductRepository::Update(scope, *existing, false);
        Record(scope, "product", "updated", existing->id.str(),
               {{"product", existing->ToJson()}, {"changes", changes}});
        ++counts.updated;
        return;
    }
    if (SkuTaken(scope, sku)) {
        counts.errors.push_back({variant.external_id, "the sku " + sku + " is already used by another product"});
        return;
    }
    const Timestamp now = Now();
    const catalog::Product created{.id = catalog::ProductId(NewUuidV7()),
                                   .sku = sku,
                                   .name = name,
                                   .description = "",
                                   .unit_price = price,
                                   .active = true,
                                   .stock_quantity = 0,
                                   .external_refs = {{integration.type, variant.external_id}},
                                   .created_at = now,
                                   .updated_at = now};
    catalog::ProductRepository::Insert(scope, created);
    Record(scope, "product", "created", created.id.str(), {{"product", created.ToJson()}});
    ++counts.created;
}

// ---- orders -----------------------------------------------------------------------------------

std::optional<catalog::Product> LineProduct(const db::TenantScope& scope, const Integration& integration,
                                            const CommerceOrderLine& line) {
    if (!line.variant_external_id.empty()) {
        auto product = catalog::ProductRepository::FindByExternalRef(scope, integration.type,
                                                                     Gid(kVariantGidPrefix, line.variant_external_id));
        if (product) return product;
    }
    if (line.sku.empty()) return std::nullopt;
    auto found = catalog::ProductRepository::List(scope, {.sku = line.sku, .limit = 1});
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
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
    if (auto found =
            customers::CustomerRepository::FindByExternalRef(scope, integration.type, order.customer_external_id))
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
    customers::CustomerRepository::Insert(scope, customer);
    Record(scope, "customer", "created", customer.id.str(), {{"customer", customer.ToJson()}});
    return customer.id.str();
}

std::optional<sales::SalesOrder> ExistingOrder(const db::TenantScope& scope, const Integration& integration,
                                               const std::string& external_id) {
    const auto rows = scope.Exec(kFindOrder, {scope.tenant(), integration.type, external_id});
    if (rows.empty()) return std::nullopt;
    return sales::SalesOrderRepository::Find(scope, sales::SalesOrderId(rows.front().Get<std::string>("id")));
}

/// Totals from the lines; false when they overflow.
bool Total(sales::SalesOrder& order) {
    std::vector<FieldError> overflow;
    const auto totals = common::SumLines(order.lines, overflow);
    order.subtotal = totals.subtotal;
    order.tax_total = totals.tax_total;
    order.total = totals.total;
    return overflow.empty();
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
    auto existing = ExistingOrder(scope, integration, order.external_id);
    // Confirmed orders are what the customer was promised: the sales module lets nobody edit them, a sync neither.
    if (existing && existing->status != "draft") return;
    if (order.customer_external_id.empty()) return fail("the order has no customer");
    std::vector<sales::SalesOrderLine> lines;
    if (const auto problem = OrderLines(scope, integration, order, currency, lines)) return fail(*problem);
    const std::string customer_id = OrderCustomer(scope, integration, order);
    if (existing) {
        json changes = json::object();
        if (existing->customer_id != customer_id) {
            changes["customer_id"] = {{"from", existing->customer_id}, {"to", customer_id}};
            existing->customer_id = customer_id;
        }
        const json before = common::LinesJson(existing->lines);
        const json after = common::LinesJson(lines);
        if (before != after) {
            changes["lines"] = {{"from", before}, {"to", after}};
            existing->lines = std::move(lines);
        }
        if (changes.empty()) return;
        if (!Total(*existing)) return fail("the order's total is beyond what Kiln can hold");
        existing->updated_at = Now();
        sales::SalesOrderRepository::Update(scope, *existing, changes.contains("lines"));
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
                              .status = "draft",
                              .source = integration.type,
                              .external_ref = order.external_id,
                              .notes = order.name.empty() ? "" : "Store order " + order.name,
                              .lines = std::move(lines),
                              .created_at = now,
                              .updated_at = now};
    if (!Total(created)) return fail("the order's total is beyond what Kiln can hold");
    created.number = common::NextDocumentNumber(scope, "SO");
    sales::SalesOrderRepository::Insert(scope, created);
    Record(scope, "sales_order", "created", created.id.str(), {{"sales_order", created.ToJson()}});
    ++counts.created;
}

}  // namespace

void ApplyProducts(const db::TenantScope& scope, const Integration& integration,
                   const std::vector<CommerceProduct>& products, SyncCounts& counts) {
    for (const auto& product : products) {
        ++counts.items;
        const size_t errors_before = counts.errors.size();
        if (product.variants.empty()) counts.errors.push_back({product.external_id, "the product has no variants"});
        for (const auto& variant : product.variants) {
            if (variant.external_id.empty()) {
                counts.errors.push_back({product.external_id, "a variant has no id"});
                continue;
            }
            ApplyVariant(scope, integration, product, variant, counts);
        }
        NoteUpdatedAt(counts, product.updated_at, counts.errors.size() > errors_before);
    }
}

void ApplyOrders(const db::TenantScope& scope, const Integration& integration, const std::vector<CommerceOrder>& orders,
                 SyncCounts& counts) {
    for (const auto& order : orders) {
        ++counts.items;
        const size_t errors_before = counts.errors.size();
        ApplyOrder(scope, integration, order, counts);
        NoteUpdatedAt(counts, order.updated_at, counts.errors.size() > errors_before);
    }
}

CommerceProduct ProductFromRest(const json& product) {
    CommerceProduct result;
    result.external_id = Gid(kProductGidPrefix, IdField(product, "id"));
    result.title = StringField(product, "title");
    result.description = StringField(product, "body_html");
    result.status = StringField(product, "status");
    result.updated_at = StringField(product, "updated_at");
    if (product.is_object() && product.contains("variants") && product.at("variants").is_array()) {
        for (const auto& item : product.at("variants")) {
            CommerceVariant variant;
            variant.external_id = Gid(kVariantGidPrefix, IdField(item, "id"));
            variant.sku = StringField(item, "sku");
            variant.title = StringField(item, "title");
            variant.price = item.is_object() && item.contains("price") ? DecimalToMinor(item.at("price")) : -1;
            result.variants.push_back(std::move(variant));
        }
    }
    return result;
}

CommerceOrder OrderFromRest(const json& order) {
    CommerceOrder result;
    result.external_id = IdField(order, "id");
    result.name = StringField(order, "name");
    result.currency = StringField(order, "currency");
    result.updated_at = StringField(order, "updated_at");
    result.financial_status = StringField(order, "financial_status");
    result.customer_email = StringField(order, "email");
    if (order.is_object() && order.contains("customer") && order.at("customer").is_object()) {
        const json& customer = order.at("customer");
        result.customer_external_id = IdField(customer, "id");
        if (const std::string email = StringField(customer, "email"); !email.empty()) result.customer_email = email;
        const std::string first = StringField(customer, "first_name");
        const std::string last = StringField(customer, "last_name");
        result.customer_name = first.empty() || last.empty() ? first + last : first + " " + last;
    }
    if (order.is_object() && order.contains("line_items") && order.at("line_items").is_array()) {
        for (const auto& item : order.at("line_items")) {
            CommerceOrderLine line;
            line.sku = StringField(item, "sku");
            line.title = StringField(item, "title");
            const bool has_quantity =
                item.is_object() && item.contains("quantity") && item.at("quantity").is_number_integer();
            line.quantity = has_quantity ? item.at("quantity").get<int64_t>() : -1;
            line.unit_price = item.is_object() && item.contains("price") ? DecimalToMinor(item.at("price")) : -1;
            line.product_external_id = IdField(item, "product_id");
            line.variant_external_id = IdField(item, "variant_id");
            result.lines.push_back(std::move(line));
        }
    }
    return result;
}

}  // namespace kiln::integrations
