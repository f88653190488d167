#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "db/database.hpp"

namespace kiln::jobs {

/// What a handler is given. Delivery is at-least-once (a killed process's job runs again), so a
/// handler must be idempotent: doing its work twice must leave the same result as doing it once.
struct JobContext {
    const TenantId& tenant;
    const std::string& job_id;
    const nlohmann::json& payload;
    int attempt;  // 1 for the first run
    db::Database& db;
};

/// Does the job's work; throwing fails the attempt (it is retried with backoff).
using JobHandler = std::function<void(const JobContext&)>;

/// Job kind → handler. Filled while the process starts, read-only once workers run.
class JobHandlerRegistry final {
  public:
    /// Throws std::logic_error for a kind registered twice.
    void Register(const std::string& kind, JobHandler handler);
    /// nullptr for a kind nobody registered.
    const JobHandler* Find(const std::string& kind) const;
    std::vector<std::string> kinds() const;

  private:
    std::map<std::string, JobHandler> handlers_;
};

/// Registers `test.sleep` (sleeps payload.ms, then succeeds) and `test.fail` (always throws).
/// Only for the test suites, which need jobs they can start and observe from outside the process;
/// the application registers them only when KILN_TEST_JOB_KINDS=1.
void RegisterTestJobKinds(JobHandlerRegistry& registry);

}  // namespace kiln::jobs
