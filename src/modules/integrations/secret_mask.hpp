#pragma once

#include <string>
#include <string_view>

namespace kiln::integrations {

/// How a stored secret is shown: its non-secret prefix (up to the last `_` or `.` within the first
/// eight characters, e.g. "sk_test_", "SG.") and its last four characters around an ellipsis
/// ("sk_test_…4242"). Short secrets show no characters at all.
std::string MaskSecret(std::string_view secret);

/// A value a client sends back as it was shown: it holds the ellipsis the mask uses.
bool LooksMasked(std::string_view value);

}  // namespace kiln::integrations
