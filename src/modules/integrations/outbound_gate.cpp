#include "modules/integrations/outbound_gate.hpp"

#include "core/error.hpp"

namespace kiln::integrations {

namespace {

// In-request calls last at most a few seconds, so a slot is free again soon.
constexpr int kRetryAfterSeconds = 5;

}  // namespace

OutboundGate::Permit::~Permit() {
    if (gate_ != nullptr) gate_->Release(tenant_);
}

OutboundGate::Permit OutboundGate::Acquire(const TenantId& tenant) {
    const std::string& key = tenant.str();
    const std::lock_guard lock(mutex_);
    auto& mine = in_flight_[key];
    if (mine >= per_tenant_) {
        if (mine == 0) in_flight_.erase(key);
        throw Error(ErrorCode::kTooManyRequests, "The tenant already has " + std::to_string(per_tenant_) +
                                                     " provider calls in progress inside requests; try again shortly.")
            .WithRetryAfter(kRetryAfterSeconds);
    }
    if (total_in_flight_ >= total_) {
        if (mine == 0) in_flight_.erase(key);
        throw Error(ErrorCode::kUnavailable,
                    "Too many provider calls are in progress inside requests; try again shortly.")
            .WithRetryAfter(kRetryAfterSeconds);
    }
    ++mine;
    ++total_in_flight_;
    return {*this, key};
}

void OutboundGate::Release(const std::string& tenant) {
    const std::lock_guard lock(mutex_);
    const auto it = in_flight_.find(tenant);
    if (it != in_flight_.end() && --it->second == 0) in_flight_.erase(it);
    --total_in_flight_;
}

}  // namespace kiln::integrations
