#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "db/row.hpp"
#include "db/value.hpp"

namespace kiln::db {

enum class Dialect { kSqlite, kPostgres };

/// What a transaction may see. A tenant transaction (see TenantScope) sees one tenant's rows; a
/// system transaction is for the few platform paths (login, admin CLI, migrations) that must
/// look across tenants, and on PostgreSQL it is the only way past row-level security.
enum class Access { kReadOnly, kReadWrite };
enum class Visibility { kTenant, kSystem };

struct TransactionOptions {
    Access access = Access::kReadWrite;
    Visibility visibility = Visibility::kTenant;
    /// For migrations that rebuild a table (SQLite changes a CHECK constraint only by copying the table into a new
    /// one): SQLite runs the transaction with foreign keys off, as its documentation's procedure asks, and checks
    /// every foreign key before it commits (a violation is an error, nothing is committed). PostgreSQL ignores it.
    bool rebuilds_tables = false;
};

/// What a foreign key violation tells the client on either backend: deleting a row that others
/// still point to (a product on an order) is a conflict with existing data, not a server error.
inline constexpr const char* kStillReferenced = "The record is still referenced by other records.";

/// A unique constraint was violated. The repository that knows what the constraint means may
/// catch it to say so; otherwise it reaches the client as a 409.
class UniqueViolation final : public Error {
  public:
    explicit UniqueViolation(std::string constraint)
        : Error(ErrorCode::kConflict, "A record with the same unique value already exists."),
          constraint_(std::move(constraint)) {}
    const std::string& constraint() const { return constraint_; }

  private:
    std::string constraint_;
};

/// One backend connection inside a transaction. Implemented per backend.
class TransactionBackend {
  public:
    virtual ~TransactionBackend() = default;
    /// SQL uses $1, $2, ... placeholders on every backend.
    virtual Result Exec(std::string_view sql, const Params& params) = 0;
    /// Several statements, no parameters, not prepared: for migrations.
    virtual void ExecScript(std::string_view sql) = 0;
    virtual void Commit() = 0;
    /// Must not throw: called from destructors.
    virtual void Rollback() noexcept = 0;
    virtual void SetTenant(const TenantId& tenant) = 0;
};

/// RAII transaction: rolled back on destruction unless Commit() was called. Move-only.
/// Every statement is timed for the DB metrics; inside a traced request or job the transaction
/// is one child span (db.system, db.operation, statement count).
class Transaction {
  public:
    Transaction(std::unique_ptr<TransactionBackend> backend, Dialect dialect);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    Result Exec(std::string_view sql, const Params& params = {});
    void ExecScript(std::string_view sql) { backend_->ExecScript(sql); }
    void Commit();
    Dialect dialect() const { return dialect_; }

  private:
    friend class TenantScope;
    struct Trace;
    std::unique_ptr<TransactionBackend> backend_;
    Dialect dialect_;
    bool committed_ = false;
    std::unique_ptr<Trace> trace_;  // null when the thread has no trace context
};

/// A transaction bound to one tenant. Repositories of tenant-owned data take this, so a query
/// cannot run without a tenant; on PostgreSQL it also sets `kiln.tenant_id` for row-level security.
class TenantScope {
  public:
    TenantScope(Transaction& tx, TenantId tenant) : tx_(tx), tenant_(std::move(tenant)) {
        tx_.backend_->SetTenant(tenant_);
    }
    Transaction& tx() const { return tx_; }
    const TenantId& tenant() const { return tenant_; }
    Result Exec(std::string_view sql, const Params& params = {}) const { return tx_.Exec(sql, params); }

  private:
    Transaction& tx_;
    TenantId tenant_;
};

/// The one database interface; SQLite and PostgreSQL implement it.
class Database {
  public:
    virtual ~Database() = default;
    virtual Dialect dialect() const = 0;
    virtual Transaction Begin(TransactionOptions options = {}) = 0;

    /// "sqlite:///path/file.db", "sqlite://relative/file.db", or "postgres://…" / "postgresql://…".
    static std::unique_ptr<Database> Open(const std::string& url, size_t pool_size);
};

}  // namespace kiln::db
