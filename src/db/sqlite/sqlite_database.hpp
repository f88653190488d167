#pragma once

#include <memory>
#include <string>

#include "db/database.hpp"

namespace kiln::db {

/// Embedded SQLite in WAL mode: a small pool of connections for concurrent readers, and one
/// writer at a time (serialised in-process, so writers queue instead of spinning on SQLITE_BUSY).
std::unique_ptr<Database> OpenSqlite(const std::string& path, size_t pool_size);

}  // namespace kiln::db
