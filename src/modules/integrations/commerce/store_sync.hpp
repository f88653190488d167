#pragma once

#include <string>

#include "http/route.hpp"
#include "jobs/job_handler.hpp"
#include "modules/integrations/integration_service.hpp"

namespace kiln::integrations {

/// The job that runs one store sync (payload {"sync_id"}).
inline constexpr const char* kStoreSyncJob = "integration.sync";
/// Attempts of a sync job: a store that stays unreachable through all of them fails the sync.
inline constexpr int kStoreSyncMaxAttempts = 8;

/// The dedupe key of a sync's job: one job per sync.
inline std::string StoreSyncJobKey(const std::string& sync_id) {
    std::string key = kStoreSyncJob;
    key.append(":").append(sync_id);
    return key;
}

/// POST /integrations/shopify/sync-products and /sync-orders (start a sync: 202, or 409 while one of the kind
/// is unfinished) and GET /integrations/{id}/syncs/{sync_id} (its progress).
void RegisterStoreSyncRoutes(http::RouteTable& routes, const IntegrationService& service);

/// `integration.sync`: fetches the store page by page outside any transaction and applies each page in its own
/// short one together with the sync's progress and next cursor, so a sync whose process died resumes at the
/// page after the last one applied. A retryable provider failure fails the attempt (the queue retries it with
/// backoff); any other, or the last attempt, fails the sync with the reason.
void RegisterStoreSyncJobs(jobs::JobHandlerRegistry& registry, const IntegrationService& service);

}  // namespace kiln::integrations
