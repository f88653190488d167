#include "db/database.hpp"

#include "db/postgres/postgres_database.hpp"
#include "db/sqlite/sqlite_database.hpp"

namespace kiln::db {

std::unique_ptr<Database> Database::Open(const std::string& url, size_t pool_size) {
    if (url.starts_with("postgres://") || url.starts_with("postgresql://")) return OpenPostgres(url, pool_size);
    constexpr std::string_view kSqlite = "sqlite://";
    if (url.starts_with(kSqlite)) return OpenSqlite(url.substr(kSqlite.size()), pool_size);
    throw std::invalid_argument("unsupported database URL (expected sqlite://PATH or postgres://…): " + url);
}

}  // namespace kiln::db
