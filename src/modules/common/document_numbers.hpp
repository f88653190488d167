#pragma once

#include <cstdint>
#include <string>

#include "db/database.hpp"

namespace kiln::common {

/// The next number of a kind of document in the tenant, shown with the kind as its prefix:
/// "SO-000001", "SO-000002", … Each tenant counts from 1 on its own. Runs in the caller's
/// transaction, so a rolled-back document gives its number back.
std::string NextDocumentNumber(const db::TenantScope& scope, const std::string& kind);

/// "SO", 7 → "SO-000007": six digits at least, so numbers sort as text up to a million.
std::string FormatDocumentNumber(const std::string& kind, int64_t number);

}  // namespace kiln::common
