#pragma once

// Reads and writes the server's database directly, as a database reader (or a test playing one)
// would: the SQLite file in the data directory, or the test's PostgreSQL database past row-level
// security. Every value comes back as text ("" for NULL).

#include <sqlite3.h>

#include <memory>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <vector>

#include "kiln_process.hpp"

namespace kiln::testing {

using StoredRow = std::vector<std::string>;

/// Runs one statement with no parameters against `server`'s database; returns its rows.
inline std::vector<StoredRow> QueryStored(const KilnProcess& server, const std::string& sql) {
    std::vector<StoredRow> rows;
    if (server.uses_postgres()) {
        pqxx::connection connection(server.database_url());
        pqxx::work tx(connection);
        tx.exec("SET kiln.bypass_rls = 'on'");  // the tables force row-level security on their owner too
        for (const auto& row : tx.exec(sql)) {
            StoredRow out;
            for (const auto& field : row) out.push_back(field.is_null() ? "" : field.c_str());
            rows.push_back(std::move(out));
        }
        tx.commit();
        return rows;
    }
    sqlite3* raw = nullptr;
    const std::string path = server.data_dir() + "/kiln.db";
    if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(raw);
        throw std::runtime_error("cannot open " + path);
    }
    const std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, sqlite3_close);
    sqlite3_busy_timeout(db.get(), 5000);  // the server may be writing
    sqlite3_stmt* raw_statement = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw_statement, nullptr) != SQLITE_OK)
        throw std::runtime_error(std::string("cannot prepare: ") + sqlite3_errmsg(db.get()) + ": " + sql);
    const std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statement(raw_statement, sqlite3_finalize);
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
        StoredRow out;
        for (int i = 0; i < sqlite3_column_count(statement.get()); ++i) {
            const auto* text = sqlite3_column_text(statement.get(), i);
            out.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
        }
        rows.push_back(std::move(out));
    }
    if (rc != SQLITE_DONE) throw std::runtime_error(std::string("query failed: ") + sqlite3_errmsg(db.get()));
    return rows;
}

/// Every value of every row of `table`, one row a line: what a database reader of that table sees.
inline std::string StoredTableText(const KilnProcess& server, const std::string& table) {
    std::string text;
    for (const auto& row : QueryStored(server, "SELECT * FROM " + table)) {
        for (const auto& value : row) text += value + "\t";
        text += "\n";
    }
    return text;
}

}  // namespace kiln::testing
