#pragma once

#include <string>
#include <vector>

#include "db/database.hpp"

namespace kiln::db {

struct Migration {
    std::string name;  // file name without extension, e.g. "0001_platform"
    std::string sql;
};

const std::vector<Migration>& EmbeddedsqliteMigrations();
const std::vector<Migration>& EmbeddedpostgresMigrations();

const std::vector<Migration>& MigrationsFor(Dialect dialect);

/// Applies, in order and each in its own transaction, the migrations not yet recorded in
/// schema_migrations. Forward-only. Returns the names it applied.
std::vector<std::string> ApplyMigrations(Database& db);

/// Names of embedded migrations that the database has not recorded yet.
std::vector<std::string> PendingMigrations(Database& db);

}  // namespace kiln::db
