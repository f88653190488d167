#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

#include "core/ids.hpp"

namespace kiln::integrations {

/// Bounds the provider calls request handlers wait on, per tenant and in total, so that one tenant
/// pointing integrations at a silent host cannot hold every handler thread (issue 12, item 8). An
/// extra call is refused at once (429 for the tenant's bound, 503 for the process's), never queued:
/// queueing would hold the thread just the same. Jobs are not counted; their workers are bounded
/// by their own pool. Per process, like the handler threads it protects.
class OutboundGate final {
  public:
    OutboundGate(size_t per_tenant, size_t total) : per_tenant_(per_tenant), total_(total) {}

    /// Held for the duration of one in-request connection; releases its slot when destroyed.
    class Permit final {
      public:
        Permit(OutboundGate& gate, std::string tenant) : gate_(&gate), tenant_(std::move(tenant)) {}
        ~Permit();
        Permit(Permit&& other) noexcept : gate_(other.gate_), tenant_(std::move(other.tenant_)) {
            other.gate_ = nullptr;
        }
        Permit& operator=(Permit&&) = delete;
        Permit(const Permit&) = delete;
        Permit& operator=(const Permit&) = delete;

      private:
        OutboundGate* gate_;
        std::string tenant_;
    };

    /// A slot for the tenant, or Error kTooManyRequests / kUnavailable with Retry-After.
    Permit Acquire(const TenantId& tenant);

  private:
    void Release(const std::string& tenant);

    const size_t per_tenant_;
    const size_t total_;
    std::mutex mutex_;
    std::map<std::string, size_t> in_flight_;  // guarded by mutex_; tenants with none are erased
    size_t total_in_flight_ = 0;               // guarded by mutex_
};

}  // namespace kiln::integrations
