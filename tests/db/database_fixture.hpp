#pragma once

// The fixture of the database suites (tests/db/*_dbtest.cpp): a fresh, migrated database per test,
// SQLite by default and, with KILN_TEST_DATABASE=postgres, a new database created through
// KILN_TEST_PG_URL.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <pqxx/pqxx>

#include "core/crypto.hpp"
#include "core/uuid.hpp"
#include "db/migration.hpp"
#include "http/audit_sink.hpp"
#include "modules/tenancy/tenancy_repository.hpp"

namespace kiln::testing {

inline bool OnPostgres() {
    const char* kind = std::getenv("KILN_TEST_DATABASE");
    return kind != nullptr && std::string(kind) == "postgres";
}

/// A fresh, migrated database for each test, removed afterwards.
class DatabaseTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (OnPostgres()) {
            const char* admin = std::getenv("KILN_TEST_PG_URL");
            ASSERT_NE(admin, nullptr) << "KILN_TEST_DATABASE=postgres needs KILN_TEST_PG_URL";
            admin_url_ = admin;
            db_name_ = "kiln_dbtest_" + crypto::HexEncode(crypto::RandomBytes(6));
            pqxx::connection c(admin_url_);
            pqxx::nontransaction(c).exec("CREATE DATABASE " + db_name_);
            const auto slash = admin_url_.rfind('/');
            db_ = db::Database::Open(admin_url_.substr(0, slash + 1) + db_name_, 4);
        } else {
            dir_ = std::filesystem::temp_directory_path() / ("kiln-dbtest-" + NewUuidV7());
            db_ = db::Database::Open("sqlite://" + (dir_ / "kiln.db").string(), 4);
        }
        db::ApplyMigrations(*db_);
    }

    void TearDown() override {
        db_.reset();
        if (!db_name_.empty()) {
            pqxx::connection c(admin_url_);
            pqxx::nontransaction(c).exec("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
        }
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

    tenancy::Tenant NewTenant(const std::string& slug) {
        auto tx = db_->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        auto tenant = tenancy::TenancyRepository::CreateTenant(tx, "Tenant " + slug, slug);
        tx.Commit();
        return tenant;
    }

    static http::AuditEvent Event(const std::string& action) {
        return {"user", NewUuidV7(), action, "role", NewUuidV7(), {{"field", action}}, "req-1", "127.0.0.1", "test"};
    }

    std::unique_ptr<db::Database> db_;
    std::filesystem::path dir_;
    std::string admin_url_, db_name_;
};

}  // namespace kiln::testing
