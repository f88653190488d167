#pragma once

#include "modules/integrations/provider.hpp"

namespace kiln::integrations {

/// A tenant's own HTTP API (CustomHttp), called by workflows under its allowed paths. Receives no webhooks.
class CustomHttpProvider final : public Provider {
  public:
    CustomHttpProvider();
};

}  // namespace kiln::integrations
