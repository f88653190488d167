#pragma once

#include <memory>
#include <string>

#include "db/database.hpp"

namespace kiln::db {

/// PostgreSQL through libpqxx, with a bounded connection pool and per-connection prepared
/// statements. Every transaction sets `kiln.tenant_id` (tenant scope) or `kiln.bypass_rls`
/// (system scope) so that row-level security policies apply.
std::unique_ptr<Database> OpenPostgres(const std::string& url, size_t pool_size);

}  // namespace kiln::db
