// The database layer and the audit chain, run on SQLite and, with KILN_TEST_DATABASE=postgres,
// on a real PostgreSQL (a fresh database per run, created through KILN_TEST_PG_URL).
#include <gtest/gtest.h>

#include "database_fixture.hpp"
#include "modules/audit/audit_repository.hpp"

namespace kiln {
namespace {

/// The audit chain is keyed from the master key; any fixed key does for these tests.
const SecretVault& AuditVault() {
    static const SecretVault vault(std::string(32, 'k'));
    return vault;
}

using testing::DatabaseTest;

TEST_F(DatabaseTest, MigrationsAreRecordedAndNotReapplied) {
    EXPECT_TRUE(db::PendingMigrations(*db_).empty());
    EXPECT_TRUE(db::ApplyMigrations(*db_).empty());
}

TEST_F(DatabaseTest, UncommittedTransactionRollsBackOnDestruction) {
    {
        auto tx = db_->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        tenancy::TenancyRepository::CreateTenant(tx, "Gone", "gone");
    }
    auto tx = db_->Begin({db::Access::kReadOnly, db::Visibility::kSystem});
    EXPECT_FALSE(tenancy::TenancyRepository::FindTenantBySlug(tx, "gone"));
}

TEST_F(DatabaseTest, ValuesRoundTripWithTheirTypes) {
    const auto tenant = NewTenant("types");
    auto tx = db_->Begin({db::Access::kReadOnly, db::Visibility::kSystem});
    const auto found = tenancy::TenancyRepository::FindTenant(tx, tenant.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->slug, "types");
    EXPECT_EQ(FormatTimestamp(found->created_at), FormatTimestamp(tenant.created_at));
    const auto row = tx.Exec("SELECT $1 AS a, $2 AS b", {int64_t{9007199254740993}, nullptr}).front();
    EXPECT_EQ(row.Get<int64_t>("a"), 9007199254740993);
    EXPECT_TRUE(row.IsNull("b"));
}

TEST_F(DatabaseTest, UniqueViolationBecomesAFieldError) {
    NewTenant("taken");
    auto tx = db_->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    try {
        tenancy::TenancyRepository::CreateTenant(tx, "Again", "taken");
        FAIL() << "a duplicate slug was accepted";
    } catch (const ValidationError& e) {
        ASSERT_EQ(e.field_errors().size(), 1U);
        EXPECT_EQ(e.field_errors()[0].field, "slug");
    }
}

TEST_F(DatabaseTest, AuditChainVerifiesAndDetectsTampering) {
    const auto tenant = NewTenant("audited");
    {
        auto tx = db_->Begin({db::Access::kReadWrite});
        db::TenantScope scope(tx, tenant.id);
        for (const char* action : {"roles.create", "roles.update", "roles.delete"})
            audit::AuditRepository::Append(scope, AuditVault(), Event(action));
        tx.Commit();
    }
    {
        auto tx = db_->Begin({db::Access::kReadOnly});
        const auto result = audit::AuditRepository::Verify(db::TenantScope(tx, tenant.id), AuditVault(), true);
        EXPECT_TRUE(result.ok) << result.reason;
        EXPECT_EQ(result.checked, 3);
    }
    {
        auto tx = db_->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        tx.Exec("UPDATE audit_logs SET action = 'roles.read' WHERE tenant_id = $1 AND seq = 2", {tenant.id});
        tx.Commit();
    }
    auto tx = db_->Begin({db::Access::kReadOnly});
    const auto result = audit::AuditRepository::Verify(db::TenantScope(tx, tenant.id), AuditVault(), true);
    EXPECT_FALSE(result.ok);
    ASSERT_TRUE(result.broken_seq);
    EXPECT_EQ(*result.broken_seq, 2);
}

TEST_F(DatabaseTest, AuditChainDetectsADeletedRow) {
    const auto tenant = NewTenant("deleted");
    {
        auto tx = db_->Begin({db::Access::kReadWrite});
        db::TenantScope scope(tx, tenant.id);
        for (const char* action : {"a", "b", "c"}) audit::AuditRepository::Append(scope, AuditVault(), Event(action));
        tx.Commit();
    }
    {
        auto tx = db_->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        tx.Exec("DELETE FROM audit_logs WHERE tenant_id = $1 AND seq = 3", {tenant.id});
        tx.Commit();
    }
    auto tx = db_->Begin({db::Access::kReadOnly});
    const auto result = audit::AuditRepository::Verify(db::TenantScope(tx, tenant.id), AuditVault(), true);
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.broken_seq.value_or(0), 3);
}

// Tests named *OnPostgres run only in the PostgreSQL suite (tests/CMakeLists.txt filters them out
// of the SQLite one): SQLite has no row-level security; its isolation is the tenant filter in every
// query, which the API suites check.
TEST_F(DatabaseTest, RowLevelSecurityHidesOtherTenantsOnPostgres) {
    ASSERT_EQ(db_->dialect(), db::Dialect::kPostgres);
    const auto a = NewTenant("rls-a");
    const auto b = NewTenant("rls-b");
    auto tx = db_->Begin({db::Access::kReadOnly});
    db::TenantScope scope(tx, a.id);
    // No tenant filter in the query: only the policy stands between tenant A and B's rows.
    const auto rows = tx.Exec("SELECT tenant_id FROM audit_chain_heads");
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows.front().Get<std::string>("tenant_id"), a.id.str());
    EXPECT_EQ(tx.Exec("SELECT id FROM tenants").size(), 1U);
    (void)b;
}

TEST_F(DatabaseTest, UnscopedTransactionSeesNoTenantRowsOnPostgres) {
    ASSERT_EQ(db_->dialect(), db::Dialect::kPostgres);
    NewTenant("hidden");
    auto tx = db_->Begin({db::Access::kReadOnly});
    EXPECT_TRUE(tx.Exec("SELECT tenant_id FROM audit_chain_heads").empty());
}

}  // namespace
}  // namespace kiln
