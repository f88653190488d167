#include "db/postgres/postgres_database.hpp"

#include <pqxx/pqxx>

#include <chrono>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/log.hpp"
#include "db/connection_pool.hpp"

namespace kiln::db {

namespace {

constexpr std::chrono::milliseconds kAcquireTimeout{10000};

/// One server connection and the statements prepared on it.
struct PgConnection {
    explicit PgConnection(const std::string& url) : connection(url) {
        pqxx::nontransaction setup(connection);
        setup.exec("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO'; SET application_name = 'kiln'");
    }
    pqxx::connection connection;
    std::unordered_map<std::string, std::string> statement_names;  // SQL → prepared name
    bool broken = false;

    const std::string& PreparedName(std::string_view sql) {
        const std::string key(sql);
        if (auto it = statement_names.find(key); it != statement_names.end()) return it->second;
        std::string name = "kiln_" + std::to_string(statement_names.size());
        connection.prepare(name, key);
        return statement_names.emplace(key, std::move(name)).first->second;
    }
};

/// Maps libpqxx exceptions onto Kiln's error family, once for every query.
template <typename Fn>
auto Translate(PgConnection& connection, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const pqxx::unique_violation& e) {
        throw UniqueViolation(e.what());
    } catch (const pqxx::foreign_key_violation&) {
        throw Conflict(kStillReferenced);
    } catch (const pqxx::data_exception& e) {
        // Text that does not parse as the column's type (a malformed uuid, an impossible date):
        // the client's mistake, never a server error.
        throw BadRequest("A value in the request is not valid for its field.");
    } catch (const pqxx::broken_connection& e) {
        connection.broken = true;
        throw Unavailable("The database connection was lost.");
    } catch (const pqxx::in_doubt_error& e) {
        connection.broken = true;
        throw Unavailable("The database connection was lost during commit.");
    }
}

class PgDatabase;

class PgTransaction final : public TransactionBackend {
  public:
    PgTransaction(PgDatabase& owner, std::unique_ptr<PgConnection> connection, TransactionOptions options);
    ~PgTransaction() override;

    Result Exec(std::string_view sql, const Params& params) override {
        return Translate(*connection_, [&] {
            std::vector<std::string> texts;
            std::vector<const char*> values;
            texts.reserve(params.size());
            values.reserve(params.size());
            for (const auto& p : params) texts.push_back(p.ToText());
            for (size_t i = 0; i < params.size(); ++i)
                values.push_back(params[i].is_null() ? nullptr : texts[i].c_str());
            const std::string& name = connection_->PreparedName(sql);
            return Convert(work_->exec_prepared(name, pqxx::prepare::make_dynamic_params(values)));
        });
    }
    void ExecScript(std::string_view sql) override {
        Translate(*connection_, [&] { work_->exec(std::string(sql)); });
    }
    void Commit() override {
        Translate(*connection_, [&] { work_->commit(); });
        open_ = false;
    }
    void Rollback() noexcept override {
        if (!open_) return;
        open_ = false;
        try {
            work_->abort();
        } catch (const std::exception&) {
            connection_->broken = true;
        }
    }
    // Scoping a system transaction to a tenant also ends its bypass: from here on the policies apply.
    void SetTenant(const TenantId& tenant) override {
        Exec("SELECT set_config('kiln.tenant_id', $1, true), set_config('kiln.bypass_rls', 'off', true)", {tenant});
    }

  private:
    static Result Convert(const pqxx::result& result) {
        auto names = std::make_shared<std::vector<std::string>>();
        const auto columns = static_cast<size_t>(result.columns());
        for (size_t c = 0; c < columns; ++c)
            names->emplace_back(result.column_name(static_cast<pqxx::row::size_type>(c)));
        std::vector<Row> rows;
        rows.reserve(result.size());
        for (const auto& r : result) {
            std::vector<std::optional<std::string>> values(columns);
            for (size_t c = 0; c < columns; ++c) {
                const auto field = r[static_cast<pqxx::row::size_type>(c)];
                if (!field.is_null()) values[c].emplace(field.c_str(), field.size());
            }
            rows.emplace_back(names, std::move(values));
        }
        return {std::move(rows), static_cast<int64_t>(result.affected_rows())};
    }

    PgDatabase& owner_;
    std::unique_ptr<PgConnection> connection_;
    std::unique_ptr<pqxx::work> work_;
    bool open_ = true;
};

class PgDatabase final : public Database {
  public:
    PgDatabase(const std::string& url, size_t pool_size)
        : pool_(
              pool_size, [url] { return Open(url); }, kAcquireTimeout) {}

    Dialect dialect() const override { return Dialect::kPostgres; }

    Transaction Begin(TransactionOptions options) override {
        auto backend = std::make_unique<PgTransaction>(*this, pool_.Acquire(), options);
        return {std::move(backend), Dialect::kPostgres};
    }

    void Release(std::unique_ptr<PgConnection> connection) {
        const bool broken = connection->broken;
        pool_.Release(std::move(connection), broken);
    }

  private:
    static std::unique_ptr<PgConnection> Open(const std::string& url) {
        try {
            return std::make_unique<PgConnection>(url);
        } catch (const std::exception& e) {
            log::Error("cannot connect to PostgreSQL", {{"error", e.what()}});
            throw Unavailable("The database is unreachable.");
        }
    }

    ConnectionPool<PgConnection> pool_;
};

PgTransaction::PgTransaction(PgDatabase& owner, std::unique_ptr<PgConnection> connection, TransactionOptions options)
    : owner_(owner), connection_(std::move(connection)) {
    try {
        Translate(*connection_, [&] {
            work_ = std::make_unique<pqxx::work>(connection_->connection);
            // One round trip for the transaction's settings.
            std::string setup;
            if (options.access == Access::kReadOnly) setup += "SET TRANSACTION READ ONLY;";
            if (options.visibility == Visibility::kSystem) setup += "SELECT set_config('kiln.bypass_rls', 'on', true);";
            if (!setup.empty()) work_->exec(setup);
        });
    } catch (...) {
        work_.reset();
        owner_.Release(std::move(connection_));
        throw;
    }
}

PgTransaction::~PgTransaction() {
    Rollback();
    work_.reset();
    owner_.Release(std::move(connection_));
}

}  // namespace

std::unique_ptr<Database> OpenPostgres(const std::string& url, size_t pool_size) {
    return std::make_unique<PgDatabase>(url, pool_size == 0 ? 1 : pool_size);
}

}  // namespace kiln::db
