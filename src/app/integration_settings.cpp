#include "app/integration_settings.hpp"

#include <set>
#include <vector>

#include "core/settings/setting_kinds.hpp"
#include "modules/integrations/provider_endpoints.hpp"
#include "modules/integrations/provider_registry.hpp"

namespace kiln::app {

namespace {

using settings::Duration;
using settings::Integer;

void DeclareResilience(settings::Registry& r, integrations::ResilienceSettings& s) {
    r.Add(Duration("KILN_PROVIDER_BACKOFF_BASE_MS", s.backoff_base, settings::kAnyCount,
                   "first retry delay of a provider call (doubles, jittered 50–100%, at most 8 s; `Retry-After` "
                   "wins)"));
    r.Add(Integer("KILN_PROVIDER_BREAKER_FAILURES", s.failure_threshold, {0, 1000000},
                  "failures in a row that open an integration's circuit"));
    r.Add(Duration("KILN_PROVIDER_BREAKER_OPEN_MS", s.open_for, settings::kAnyCount,
                   "how long an open circuit stays open"));
}

/// The platform-wide fallbacks: every variable some integration type names with `x-env`.
void DeclarePlatformCredentials(settings::Registry& r, std::map<std::string, std::string>& credentials) {
    std::set<std::string> declared;
    for (const auto& provider : integrations::Providers().All()) {
        const auto& spec = provider->spec();
        for (const auto& [field, property] : spec.schema["properties"].items()) {
            const auto variable = spec.EnvVariable(field);
            if (!variable || !declared.insert(*variable).second) continue;
            r.Add(settings::Custom(
                *variable, "(none)", "text",
                "platform-wide fallbacks, used only by tenants a platform admin opted in (`PUT "
                "/admin/tenants/{id}` `{\"use_platform_credentials\": true}`; off by default): such a tenant's "
                "integration that leaves the matching config field empty uses them, except that no platform "
                "secret is combined with an endpoint field (`x-endpoint`: shop domain, region, account) the tenant "
                "set (`GET /integrations/types` names the variable of each field as `x-env`; responses list such "
                "fields under `platform_defaults`, never their values)",
                [&credentials, name = *variable](std::string_view text) { credentials[name] = std::string(text); }));
        }
    }
}

/// KILN_<TYPE>_BASE_URL of each host a provider pins in code (Provider::OperatorEndpointKeys).
void DeclareEndpointOverrides(settings::Registry& r, std::map<std::string, std::string>& base_urls) {
    std::vector<std::string> keys;  // of provider_base_urls
    for (const auto& provider : integrations::Providers().All()) {
        const auto own = provider->OperatorEndpointKeys();
        keys.insert(keys.end(), own.begin(), own.end());
    }
    for (const auto& key : keys) {
        r.Add(settings::Custom(
            integrations::OverrideVariable(key), "(none)", "URL (http, https)",
            "operator override of a provider's pinned endpoint for every integration of the type (test servers, "
            "regional hosts, proxies; DocuSign: the REST base incl. `/restapi`, and the OAuth host). Unset: "
            "`api.stripe.com`, `api.razorpay.com`, `api.sendgrid.com`, `email.<region>.amazonaws.com`, "
            "`api.twilio.com`, `<shop>.myshopify.com`, `account[-d].docusign.com` + the account's `base_uri` on "
            "`*.docusign.net`/`*.docusign.com`. One integration: `PUT /admin/integrations/{id}/endpoint`",
            [&base_urls, type = key](std::string_view text) {
                base_urls[type] = settings::ParseUrl(text, {"http", "https"});
            }));
    }
}

void DeclareInRequestCalls(settings::Registry& r, Config& c) {
    r.Add(Integer("KILN_OUTBOUND_PER_TENANT", c.outbound_per_tenant, settings::kAtLeastOne,
                  "provider calls a request may wait on (connectivity tests, intents, refunds, test sends, "
                  "envelopes) at once, per tenant; more are refused at once with 429 and `Retry-After`"));
    r.Add(Integer("KILN_OUTBOUND_IN_REQUEST_MAX", c.outbound_in_request_max, settings::kAnyCount,
                  "such calls at once per process; more are refused at once with 503 and `Retry-After`. `0`: half "
                  "of `KILN_HANDLER_THREADS`"));
    r.Add(Duration("KILN_OUTBOUND_IN_REQUEST_TIMEOUT_SECONDS", c.outbound_in_request_timeout, {1, 5},
                   "timeout of such an in-request call, made once without retries (jobs keep the integration's "
                   "`timeout_seconds` and retries)"));
}

}  // namespace

void DeclareIntegrationSettings(settings::Registry& registry, const IntegrationSettingsTargets& targets) {
    DeclareResilience(registry, targets.resilience);
    DeclarePlatformCredentials(registry, targets.platform_credentials);
    DeclareEndpointOverrides(registry, targets.config.provider_base_urls);
    DeclareInRequestCalls(registry, targets.config);
}

}  // namespace kiln::app
