#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/billing/payment.hpp"

namespace kiln::billing {

struct PaymentFilter {
    std::optional<std::string> invoice_id;
    std::optional<PaymentStatus> status;
    std::optional<std::string> customer_id;  // of the payment's invoice
    std::optional<Timestamp> created_from;   // inclusive
    std::optional<Timestamp> created_until;  // exclusive
    std::optional<std::string> before_id;
    int64_t limit = 50;
};

/// A tenant's payments as stored; the rules that move them are PaymentService's.
class PaymentRepository final {
  public:
    static void Insert(const db::TenantScope& scope, const Payment& payment);
    static std::optional<Payment> Find(const db::TenantScope& scope, const PaymentId& id);
    /// Find, with the row locked until the (read-write) transaction ends: what every change of a
    /// payment's status starts with, so concurrent refunds or webhooks move it once. Lock order:
    /// the payment, then its invoice.
    static std::optional<Payment> FindForUpdate(const db::TenantScope& scope, const PaymentId& id);
    /// The payment a gateway object belongs to ("stripe", "pi_…"): how provider webhooks find theirs.
    static std::optional<Payment> FindByGatewayRef(const db::TenantScope& scope, const std::string& gateway,
                                                   const std::string& gateway_ref);
    static void Update(const db::TenantScope& scope, const Payment& payment);
    /// Newest first, up to filter.limit + 1 rows.
    static std::vector<Payment> List(const db::TenantScope& scope, const PaymentFilter& filter);
};

}  // namespace kiln::billing
