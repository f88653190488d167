#include "modules/integrations/providers/shopify/shopify_provider.hpp"

#include <regex>

#include "modules/integrations/config_schema.hpp"
#include "modules/integrations/providers/shopify/shopify_store.hpp"

namespace kiln::integrations {

namespace {

using namespace config_schema;

const std::string kShopDomainPattern = R"(^[a-z0-9][a-z0-9\-]*\.myshopify\.com$)";

TypeSpec ShopifySpec() {
    return Spec(
        "shopify", "commerce", "Shopify",
        {{"shop_domain",
          Endpoint(FromEnv(Text("The shop's myshopify.com domain.", kShopDomainPattern), "SHOPIFY_SHOP_DOMAIN"))},
         {"access_token", FromEnv(Secret("Admin API access token."), "SHOPIFY_ACCESS_TOKEN")},
         {"api_version",
          FromEnv(WithDefault(Text("Admin API version.", R"(^(\d{4}-(01|04|07|10)|unstable)$)"), "2025-01"),
                  "SHOPIFY_API_VERSION")},
         {"webhook_secret", FromEnv(Secret("App client secret that signs webhooks."), "SHOPIFY_WEBHOOK_SECRET")},
         {"previous_webhook_secret", Secret("The client secret being rotated out.")},
         {"currency", WithDefault(Text("The shop's currency (ISO 4217).", "^[A-Z]{3}$"), "USD")}},
        {"shop_domain", "access_token"});
}

}  // namespace

ShopifyProvider::ShopifyProvider() : Provider(ShopifySpec(), MakeAdapter<ShopifyStore>) {}

bool IsShopifyShopDomain(const std::string& domain) {
    static const std::regex pattern(kShopDomainPattern);
    return std::regex_match(domain, pattern);
}

}  // namespace kiln::integrations
