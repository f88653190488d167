#include "modules/customers/customer_routes.hpp"

#include <algorithm>

#include "core/uuid.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "modules/common/changes.hpp"
#include "modules/common/crud_routes.hpp"
#include "modules/customers/customer_service.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::customers {

namespace {

bool IsDigit(char c) {
    return c >= '0' && c <= '9';
}

/// E.164 written the way people type it: an optional leading +, then digits, spaces and dashes.
bool IsPhone(const std::string& s) {
    const size_t start = !s.empty() && s.front() == '+' ? 1 : 0;
    return s.size() > start && IsDigit(s[start]) &&
           std::all_of(s.begin() + static_cast<std::ptrdiff_t>(start), s.end(),
                       [](char c) { return IsDigit(c) || c == ' ' || c == '-'; });
}

/// What the schema cannot say: phone characters and the country code's letters.
void CheckContactFields(const nlohmann::json& body) {
    std::vector<FieldError> errors;
    if (body.contains("phone") && body["phone"].is_string() && !IsPhone(body["phone"]))
        errors.push_back({"phone", "must be digits, spaces and dashes, optionally after a leading +"});
    if (body.contains("billing_address") && body["billing_address"].contains("country")) {
        const std::string country = body["billing_address"]["country"];
        if (!std::all_of(country.begin(), country.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            errors.push_back({"billing_address.country", "must be an ISO 3166-1 alpha-2 code such as DE"});
    }
    if (!errors.empty()) throw ValidationError(std::move(errors));
}

std::optional<std::string> OptionalString(const nlohmann::json& body, const std::string& name) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) return std::nullopt;
    return it->get<std::string>();
}

Customer Existing(http::RequestContext& ctx) {
    auto customer = CustomerService::Find(ctx.scope(), CustomerId(ctx.IdParam("id")));
    if (!customer) throw ctx.NotFoundError();
    return *customer;
}

http::Response ListCustomers(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    const CustomerFilter filter{.q = ctx.Query("q"), .before_id = page.after_id, .limit = page.limit};
    nlohmann::json items = nlohmann::json::array();
    for (const auto& customer : CustomerService::List(ctx.scope(), filter)) items.push_back(customer.ToJson());
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response GetCustomer(http::RequestContext& ctx) {
    return http::Response::Json(200, Existing(ctx).ToJson());
}

http::Response CreateCustomer(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    CheckContactFields(body);
    const Timestamp now = Now();
    const Customer customer{.id = CustomerId(NewUuidV7()),
                            .name = body.at("name"),
                            .email = OptionalString(body, "email"),
                            .phone = OptionalString(body, "phone"),
                            .billing_address = body.value("billing_address", nlohmann::json::object()),
                            .external_refs = common::ExternalRefsIn(body).value_or(std::vector<common::ExternalRef>{}),
                            .created_at = now,
                            .updated_at = now};
    CustomerService::Insert(ctx.scope(), customer);
    const auto created = customer.ToJson();
    common::RecordChange(ctx, "customer", "create", customer.id.str(), created, created);
    return http::Response::Json(201, created);
}

http::Response UpdateCustomer(http::RequestContext& ctx) {
    CheckContactFields(ctx.body());
    Customer customer = Existing(ctx);
    common::ChangeSet changes(ctx.body());
    changes.Apply("name", customer.name);
    changes.Apply("email", customer.email);
    changes.Apply("phone", customer.phone);
    changes.Apply("billing_address", customer.billing_address);
    changes.ApplyExternalRefs(customer.external_refs);
    return common::SaveUpdate<CustomerService>(ctx, "customer", customer, changes);
}

http::Response DeleteCustomer(http::RequestContext& ctx) {
    const Customer customer = Existing(ctx);
    CustomerService::Delete(ctx.scope(), customer.id);
    common::RecordChange(ctx, "customer", "delete", customer.id.str(), customer.ToJson(), {{"name", customer.name}});
    return http::Response::NoContent();
}

http::Schema AddressSchema() {
    const auto line = http::Schema::String().MaxLength(200);
    return http::Schema::Object()
        .Field("line1", line)
        .Field("line2", line)
        .Field("city", http::Schema::String().MaxLength(100))
        .Field("region", http::Schema::String().MaxLength(100))
        .Field("postal_code", http::Schema::String().MaxLength(20))
        .Field("country", http::Schema::String().MinLength(2).MaxLength(2).Description("ISO 3166-1 alpha-2, e.g. DE"));
}

/// Only the name is required on creation; an update may name any subset, and null clears the
/// email or phone.
http::Schema CustomerBody(bool create) {
    return http::Schema::Object()
        .Field("name", http::Schema::String().MinLength(1).MaxLength(200), create)
        .Field("email", http::Schema::String().MaxLength(254).Format("email").Nullable())
        .Field("phone",
               http::Schema::String().MinLength(1).MaxLength(32).Nullable().Description("E.164, e.g. +49 30 1234567"))
        .Field("billing_address", AddressSchema())
        .Field("external_refs", common::ExternalRefsSchema());
}

}  // namespace

void DeclareCustomerEvents(events::EventTypeRegistry& registry) {
    common::DeclareCrudEvents(registry, "customer", CustomerBody(true));
}

void RegisterCustomerRoutes(http::RouteTable& routes) {
    common::AddCrudRoutes(routes, {.noun = "customer",
                                   .tag = "customers",
                                   .list_filters = {{"q", "string", "Part of the name or email, ignoring case"}},
                                   .create_body = CustomerBody(true),
                                   .update_body = CustomerBody(false),
                                   .list = ListCustomers,
                                   .create = CreateCustomer,
                                   .get = GetCustomer,
                                   .update = UpdateCustomer,
                                   .remove = DeleteCustomer});
}

}  // namespace kiln::customers
