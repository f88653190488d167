#include "modules/integrations/provider_registry.hpp"

#include <stdexcept>

#include "core/error.hpp"
#include "modules/integrations/providers/custom/custom_provider.hpp"
#include "modules/integrations/providers/docusign/docusign_provider.hpp"
#include "modules/integrations/providers/razorpay/razorpay_provider.hpp"
#include "modules/integrations/providers/sendgrid/sendgrid_provider.hpp"
#include "modules/integrations/providers/ses/ses_provider.hpp"
#include "modules/integrations/providers/shopify/shopify_provider.hpp"
#include "modules/integrations/providers/stripe/stripe_provider.hpp"
#include "modules/integrations/providers/twilio/twilio_provider.hpp"

namespace kiln::integrations {

std::vector<std::unique_ptr<Provider>> BuiltInProviders() {
    std::vector<std::unique_ptr<Provider>> providers;
    providers.push_back(std::make_unique<StripeProvider>());
    providers.push_back(std::make_unique<RazorpayProvider>());
    providers.push_back(std::make_unique<SendGridProvider>());
    providers.push_back(std::make_unique<SesProvider>());
    providers.push_back(std::make_unique<TwilioProvider>());
    providers.push_back(std::make_unique<ShopifyProvider>());
    providers.push_back(std::make_unique<DocuSignProvider>());
    providers.push_back(std::make_unique<CustomHttpProvider>());
    return providers;
}

ProviderRegistry::ProviderRegistry(std::vector<std::unique_ptr<Provider>> providers)
    : providers_(std::move(providers)) {
    for (size_t i = 0; i < providers_.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (providers_[i]->type() == providers_[j]->type())
                throw std::logic_error("two providers registered as " + providers_[i]->type());
}

const Provider* ProviderRegistry::Find(const std::string& type) const {
    for (const auto& provider : providers_)
        if (provider->type() == type) return provider.get();
    return nullptr;
}

const Provider& ProviderRegistry::Of(const std::string& type) const {
    if (const Provider* provider = Find(type)) return *provider;
    std::string known;
    for (const auto& provider : providers_) known += (known.empty() ? "" : ", ") + provider->type();
    throw ValidationError("type", "is not an integration type; one of: " + known);
}

const ProviderRegistry& Providers() {
    static const ProviderRegistry registry(BuiltInProviders());
    return registry;
}

}  // namespace kiln::integrations
