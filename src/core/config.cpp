#include "core/config.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace kiln {

namespace {

const char* Env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : nullptr;
}

void ReadString(const char* name, std::string& out) {
    if (const char* v = Env(name)) out = v;
}

template <typename Int>
void ReadNumber(const char* name, Int& out) {
    if (const char* v = Env(name)) {
        try {
            const long long parsed = std::stoll(v);
            if (parsed < 0) throw std::invalid_argument("negative");
            out = static_cast<Int>(parsed);
        } catch (const std::exception&) {
            throw std::runtime_error(std::string("environment variable ") + name + " must be a non-negative integer");
        }
    }
}

template <typename Duration>
void ReadDuration(const char* name, Duration& out) {
    long long count = out.count();
    ReadNumber(name, count);
    out = Duration{count};
}

/// KILN_<TYPE>_BASE_URL of each provider type with a pinned endpoint, and DocuSign's OAuth host.
void ReadProviderBaseUrls(std::map<std::string, std::string>& out) {
    const std::pair<const char*, const char*> variables[] = {
        {"stripe", "KILN_STRIPE_BASE_URL"},     {"razorpay", "KILN_RAZORPAY_BASE_URL"},
        {"sendgrid", "KILN_SENDGRID_BASE_URL"}, {"ses", "KILN_SES_BASE_URL"},
        {"twilio", "KILN_TWILIO_BASE_URL"},     {"shopify", "KILN_SHOPIFY_BASE_URL"},
        {"docusign", "KILN_DOCUSIGN_BASE_URL"}, {"docusign.oauth", "KILN_DOCUSIGN_OAUTH_BASE_URL"}};
    for (const auto& [key, variable] : variables)
        if (const char* v = Env(variable)) out[key] = v;
}

}  // namespace

Config Config::FromEnvironment() {
    Config c;
    ReadString("KILN_ADDRESS", c.address);
    ReadNumber("PORT", c.port);
    ReadString("KILN_PORT_FILE", c.port_file);
    ReadString("API_PREFIX", c.api_prefix);
    ReadString("KILN_DATABASE_URL", c.database_url);
    ReadString("KILN_DATA_DIR", c.data_dir);
    ReadString("KILN_ENV", c.environment);
    ReadString("KILN_LOG_LEVEL", c.log_level);
    ReadNumber("KILN_MAX_BODY_BYTES", c.max_body_bytes);
    ReadDuration("KILN_READ_TIMEOUT_SECONDS", c.read_timeout);
    ReadDuration("KILN_WRITE_TIMEOUT_SECONDS", c.write_timeout);
    ReadDuration("KILN_SHUTDOWN_GRACE_SECONDS", c.shutdown_grace);
    ReadNumber("KILN_IO_THREADS", c.io_threads);
    ReadNumber("KILN_HANDLER_THREADS", c.handler_threads);
    ReadNumber("KILN_HANDLER_QUEUE_LIMIT", c.handler_queue_limit);
    ReadNumber("KILN_DB_POOL_SIZE", c.db_pool_size);
    ReadDuration("KILN_SESSION_TTL_HOURS", c.session_ttl);
    ReadDuration("KILN_IDEMPOTENCY_TTL_HOURS", c.idempotency_ttl);
    ReadNumber("KILN_LOGIN_MAX_FAILURES", c.login_max_failures);
    ReadDuration("KILN_LOGIN_WINDOW_SECONDS", c.login_failure_window);
    if (const char* v = Env("KILN_SEED_DEMO")) c.seed_demo = std::string(v) != "0" && std::string(v) != "false";
    ReadNumber("KILN_WORKER_THREADS", c.worker_threads);
    ReadDuration("KILN_JOB_LEASE_SECONDS", c.job_lease);
    ReadDuration("KILN_JOB_BACKOFF_BASE_MS", c.job_retry_base);
    if (const char* v = Env("KILN_TEST_JOB_KINDS")) c.test_job_kinds = std::string(v) == "1";
    ReadString("KILN_EGRESS_ALLOWED_NETWORKS", c.egress_allowed_networks);
    ReadString("KILN_TENANT_EGRESS_ALLOWED_NETWORKS", c.tenant_egress_allowed_networks);
    ReadNumber("KILN_OUTBOUND_PER_TENANT", c.outbound_per_tenant);
    ReadNumber("KILN_OUTBOUND_IN_REQUEST_MAX", c.outbound_in_request_max);
    ReadDuration("KILN_OUTBOUND_IN_REQUEST_TIMEOUT_SECONDS", c.outbound_in_request_timeout);
    ReadProviderBaseUrls(c.provider_base_urls);
    ReadString("KILN_MASTER_KEY", c.master_key);
    ReadNumber("KILN_WEBHOOK_WORKERS", c.webhooks.workers);
    ReadDuration("KILN_WEBHOOK_TIMEOUT_SECONDS", c.webhooks.timeout);
    ReadString("KILN_WEBHOOK_RETRY_SCHEDULE", c.webhooks.retry_schedule);
    ReadDuration("KILN_WEBHOOK_THROTTLE_SECONDS", c.webhooks.throttle_delay);
    ReadDuration("KILN_WEBHOOK_DISABLE_AFTER_SECONDS", c.webhooks.disable_after);
    ReadDuration("KILN_WEBHOOK_RETENTION_HOURS", c.webhooks.attempt_retention);
    ReadDuration("KILN_WEBHOOK_SECRET_GRACE_SECONDS", c.webhooks.secret_grace);
    ReadNumber("KILN_WEBHOOK_MAX_IN_FLIGHT", c.webhooks.max_in_flight);
    ReadNumber("KILN_WEBHOOK_RATE_LIMIT", c.webhooks.rate_limit);
    ReadDuration("KILN_WEBHOOK_LEASE_SECONDS", c.webhooks.lease);
    return c;
}

std::string Config::EffectiveDatabaseUrl() const {
    if (!database_url.empty()) return database_url;
    return "sqlite://" + data_dir + "/kiln.db";
}

}  // namespace kiln
