// LedgerService::Post against each backend: idempotency per posting key, and refusals that write nothing.
#include "database_fixture.hpp"
#include "modules/events/event_types.hpp"
#include "modules/ledger/ledger_service.hpp"

namespace kiln {
namespace {

using ledger::JournalEntryDraft;

class LedgerPostingTest : public testing::DatabaseTest {
  protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        ledger::LedgerService::DeclareEvents(
            events::EventTypeRegistry::Instance());  // as the ledger module does at start
    }
    static JournalEntryDraft Draft(const std::string& key, int64_t amount) {
        return {.posted_at = Now(),
                .currency = "EUR",
                .memo = "test",
                .source_type = "invoice",
                .source_id = "inv-1",
                .posting_key = key,
                .lines = {{"1200", amount, 0, ""}, {"4000", 0, amount, ""}}};  // receivable, revenue
    }
    int64_t Count(const tenancy::Tenant& tenant, const std::string& table) {
        auto tx = db_->Begin({db::Access::kReadOnly, db::Visibility::kTenant});
        const db::TenantScope scope(tx, tenant.id);
        return scope.Exec("SELECT COUNT(*) FROM " + table + " WHERE tenant_id = $1", {scope.tenant()})
            .front()
            .Get<int64_t>(0);
    }
};

TEST_F(LedgerPostingTest, PostingTheSameKeyTwiceReturnsTheFirstEntry) {
    const auto tenant = NewTenant("ledger-a");
    ledger::JournalEntry first, second;
    {
        auto tx = db_->Begin();
        first = ledger::LedgerService::Post(db::TenantScope(tx, tenant.id), Draft("invoice:1:issued", 1200));
        tx.Commit();
    }
    {
        auto tx = db_->Begin();
        second = ledger::LedgerService::Post(db::TenantScope(tx, tenant.id), Draft("invoice:1:issued", 1200));
        tx.Commit();
    }
    EXPECT_EQ(first.id, second.id);
    EXPECT_EQ(first.number, "JE-000001");
    EXPECT_EQ(second.number, "JE-000001");
    EXPECT_EQ(Count(tenant, "journal_entries"), 1);
    EXPECT_EQ(Count(tenant, "journal_lines"), 2);
}

TEST_F(LedgerPostingTest, UnbalancedOrOverflowingEntriesAreRefused) {
    const auto tenant = NewTenant("ledger-b");
    auto unbalanced = Draft("k1", 100);
    unbalanced.lines[1].credit = 99;
    auto overflow = Draft("k2", 1);
    overflow.lines = {{"1000", INT64_MAX, 0, ""}, {"1010", 1, 0, ""}, {"4000", 0, 1, ""}};
    for (const auto& draft : {unbalanced, overflow}) {
        auto tx = db_->Begin();
        EXPECT_THROW(ledger::LedgerService::Post(db::TenantScope(tx, tenant.id), draft), ValidationError);
    }
    EXPECT_EQ(Count(tenant, "journal_entries"), 0);
}

}  // namespace
}  // namespace kiln
