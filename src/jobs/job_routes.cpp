#include "jobs/job_routes.hpp"

#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "jobs/job_queue.hpp"

namespace kiln::jobs {

namespace {

http::Response ListJobs(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    const auto state = ctx.Query("state");
    if (state && !JobQueue::IsState(*state))
        throw ValidationError("state", "must be one of queued, running, succeeded, failed, dead");
    auto body = http::PageResponse(JobQueue::List(ctx.tx(), state, page.after_id, page.limit), page);
    body["counts"] = JobQueue::Counts(ctx.tx());
    return http::Response::Json(200, body);
}

}  // namespace

void RegisterJobRoutes(http::RouteTable& routes) {
    routes.Add(
        {.method = http::Method::kGet,
         .path = "/jobs",
         .operation_id = "listJobs",
         .summary = "Job counts by state and kind, and the newest jobs of every tenant (platform administrators)",
         .tag = "admin",
         .access = http::Access::kAuthenticated,
         .permission = "admin:system:read",
         .query = {{"state", "string", "Only jobs in this state (queued, running, succeeded, failed, dead)"},
                   {"limit", "integer", "Page size"},
                   {"cursor", "string", "next_cursor of the previous page"}},
         .entity_type = "job",
         .handler = ListJobs});
}

}  // namespace kiln::jobs
