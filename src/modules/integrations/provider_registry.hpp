#pragma once

#include <memory>
#include <string>
#include <vector>

#include "modules/integrations/provider.hpp"

namespace kiln::integrations {

/// The providers Kiln knows, keyed by type. Immutable once built; the built-in ones come from one list
/// (provider_registry.cpp, BuiltInProviders), so adding a provider is its folder under providers/ and one line there.
class ProviderRegistry final {
  public:
    explicit ProviderRegistry(std::vector<std::unique_ptr<Provider>> providers);

    /// The provider of `type`, or nullptr.
    const Provider* Find(const std::string& type) const;
    /// The provider of `type`; ValidationError on `type` naming the known ones when Kiln does not know it.
    const Provider& Of(const std::string& type) const;
    /// In registration order: the order of GET /integrations/types and of the `type` enum.
    const std::vector<std::unique_ptr<Provider>>& All() const { return providers_; }

  private:
    std::vector<std::unique_ptr<Provider>> providers_;
};

/// Every provider built into Kiln, one line each.
std::vector<std::unique_ptr<Provider>> BuiltInProviders();

/// The registry of the built-in providers, built on first use (not at static initialisation) and never changed.
const ProviderRegistry& Providers();

}  // namespace kiln::integrations
