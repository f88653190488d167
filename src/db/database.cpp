#include "db/database.hpp"

#include <chrono>

#include "observability/metrics.hpp"
#include "observability/span.hpp"

#include "db/postgres/postgres_database.hpp"
#include "db/sqlite/sqlite_database.hpp"

namespace kiln::db {

/// The span of a traced transaction and what it has seen so far.
struct Transaction::Trace {
    observability::Span span;
    int64_t statements = 0;
    observability::DbOperation main_operation = observability::DbOperation::kSelect;
};

Transaction::Transaction(std::unique_ptr<TransactionBackend> backend, Dialect dialect)
    : backend_(std::move(backend)), dialect_(dialect) {
    auto span = observability::Span::StartChild("db.transaction", observability::SpanKind::kClient);
    if (span.recording()) {
        span.SetAttribute("db.system", dialect_ == Dialect::kPostgres ? "postgresql" : "sqlite");
        trace_ = std::make_unique<Trace>(Trace{std::move(span)});
    }
}

Transaction::Transaction(Transaction&& other) noexcept = default;

Transaction::~Transaction() {
    if (backend_ && !committed_) backend_->Rollback();
    if (trace_) {
        if (!committed_) trace_->span.SetAttribute("db.transaction.outcome", "rollback");
        trace_->span.SetAttribute("db.operation", observability::DbOperationName(trace_->main_operation));
        trace_->span.SetAttribute("db.statement_count", trace_->statements);
    }
}

Result Transaction::Exec(std::string_view sql, const Params& params) {
    const auto started = std::chrono::steady_clock::now();
    const auto operation = observability::ClassifySql(sql);
    Result result = backend_->Exec(sql, params);
    observability::Metrics::Instance().DbQuery(
        dialect_ == Dialect::kPostgres, operation,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    if (trace_) {
        ++trace_->statements;
        // A transaction is named by what it changes: the first write, else SELECT.
        if (trace_->main_operation == observability::DbOperation::kSelect &&
            operation != observability::DbOperation::kOther)
            trace_->main_operation = operation;
    }
    return result;
}

void Transaction::Commit() {
    backend_->Commit();
    committed_ = true;
    if (trace_) trace_->span.SetAttribute("db.transaction.outcome", "commit");
}

std::unique_ptr<Database> Database::Open(const std::string& url, size_t pool_size) {
    if (url.starts_with("postgres://") || url.starts_with("postgresql://")) return OpenPostgres(url, pool_size);
    constexpr std::string_view kSqlite = "sqlite://";
    if (url.starts_with(kSqlite)) return OpenSqlite(url.substr(kSqlite.size()), pool_size);
    throw std::invalid_argument("unsupported database URL (expected sqlite://PATH or postgres://…): " + url);
}

}  // namespace kiln::db
