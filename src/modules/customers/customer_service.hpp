#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/database.hpp"
#include "modules/customers/customer_id.hpp"
#include "modules/customers/customer_repository.hpp"

namespace kiln::customers {

/// What other modules ask of customers (orders and invoices name one, store syncs bring theirs).
class CustomerService final {
  public:
    static std::optional<Customer> Find(const db::TenantScope& scope, const CustomerId& id);
    /// The customer a sync knows as `external_id` in `source`, if any.
    static std::optional<Customer> FindByExternalRef(const db::TenantScope& scope, const std::string& source,
                                                     const std::string& external_id);
    /// An email or external reference already in use → ValidationError on that field.
    static void Insert(const db::TenantScope& scope, const Customer& customer);
    /// Writes every column; external references only when `refs_changed`.
    static void Update(const db::TenantScope& scope, const Customer& customer, bool refs_changed);
    static void Delete(const db::TenantScope& scope, const CustomerId& id);
    static std::vector<Customer> List(const db::TenantScope& scope, const CustomerFilter& filter);
    /// Adds the field error {"customer_id", "does not name a customer"} unless `id` is one of the scope's tenant's
    /// customers: another tenant's id reads exactly like a missing one.
    static void CheckReference(const db::TenantScope& scope, const CustomerId& id, std::vector<FieldError>& errors);
};

}  // namespace kiln::customers
