#include "modules/customers/customer_service.hpp"

namespace kiln::customers {

std::optional<Customer> CustomerService::Find(const db::TenantScope& scope, const CustomerId& id) {
    return CustomerRepository::Find(scope, id);
}

std::optional<Customer> CustomerService::FindByExternalRef(const db::TenantScope& scope, const std::string& source,
                                                           const std::string& external_id) {
    return CustomerRepository::FindByExternalRef(scope, source, external_id);
}

void CustomerService::Insert(const db::TenantScope& scope, const Customer& customer) {
    CustomerRepository::Insert(scope, customer);
}

void CustomerService::Update(const db::TenantScope& scope, const Customer& customer, bool refs_changed) {
    CustomerRepository::Update(scope, customer, refs_changed);
}

void CustomerService::Delete(const db::TenantScope& scope, const CustomerId& id) {
    CustomerRepository::Delete(scope, id);
}

std::vector<Customer> CustomerService::List(const db::TenantScope& scope, const CustomerFilter& filter) {
    return CustomerRepository::List(scope, filter);
}

void CustomerService::CheckReference(const db::TenantScope& scope, const CustomerId& id,
                                     std::vector<FieldError>& errors) {
    if (!Find(scope, id)) errors.push_back({"customer_id", "does not name a customer"});
}

}  // namespace kiln::customers
