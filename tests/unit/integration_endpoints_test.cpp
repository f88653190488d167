// Issue 12, items 1 and 8, below the HTTP layer: which platform values an integration may use, which
// hosts DocuSign may name, how operator endpoints decide the trust class of a URL, and the bounds of
// in-request provider calls.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "modules/integrations/integration_types.hpp"
#include "modules/integrations/outbound_gate.hpp"
#include "modules/integrations/provider_config.hpp"
#include "modules/integrations/provider_endpoints.hpp"
#include "modules/integrations/provider_registry.hpp"
#include "modules/integrations/providers/docusign/docusign_envelopes.hpp"
#include "modules/integrations/providers/ses/ses_provider.hpp"
#include "modules/integrations/providers/shopify/shopify_provider.hpp"

namespace kiln::integrations {
namespace {

using nlohmann::json;

PlatformDefaults Platform(const std::map<std::string, std::string>& values) {
    return PlatformDefaults([values](const std::string& name) -> std::optional<std::string> {
        const auto it = values.find(name);
        if (it == values.end()) return std::nullopt;
        return it->second;
    });
}

TEST(PlatformCredentials, NothingIsFilledWithoutTheTenantsOptIn) {
    const auto defaults = Platform({{"STRIPE_API_KEY", "sk_test_PlatformKey000001"}});
    const auto& stripe = TypeOf("stripe");
    EXPECT_FALSE(EffectiveConfig(stripe, json::object(), defaults, false).contains("api_key"));
    EXPECT_TRUE(PlatformFilledFields(stripe, json::object(), defaults, false).empty());
    EXPECT_EQ(EffectiveConfig(stripe, json::object(), defaults, true)["api_key"], "sk_test_PlatformKey000001");
    EXPECT_EQ(PlatformFilledFields(stripe, json::object(), defaults, true), std::vector<std::string>{"api_key"});
    // The schema's own defaults apply either way.
    EXPECT_EQ(EffectiveConfig(stripe, json::object(), defaults, false)["api_version"], "2024-06-20");
}

TEST(PlatformCredentials, NoPlatformSecretGoesWithAnEndpointTheTenantChose) {
    const auto defaults = Platform({{"SHOPIFY_SHOP_DOMAIN", "platform.myshopify.com"},
                                    {"SHOPIFY_ACCESS_TOKEN", "shpat_platform"},
                                    {"SHOPIFY_API_VERSION", "2025-01"}});
    const auto& shopify = TypeOf("shopify");
    const json all_platform = EffectiveConfig(shopify, json::object(), defaults, true);
    EXPECT_EQ(all_platform["shop_domain"], "platform.myshopify.com");
    EXPECT_EQ(all_platform["access_token"], "shpat_platform");

    const json own_shop = {{"shop_domain", "attacker.myshopify.com"}};
    const json effective = EffectiveConfig(shopify, own_shop, defaults, true);
    EXPECT_EQ(effective["shop_domain"], "attacker.myshopify.com");
    EXPECT_FALSE(effective.contains("access_token")) << effective;
    EXPECT_EQ(effective["api_version"], "2025-01");  // not a secret: still the platform's
    EXPECT_FALSE(MayUsePlatformValue(shopify, own_shop, "access_token", true));
    EXPECT_TRUE(MayUsePlatformValue(shopify, own_shop, "api_version", true));
}

TEST(IntegrationTypes, OnlyCustomIntegrationsNameTheirHost) {
    for (const auto& provider : Providers().All()) {
        const TypeSpec& spec = provider->spec();
        SCOPED_TRACE(spec.type);
        EXPECT_EQ(spec.schema["properties"].contains("base_url"), spec.type == "custom");
        EXPECT_FALSE(spec.schema["properties"].contains("oauth_base_url"));
    }
    EXPECT_TRUE(TypeOf("custom").IsEndpoint("base_url"));
    EXPECT_TRUE(TypeOf("shopify").IsEndpoint("shop_domain"));
    EXPECT_TRUE(TypeOf("ses").IsEndpoint("region"));
    EXPECT_FALSE(TypeOf("stripe").IsEndpoint("api_key"));
    EXPECT_TRUE(IsShopifyShopDomain("kiln-test.myshopify.com"));
    for (const char* domain : {"127.0.0.1", "evil.com", "shop.myshopify.com.evil.com", "a.myshopify.com/x",
                               "a.myshopify.com:8443", "A.myshopify.com", ".myshopify.com"})
        EXPECT_FALSE(IsShopifyShopDomain(domain)) << domain;
    EXPECT_TRUE(IsAwsRegion("eu-west-1"));
    for (const char* region : {"eu-west-1.evil.com/", "127.0.0.1", "eu-west-1#", ""})
        EXPECT_FALSE(IsAwsRegion(region)) << region;
}

TEST(DocuSignBaseUri, OnlyDocuSignsOwnHostsOverHttps) {
    for (const char* uri : {"https://demo.docusign.net", "https://na2.docusign.net/", "https://eu.docusign.net:443",
                            "https://www.docusign.com", "https://NA3.DocuSign.net"})
        EXPECT_TRUE(IsDocuSignBaseUri(uri)) << uri;
    for (const char* uri :
         {"http://demo.docusign.net", "https://docusign.net.evil.com", "https://evil.com/docusign.net",
          "https://demo.docusign.net.evil.com", "https://user@demo.docusign.net", "https://demo.docusign.net:8443",
          "https://demo.docusign.net/restapi", "https://127.0.0.1", "https://.docusign.net", "https://a..docusign.net",
          "https://evildocusign.net", ""})
        EXPECT_FALSE(IsDocuSignBaseUri(uri)) << uri;
}

TEST(OperatorEndpoints, TheIntegrationsOverrideWinsOverTheEnvironmentFieldByField) {
    const OperatorEndpoints endpoints(
        {{"docusign", "http://10.0.0.5/restapi/"}, {"docusign.oauth", "http://10.0.0.5"}});
    const auto platform = endpoints.For("docusign", nullptr);
    EXPECT_EQ(platform.base_url, "http://10.0.0.5/restapi");
    EXPECT_EQ(platform.oauth_base_url, "http://10.0.0.5");
    const auto own = endpoints.For("docusign", {{"base_url", "http://127.0.0.1:9/restapi"}});
    EXPECT_EQ(own.base_url, "http://127.0.0.1:9/restapi");
    EXPECT_EQ(own.oauth_base_url, "http://10.0.0.5");
    EXPECT_TRUE(endpoints.For("stripe", nullptr).base_url.empty());
    const std::map<std::string, std::string> not_a_url = {{"stripe", "ftp://x"}};
    EXPECT_THROW(OperatorEndpoints{not_a_url}, std::invalid_argument);
    EXPECT_TRUE(EndpointUrlProblem("https://user:pw@host"));
    EXPECT_TRUE(EndpointUrlProblem("https://host/?q=1"));
    EXPECT_FALSE(EndpointUrlProblem("http://127.0.0.1:8080/prefix"));
}

TEST(OperatorEndpoints, OnlyUrlsUnderAnOperatorEndpointAreOperatorTrusted) {
    const ProviderConfig config(IntegrationId("00000000-0000-7000-8000-000000000001"), "stripe", "test", json::object(),
                                {}, {.base_url = "http://127.0.0.1:5000", .oauth_base_url = ""});
    EXPECT_EQ(config.BaseUrl("https://api.stripe.com"), "http://127.0.0.1:5000");
    EXPECT_EQ(config.TrustOf("http://127.0.0.1:5000/v1/balance"), egress::Trust::kOperator);
    EXPECT_EQ(config.TrustOf("http://127.0.0.1:5000"), egress::Trust::kOperator);
    EXPECT_EQ(config.TrustOf("http://127.0.0.1:50001/v1/balance"), egress::Trust::kTenant);
    EXPECT_EQ(config.TrustOf("https://api.stripe.com/v1/balance"), egress::Trust::kTenant);
    const ProviderConfig pinned(IntegrationId("00000000-0000-7000-8000-000000000002"), "stripe", "test", json::object(),
                                {});
    EXPECT_EQ(pinned.BaseUrl("https://api.stripe.com/"), "https://api.stripe.com");
    EXPECT_EQ(pinned.TrustOf("https://api.stripe.com/v1/balance"), egress::Trust::kTenant);
}

TEST(OutboundGate, BoundsCallsPerTenantAndInTotalAndFreesSlotsOnRelease) {
    OutboundGate gate(2, 3);
    const TenantId a("00000000-0000-7000-8000-00000000000a");
    const TenantId b("00000000-0000-7000-8000-00000000000b");
    const auto code_of = [&](const TenantId& tenant) {
        try {
            (void)gate.Acquire(tenant);
            return std::optional<ErrorCode>();
        } catch (const Error& e) {
            EXPECT_TRUE(e.retry_after_seconds().has_value());
            return std::optional<ErrorCode>(e.code());
        }
    };
    {
        auto first = gate.Acquire(a);
        auto second = gate.Acquire(a);
        EXPECT_EQ(code_of(a), ErrorCode::kTooManyRequests);
        auto third = gate.Acquire(b);
        EXPECT_EQ(code_of(b), ErrorCode::kUnavailable);  // the process's bound
    }
    auto again = gate.Acquire(a);  // every slot was released
    auto more = gate.Acquire(a);
    auto other = gate.Acquire(b);
    EXPECT_EQ(code_of(b), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace kiln::integrations
