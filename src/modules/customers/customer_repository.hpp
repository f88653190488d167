#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/common/external_refs.hpp"
#include "modules/customers/customer_id.hpp"

namespace kiln::customers {

struct Customer {
    CustomerId id;
    std::string name;
    std::optional<std::string> email;
    std::optional<std::string> phone;
    nlohmann::json billing_address = nlohmann::json::object();  // line1, line2, city, region, postal_code, country
    std::vector<common::ExternalRef> external_refs;
    Timestamp created_at;
    Timestamp updated_at;
    nlohmann::json ToJson() const;
};

struct CustomerFilter {
    std::optional<std::string> q;  // part of the name or email, case-insensitive
    std::optional<std::string> before_id;
    int64_t limit = 50;
};

/// A tenant's customers with their external references.
class CustomerRepository final {
  public:
    /// An external reference already in use → ValidationError on `external_refs`.
    static void Insert(const db::TenantScope& scope, const Customer& customer);
    static std::optional<Customer> Find(const db::TenantScope& scope, const CustomerId& id);
    /// The customer a sync knows as `external_id` in `source`, if any.
    static std::optional<Customer> FindByExternalRef(const db::TenantScope& scope, const std::string& source,
                                                     const std::string& external_id);
    /// Writes every column; external references only when `refs_changed`.
    static void Update(const db::TenantScope& scope, const Customer& customer, bool refs_changed);
    static void Delete(const db::TenantScope& scope, const CustomerId& id);
    /// Newest first, up to filter.limit + 1 rows (the extra one tells that another page exists).
    static std::vector<Customer> List(const db::TenantScope& scope, const CustomerFilter& filter);
};

}  // namespace kiln::customers
