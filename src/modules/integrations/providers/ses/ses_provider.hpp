#pragma once

#include <string>

#include "modules/integrations/provider.hpp"

namespace kiln::integrations {

/// Amazon SES: email through SES v2 SendEmail (SesEmail), signed with AWS Signature V4. Receives no webhooks.
class SesProvider final : public Provider {
  public:
    SesProvider();
};

/// An AWS region name (`eu-west-1`), which becomes part of the SES host.
bool IsAwsRegion(const std::string& region);

}  // namespace kiln::integrations
