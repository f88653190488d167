#include "modules/customers/customer_service.hpp"

#include "modules/customers/customer_repository.hpp"

namespace kiln::customers {

void CustomerService::CheckReference(const db::TenantScope& scope, const CustomerId& id,
                                     std::vector<FieldError>& errors) {
    if (!CustomerRepository::Find(scope, id)) errors.push_back({"customer_id", "does not name a customer"});
}

}  // namespace kiln::customers
