#pragma once

#include <vector>

#include "core/error.hpp"
#include "db/database.hpp"
#include "modules/customers/customer_id.hpp"

namespace kiln::customers {

/// What other modules ask of customers (orders and invoices name one).
class CustomerService final {
  public:
    /// Adds the field error {"customer_id", "does not name a customer"} unless `id` is one of the scope's tenant's
    /// customers: another tenant's id reads exactly like a missing one.
    static void CheckReference(const db::TenantScope& scope, const CustomerId& id, std::vector<FieldError>& errors);
};

}  // namespace kiln::customers
