#pragma once

#include "core/ids.hpp"

namespace kiln::customers {

/// What other modules' documents (orders, invoices) hold of a customer.
using CustomerId = TypedId<struct CustomerIdTag>;

}  // namespace kiln::customers
