#include "app/cli.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <iostream>

#include "app/application.hpp"
#include "app/process_settings.hpp"
#include "auth/permissions.hpp"
#include "auth/token.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/settings/settings_documentation.hpp"
#include "core/uuid.hpp"
#include "db/migration.hpp"
#include "http/idempotency.hpp"
#include "jobs/job_queue.hpp"
#include "modules/audit/audit_repository.hpp"
#include "modules/audit/audit_routes.hpp"
#include "modules/identity/identity_mail.hpp"
#include "modules/identity/invitation_repository.hpp"
#include "modules/integrations/integration_repository.hpp"
#include "modules/plugins/plugin_repository.hpp"
#include "modules/tenancy/tenancy_repository.hpp"
#include "modules/webhooks/subscription_repository.hpp"
#include "modules/workflows/workflow_repository.hpp"

namespace kiln::app {

namespace {

/// The flags of the settings, generated from the registry: each option fills a text that is parsed
/// like the variable it overrides, after the environment (ReadProcessSettings).
class SettingFlags final {
  public:
    explicit SettingFlags(const settings::Registry& registry) : registry_(registry) {}

    /// Adds the flags of `flags` (all the registry's flags when empty) to `command`.
    void AddTo(CLI::App& command, const std::vector<std::string>& flags = {}) {
        for (const auto& setting : registry_.settings()) {
            if (setting.flag.empty()) continue;
            if (!flags.empty() && std::find(flags.begin(), flags.end(), setting.flag) == flags.end()) continue;
            auto* option =
                command.add_option(setting.flag, texts_[setting.flag], setting.help + " (" + setting.variable + ")");
            option->default_str(setting.default_text);
            options_.emplace_back(option, &setting);
        }
    }

    /// The settings the command line gave a flag for, with the flag's text.
    std::map<const settings::Setting*, std::string> Given() const {
        std::map<const settings::Setting*, std::string> given;
        for (const auto& [option, setting] : options_)
            if (option->count() > 0) given[setting] = texts_.at(setting->flag);
        return given;
    }

  private:
    const settings::Registry& registry_;
    std::map<std::string, std::string> texts_;  // a std::map: CLI11 keeps pointers to the values
    std::vector<std::pair<CLI::Option*, const settings::Setting*>> options_;
};

const std::vector<std::string> kDatabaseFlags = {"--database", "--data-dir", "--db-pool-size"};
const std::vector<std::string> kWorkerFlags = {"--worker-threads", "--log-level", "--database", "--data-dir",
                                               "--db-pool-size"};

db::TenantScope ScopeFor(db::Transaction& tx, const std::string& tenant_slug) {
    const auto tenant = tenancy::TenancyRepository::FindTenantBySlug(tx, tenant_slug);
    if (!tenant) throw std::runtime_error("no tenant has the slug " + tenant_slug);
    return {tx, tenant->id};
}

http::AuditEvent SystemEvent(std::string action, std::string entity_type, std::string entity_id,
                             nlohmann::json changes) {
    return {"system", "", std::move(action), std::move(entity_type), std::move(entity_id), std::move(changes),
            "",       "", "kiln-cli"};
}

/// The CLI's audit rows are keyed like the server's: from the master key.
void Audit(const Config& config, const db::TenantScope& scope, const http::AuditEvent& event) {
    const SecretVault vault = SecretVault::Load(config.master_key, config.data_dir);
    audit::AuditLogSink(vault).Record(scope, event);
}

int CreateTenant(const Config& config, const std::string& name, std::string slug) {
    auto db = OpenAndMigrate(config);
    auto tx = db->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    if (slug.empty()) slug = tenancy::SlugFromName(name);
    const auto tenant = tenancy::TenancyRepository::CreateTenant(tx, name, slug);
    Audit(config, db::TenantScope(tx, tenant.id),
          SystemEvent("tenants.create", "tenant", tenant.id.str(), {{"name", name}, {"slug", slug}}));
    tx.Commit();
    std::cout << tenant.ToJson().dump() << std::endl;
    return 0;
}

int CreateUser(const Config& config, const std::string& email, const std::string& password, std::string name,
               const std::string& tenant_slug, const std::string& role, bool platform_admin) {
    if (password.size() < 10) throw std::runtime_error("the password must be at least 10 characters");
    if (!tenant_slug.empty() && !auth::IsBuiltInRole(role)) throw std::runtime_error("--role must be a built-in role");
    auto db = OpenAndMigrate(config);
    auto tx = db->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    if (name.empty()) name = email.substr(0, email.find('@'));
    const auto user = tenancy::TenancyRepository::CreateUser(tx, email, name, password, platform_admin);
    if (!tenant_slug.empty()) {
        const auto scope = ScopeFor(tx, tenant_slug);
        tenancy::TenancyRepository::AddMember(scope, user.id, role);
        Audit(config, scope,
              SystemEvent("members.create", "member", user.id.str(), {{"email", user.email}, {"role", role}}));
    }
    tx.Commit();
    std::cout << user.ToJson().dump() << std::endl;
    return 0;
}

int CreateToken(const Config& config, const std::string& email, const std::string& tenant_slug,
                const std::string& name) {
    auto db = OpenAndMigrate(config);
    auto tx = db->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    const auto user = tenancy::TenancyRepository::FindUserByEmail(tx, email);
    if (!user) throw std::runtime_error("no user has the email " + email);
    const auto scope = ScopeFor(tx, tenant_slug);
    if (!tenancy::TenancyRepository::MemberRole(scope, user->id))
        throw std::runtime_error(email + " is not a member of " + tenant_slug);
    const std::string token = auth::GenerateToken(auth::kApiTokenPrefix);
    const std::string id = NewUuidV7();
    scope.Exec(R"sql(INSERT INTO api_tokens (tenant_id, id, user_id, name, token_hash, token_hint, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7))sql",
               {scope.tenant(), id, user->id, name, auth::HashToken(token), auth::TokenHint(token), Now()});
    Audit(config, scope, SystemEvent("tokens.create", "api_token", id, {{"name", name}}));
    tx.Commit();
    std::cout << token << std::endl;
    return 0;
}

/// Where no platform mailer is configured, an operator hands the invitee their link. Only hashes
/// are stored, so this issues a fresh token; a link mailed earlier stops working.
int InvitationLink(const Config& config, const identity::IdentitySettings& settings, const std::string& email,
                   const std::string& tenant_slug) {
    auto db = OpenAndMigrate(config);
    auto tx = db->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    const auto scope = ScopeFor(tx, tenant_slug);
    const auto invitation = identity::InvitationRepository::FindPendingByEmail(scope, email, Now());
    if (!invitation) throw std::runtime_error("no pending invitation for " + email + " in " + tenant_slug);
    const auto link = identity::IssueInvitationLink(scope, invitation->id, settings);
    if (!link) throw std::runtime_error("the invitation is no longer pending");
    tx.Commit();
    std::cout << *link << std::endl;
    return 0;
}

int VerifyAudit(const Config& config, const std::string& tenant_slug) {
    auto db = OpenAndMigrate(config);
    auto tx = db->Begin({db::Access::kReadOnly, db::Visibility::kSystem});
    // The operator's walk is always a full one.
    const auto result = audit::AuditRepository::Verify(ScopeFor(tx, tenant_slug),
                                                       SecretVault::Load(config.master_key, config.data_dir), true);
    std::cout << audit::VerificationJson(result).dump() << std::endl;
    return result.ok ? 0 : 3;
}

int EnqueueJob(const Config& config, const std::string& tenant_slug, const std::string& kind,
               const std::string& payload_text, const std::string& dedupe_key, int max_attempts) {
    if (kind.empty()) throw std::runtime_error("--kind must not be empty");
    if (max_attempts < 1) throw std::runtime_error("--max-attempts must be at least 1");
    const auto payload = nlohmann::json::parse(payload_text, nullptr, false);
    if (payload.is_discarded()) throw std::runtime_error("--payload is not valid JSON");
    auto db = OpenAndMigrate(config);
    auto tx = db->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    jobs::EnqueueOptions options;
    options.max_attempts = max_attempts;
    if (!dedupe_key.empty()) options.dedupe_key = dedupe_key;
    const auto job = jobs::JobQueue::Enqueue(ScopeFor(tx, tenant_slug), kind, payload, options);
    tx.Commit();
    std::cout << job.id << std::endl;
    return 0;
}

/// Reseals every secret under a new key, crash-safe: the new key is written to master.key.next
/// first (Load also reads it, so a rotation cut short after the commit still opens everything), the
/// database is resealed in one transaction, then the files are swapped; the old key is kept as
/// master.key.retired-<key id>.
int RotateMasterKey(const Config& config, const std::string& new_key_base64) {
    const SecretVault current = SecretVault::Load(config.master_key, config.data_dir);
    const std::filesystem::path dir(config.data_dir);
    const auto next_path = dir / "master.key.next";
    std::string encoded = new_key_base64;
    if (config.master_key.empty()) {
        if (encoded.empty()) {
            if (std::filesystem::exists(next_path)) {
                std::ifstream in(next_path);  // an earlier rotation's key, maybe already in use
                std::getline(in, encoded);
            } else {
                encoded = SecretVault::GenerateKey();
            }
        }
        const int fd = ::open(next_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || ::write(fd, encoded.data(), encoded.size()) != static_cast<ssize_t>(encoded.size()) ||
            ::fsync(fd) != 0) {
            if (fd >= 0) ::close(fd);
            throw std::runtime_error("cannot write " + next_path.string());
        }
        ::close(fd);
    } else if (encoded.empty()) {
        throw std::runtime_error("the master key comes from KILN_MASTER_KEY: pass --new-key");
    }
    std::string key;
    if (!crypto::Base64Decode(encoded, key)) throw std::runtime_error("the new key is not base64");
    SecretVault next(std::move(key));
    if (next.key_id() == current.key_id()) throw std::runtime_error("the new key is the current key");
    SecretVault opener = SecretVault::Load(config.master_key, config.data_dir);  // current + .next
    auto db = OpenAndMigrate(config);
    auto tx = db->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    const size_t integrations = integrations::IntegrationRepository::Reseal(tx, opener, next);
    const size_t webhooks = webhooks::SubscriptionRepository::Reseal(tx, opener, next);
    const size_t replays = http::IdempotencyStore::Reseal(tx, opener, next);
    const size_t workflow_secrets = workflows::WorkflowRepository::Reseal(tx, opener, next);
    const size_t plugin_secrets = plugins::PluginConfigRepository::Reseal(tx, opener, next);
    // The audit keys derive from the master key: the HMAC rows are verified, then re-signed.
    const size_t audit_rows = audit::AuditRepository::Rekey(tx, opener, next);
    tx.Commit();
    if (config.master_key.empty()) {
        std::filesystem::rename(dir / "master.key", dir / ("master.key.retired-" + current.key_id()));
        std::filesystem::rename(next_path, dir / "master.key");
    }
    std::cout << "resealed " << integrations << " integration secrets, " << webhooks << " webhook secrets and "
              << replays << " stored idempotent responses under master key " << next.key_id() << std::endl;
    std::cout << "resealed " << workflow_secrets << " workflow action secrets and " << plugin_secrets
              << " plugin configuration secrets, and re-signed " << audit_rows << " audit rows" << std::endl;
    if (!config.master_key.empty()) std::cout << "now set KILN_MASTER_KEY to the new key and restart" << std::endl;
    return 0;
}

int PrintRoutes(const ProcessSettings& settings) {
    const Config& config = settings.server;
    http::RouteTable routes(config.api_prefix);
    auth::LoginRateLimiter limiter(config.login_max_failures, config.login_failure_window);
    const Services services(settings, limiter, std::chrono::steady_clock::now());
    services.RegisterRoutes(routes);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& route : routes.routes()) {
        const char* access = route.access == http::Access::kPublic          ? "public"
                             : route.access == http::Access::kAuthenticated ? "authenticated"
                                                                            : "tenant";
        out.push_back({{"method", http::MethodName(route.method)},
                       {"path", routes.FullPath(route)},
                       {"operation_id", route.operation_id},
                       {"access", access},
                       {"permission", route.permission},
                       {"entity_type", route.entity_type},
                       {"creates", route.creates},
                       {"has_body", route.body.has_value()}});
    }
    std::cout << out.dump(2) << std::endl;
    return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
    ProcessSettings process_settings;
    const auto registry = DeclareProcessSettings(process_settings);
    const Config& config = process_settings.server;
    SettingFlags flags(registry);
    CLI::App app{"Kiln: multi-tenant ERP platform server", "kiln"};
    app.set_version_flag("--version", std::string("kiln ") + KILN_VERSION);
    app.require_subcommand(1);

    auto* serve = app.add_subcommand("serve", "Serve the HTTP API (SQLite in ./kiln-data unless --database is given)");
    flags.AddTo(*serve);
    serve->footer(settings::HelpText(registry));
    auto* migrate = app.add_subcommand("migrate", "Apply pending schema migrations and exit");
    flags.AddTo(*migrate, kDatabaseFlags);
    auto* worker = app.add_subcommand("worker", "Run job workers only, without HTTP, until SIGTERM/SIGINT");
    flags.AddTo(*worker, kWorkerFlags);
    worker->footer(settings::HelpText(registry));
    auto* routes = app.add_subcommand("routes", "Print every route with its permission, as JSON");
    auto* settings_command =
        app.add_subcommand("settings", "Print every setting: its variable, flag, default and help");
    bool markdown = false;
    settings_command->add_flag("--markdown", markdown, "As the Markdown table of the README");

    auto* admin = app.add_subcommand("admin", "Administer tenants, users and tokens");
    admin->require_subcommand(1);
    flags.AddTo(*admin, kDatabaseFlags);
    std::string name;
    std::string slug;
    std::string email;
    std::string password;
    std::string tenant;
    std::string role = "viewer";
    std::string token_name = "cli";
    bool platform_admin = false;
    auto* create_tenant = admin->add_subcommand("create-tenant", "Create a tenant");
    create_tenant->add_option("--name", name, "Display name")->required();
    create_tenant->add_option("--slug", slug, "URL-safe unique slug (default: from the name)");
    auto* create_user = admin->add_subcommand("create-user", "Create a user, optionally a member of a tenant");
    create_user->add_option("--email", email)->required();
    create_user->add_option("--password", password, "At least 10 characters")->required();
    create_user->add_option("--name", name, "Display name (default: from the email)");
    create_user->add_option("--tenant", tenant, "Tenant slug to join");
    create_user->add_option("--role", role, "Built-in role in that tenant")->capture_default_str();
    create_user->add_flag("--platform-admin", platform_admin, "Grant the platform-wide permissions");
    auto* create_token = admin->add_subcommand("create-token", "Create a personal API token and print it");
    create_token->add_option("--email", email)->required();
    create_token->add_option("--tenant", tenant, "Tenant slug the token is bound to")->required();
    create_token->add_option("--name", token_name, "Token name")->capture_default_str();
    auto* invitation_link = admin->add_subcommand(
        "invitation-link", "Issue a fresh link for a pending invitation and print it (when no mailer is configured)");
    invitation_link->add_option("--email", email, "The invited address")->required();
    invitation_link->add_option("--tenant", tenant, "Tenant slug")->required();
    auto* verify_audit = admin->add_subcommand("verify-audit", "Walk a tenant's audit hash chain");
    verify_audit->add_option("--tenant", tenant, "Tenant slug")->required();
    std::string kind;
    std::string payload = "{}";
    std::string dedupe_key;
    int max_attempts = jobs::kDefaultMaxAttempts;
    auto* enqueue_job = admin->add_subcommand("enqueue-job", "Queue a job in a tenant and print its id");
    enqueue_job->add_option("--tenant", tenant, "Tenant slug")->required();
    enqueue_job->add_option("--kind", kind, "Job kind")->required();
    enqueue_job->add_option("--payload", payload, "JSON payload")->capture_default_str();
    enqueue_job->add_option("--dedupe-key", dedupe_key, "A second job with the same key in the tenant is not queued");
    enqueue_job->add_option("--max-attempts", max_attempts, "Attempts before the job is dead")->capture_default_str();

    std::string new_key;
    auto* rotate_key = admin->add_subcommand(
        "rotate-master-key",
        "Re-encrypt every stored secret under a new master key (the key file is replaced; with KILN_MASTER_KEY, "
        "pass the new key and set it afterwards)");
    rotate_key->add_option("--new-key", new_key,
                           "Base64 of 32 random bytes; required when the key comes from KILN_MASTER_KEY");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }

    if (*settings_command) {
        std::cout << (markdown ? settings::MarkdownTable(registry) : settings::HelpText(registry));
        return 0;
    }
    try {
        // Once, before anything runs: the environment, then the flags over it.
        ReadProcessSettings(registry, settings::ProcessEnvironment(), flags.Given(), process_settings);
    } catch (const std::exception& e) {
        std::cerr << "kiln: " << e.what() << std::endl;
        return 1;
    }

    log::Init(config.log_level);
    try {
        if (*serve) return Serve(process_settings);
        if (*worker) return RunWorkers(process_settings);
        if (*migrate) {
            auto db = OpenAndMigrate(config);
            std::cout << "migrations up to date" << std::endl;
            return 0;
        }
        if (*routes) return PrintRoutes(process_settings);
        if (*create_tenant) return CreateTenant(config, name, slug);
        if (*create_user) return CreateUser(config, email, password, name, tenant, role, platform_admin);
        if (*create_token) return CreateToken(config, email, tenant, token_name);
        if (*invitation_link) return InvitationLink(config, process_settings.identity, email, tenant);
        if (*verify_audit) return VerifyAudit(config, tenant);
        if (*enqueue_job) return EnqueueJob(config, tenant, kind, payload, dedupe_key, max_attempts);
        if (*rotate_key) return RotateMasterKey(config, new_key);
    } catch (const Error& e) {
        std::string detail = e.detail();
        for (const auto& fe : e.field_errors()) detail += "; " + fe.field + " " + fe.message;
        std::cerr << "kiln: " << detail << std::endl;
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "kiln: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}

}  // namespace kiln::app
