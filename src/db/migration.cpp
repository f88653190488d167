#include "db/migration.hpp"

#include <set>

#include "core/log.hpp"

namespace kiln::db {

const std::vector<Migration>& MigrationsFor(Dialect dialect) {
    return dialect == Dialect::kSqlite ? EmbeddedsqliteMigrations() : EmbeddedpostgresMigrations();
}

namespace {

constexpr std::string_view kRebuildsTables = "-- kiln: rebuilds tables";
constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)";

std::set<std::string> AppliedNames(Transaction& tx) {
    std::set<std::string> names;
    for (const auto& row : tx.Exec("SELECT name FROM schema_migrations")) names.insert(row.Get<std::string>(0));
    return names;
}

}  // namespace

std::vector<std::string> ApplyMigrations(Database& db) {
    {
        auto tx = db.Begin({Access::kReadWrite, Visibility::kSystem});
        tx.ExecScript(kCreateMigrationsTable);
        tx.Commit();
    }
    std::vector<std::string> applied;
    for (const auto& migration : MigrationsFor(db.dialect())) {
        // A migration that copies a table into a new one says so on its first line.
        const bool rebuilds = migration.sql.starts_with(kRebuildsTables);
        auto tx =
            db.Begin({.access = Access::kReadWrite, .visibility = Visibility::kSystem, .rebuilds_tables = rebuilds});
        if (db.dialect() == Dialect::kPostgres) {
            // Two processes starting at once must not both apply the same migration.
            tx.Exec("SELECT pg_advisory_xact_lock(7367020)");
        }
        if (AppliedNames(tx).contains(migration.name)) continue;
        tx.ExecScript(migration.sql);
        tx.Exec("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)", {migration.name, Now()});
        tx.Commit();
        log::Info("migration applied", {{"migration", migration.name}});
        applied.push_back(migration.name);
    }
    return applied;
}

std::vector<std::string> PendingMigrations(Database& db) {
    auto tx = db.Begin({Access::kReadOnly, Visibility::kSystem});
    // Asked rather than caught: a lost connection must surface as the outage it is, not as
    // "every migration is pending".
    const bool has_table =
        db.dialect() == Dialect::kSqlite
            ? !tx.Exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").empty()
            : !tx.Exec("SELECT to_regclass('schema_migrations') AS t").front().IsNull("t");
    const std::set<std::string> names = has_table ? AppliedNames(tx) : std::set<std::string>{};
    std::vector<std::string> pending;
    for (const auto& migration : MigrationsFor(db.dialect()))
        if (!names.contains(migration.name)) pending.push_back(migration.name);
    return pending;
}

}  // namespace kiln::db
