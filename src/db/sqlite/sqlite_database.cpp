#include "db/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "db/connection_pool.hpp"

namespace kiln::db {

namespace {

/// PostgreSQL-style "$1" placeholders become SQLite's numbered "?1"; quoted text is left alone.
std::string TranslatePlaceholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size());
    char quote = 0;
    for (size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (quote != 0) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            out.push_back('?');
            continue;
        }
        out.push_back(c);
    }
    return out;
}

[[noreturn]] void ThrowSqlite(sqlite3* db, int rc, std::string_view context) {
    const int extended = sqlite3_extended_errcode(db);
    std::string message = sqlite3_errmsg(db);
    if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
        throw UniqueViolation(message);
    }
    if (extended == SQLITE_CONSTRAINT_FOREIGNKEY) throw Conflict(kStillReferenced);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) throw Unavailable("The database is busy; try again.");
    throw std::runtime_error("sqlite: " + std::string(context) + ": " + message);
}

class SqliteConnection {
  public:
    explicit SqliteConnection(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            nullptr) != SQLITE_OK) {
            const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw std::runtime_error("cannot open SQLite database " + path + ": " + message);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, 5000);
        Script("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    }
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;
    ~SqliteConnection() {
        for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
        sqlite3_close(db_);
    }

    void Script(std::string_view sql) {
        char* error = nullptr;
        const std::string text(sql);
        const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
        if (rc != SQLITE_OK) {
            sqlite3_free(error);
            ThrowSqlite(db_, rc, "script");
        }
    }

    Result Exec(std::string_view sql, const Params& params) {
        sqlite3_stmt* stmt = Prepare(sql);
        // Reset on every exit, so the cached statement is ready for its next use.
        struct Resetter {
            sqlite3_stmt* stmt;
            ~Resetter() {
                sqlite3_reset(stmt);
                sqlite3_clear_bindings(stmt);
            }
        } resetter{stmt};
        for (size_t i = 0; i < params.size(); ++i) Bind(stmt, static_cast<int>(i + 1), params[i]);

        const int columns = sqlite3_column_count(stmt);
        auto names = std::make_shared<std::vector<std::string>>();
        for (int c = 0; c < columns; ++c) names->emplace_back(sqlite3_column_name(stmt, c));
        std::vector<Row> rows;
        while (true) {
            const int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) ThrowSqlite(db_, rc, "step");
            std::vector<std::optional<std::string>> values(columns);
            for (int c = 0; c < columns; ++c) {
                if (sqlite3_column_type(stmt, c) == SQLITE_NULL) continue;
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                values[c].emplace(text, static_cast<size_t>(sqlite3_column_bytes(stmt, c)));
            }
            rows.emplace_back(names, std::move(values));
        }
        return {std::move(rows), sqlite3_changes(db_)};
    }

  private:
    sqlite3_stmt* Prepare(std::string_view sql) {
        const std::string key(sql);
        if (auto it = statements_.find(key); it != statements_.end()) return it->second;
        const std::string translated = TranslatePlaceholders(sql);
        sqlite3_stmt* stmt = nullptr;
        const int rc = sqlite3_prepare_v3(db_, translated.c_str(), static_cast<int>(translated.size()),
                                          SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK) ThrowSqlite(db_, rc, "prepare");
        statements_.emplace(key, stmt);
        return stmt;
    }

    void Bind(sqlite3_stmt* stmt, int index, const Param& param) {
        int rc = SQLITE_OK;
        if (param.is_null()) {
            rc = sqlite3_bind_null(stmt, index);
        } else if (const auto* i = std::get_if<int64_t>(&param.value())) {
            rc = sqlite3_bind_int64(stmt, index, *i);
        } else {
            const auto& s = std::get<std::string>(param.value());
            rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
        }
        if (rc != SQLITE_OK) ThrowSqlite(db_, rc, "bind");
    }

    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

class SqliteDatabase;

class SqliteTransaction final : public TransactionBackend {
  public:
    SqliteTransaction(SqliteDatabase& owner, std::unique_ptr<SqliteConnection> connection,
                      std::unique_lock<std::mutex> writer_lock, bool rebuilds_tables);
    ~SqliteTransaction() override;

    Result Exec(std::string_view sql, const Params& params) override { return connection_->Exec(sql, params); }
    void ExecScript(std::string_view sql) override { connection_->Script(sql); }
    void Commit() override {
        if (rebuilds_tables_ && !connection_->Exec("PRAGMA foreign_key_check", {}).empty())
            throw std::runtime_error("a table rebuild left rows whose foreign keys point nowhere");
        connection_->Exec("COMMIT", {});
        open_ = false;
        RestoreForeignKeys();
    }
    void Rollback() noexcept override {
        if (!open_) return;
        open_ = false;
        try {
            connection_->Exec("ROLLBACK", {});
        } catch (const std::exception&) {
            // SQLite already rolled back (e.g. after SQLITE_FULL); nothing left to undo.
        }
        RestoreForeignKeys();
    }
    // SQLite has no row-level security; tenant filtering is in every repository query.
    void SetTenant(const TenantId& /*tenant*/) override {}

  private:
    /// Outside the transaction (a no-op inside one), before the connection goes back to the pool.
    void RestoreForeignKeys() noexcept {
        if (!rebuilds_tables_) return;
        try {
            connection_->Script("PRAGMA foreign_keys=ON;");
        } catch (const std::exception&) {
            // Cannot happen outside a transaction; the connection would then enforce nothing, so drop it.
            connection_.reset();
        }
    }

    SqliteDatabase& owner_;
    std::unique_ptr<SqliteConnection> connection_;
    std::unique_lock<std::mutex> writer_lock_;
    bool rebuilds_tables_ = false;
    bool open_ = true;
};

class SqliteDatabase final : public Database {
  public:
    SqliteDatabase(const std::string& path, size_t pool_size)
        : pool_(
              pool_size, [path] { return std::make_unique<SqliteConnection>(path); }, kAcquireTimeout) {}

    Dialect dialect() const override { return Dialect::kSqlite; }

    Transaction Begin(TransactionOptions options) override {
        std::unique_lock<std::mutex> writer_lock;
        if (options.access == Access::kReadWrite) writer_lock = std::unique_lock(writer_mutex_);
        auto connection = pool_.Acquire();
        try {
            if (options.rebuilds_tables) connection->Script("PRAGMA foreign_keys=OFF;");
            // Prepared once per connection, like every statement: these run for every request.
            connection->Exec(options.access == Access::kReadWrite ? "BEGIN IMMEDIATE" : "BEGIN", {});
        } catch (...) {
            Release(std::move(connection));
            throw;
        }
        return {std::make_unique<SqliteTransaction>(*this, std::move(connection), std::move(writer_lock),
                                                    options.rebuilds_tables),
                Dialect::kSqlite};
    }

    void Release(std::unique_ptr<SqliteConnection> connection) { pool_.Release(std::move(connection), false); }

  private:
    static constexpr std::chrono::seconds kAcquireTimeout{10};
    std::mutex writer_mutex_;
    ConnectionPool<SqliteConnection> pool_;
};

SqliteTransaction::SqliteTransaction(SqliteDatabase& owner, std::unique_ptr<SqliteConnection> connection,
                                     std::unique_lock<std::mutex> writer_lock, bool rebuilds_tables)
    : owner_(owner),
      connection_(std::move(connection)),
      writer_lock_(std::move(writer_lock)),
      rebuilds_tables_(rebuilds_tables) {}

SqliteTransaction::~SqliteTransaction() {
    Rollback();
    if (connection_) owner_.Release(std::move(connection_));
}

}  // namespace

std::unique_ptr<Database> OpenSqlite(const std::string& path, size_t pool_size) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    auto db = std::make_unique<SqliteDatabase>(path, pool_size == 0 ? 1 : pool_size);
    db->Begin({Access::kReadOnly, Visibility::kSystem});  // open once now, so a bad path fails at start
    return db;
}

}  // namespace kiln::db
