#include "modules/ledger/ledger_routes.hpp"

#include <regex>

#include "core/money.hpp"
#include "core/uuid.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "modules/ledger/ledger_service.hpp"

namespace kiln::ledger {

namespace {

constexpr int64_t kMaxLines = 500;
constexpr int64_t kMaxAmount = 1'000'000'000'000'000'000;  // ≤ INT64_MAX; sums are checked anyway
constexpr auto kDay = std::chrono::hours(24);

/// A YYYY-MM-DD query parameter as the instant its day starts, or nothing when absent.
std::optional<Timestamp> QueryDate(http::RequestContext& ctx, const std::string& name) {
    const auto text = ctx.Query(name);
    if (!text) return std::nullopt;
    static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
    const auto parsed = std::regex_match(*text, kDate) ? ParseTimestamp(*text) : std::nullopt;
    if (!parsed) throw ValidationError(name, "must be a date, YYYY-MM-DD");
    return parsed;
}

/// The end of an inclusive YYYY-MM-DD bound: the next day's start (the end of today when absent).
Timestamp UntilEndOf(http::RequestContext& ctx, const std::string& name) {
    const auto day = QueryDate(ctx, name);
    return (day ? *day : Now()) + kDay;
}

http::Response ListAccounts(http::RequestContext& ctx) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& account : LedgerService::Accounts(ctx.scope())) items.push_back(account.ToJson());
    return http::Response::Json(200, {{"data", items}});
}

http::Response ListEntries(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    const JournalEntryFilter filter{.source_type = ctx.Query("source_type"),
                                    .source_id = ctx.Query("source_id"),
                                    .before_id = page.after_id,
                                    .limit = page.limit};
    nlohmann::json items = nlohmann::json::array();
    for (const auto& entry : LedgerService::ListEntries(ctx.scope(), filter)) items.push_back(entry.ToJson());
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response GetEntry(http::RequestContext& ctx) {
    const auto entry = LedgerService::FindEntry(ctx.scope(), JournalEntryId(ctx.IdParam("id")));
    if (!entry) throw ctx.NotFoundError();
    return http::Response::Json(200, entry->ToJson());
}

http::Response CreateEntry(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const std::string id_hint = NewUuidV7();
    JournalEntryDraft draft{.posted_at = Now(),
                            .currency = body.at("currency"),
                            .memo = body.value("memo", ""),
                            .source_type = "manual",
                            .source_id = id_hint,
                            .posting_key = "manual:" + id_hint,
                            .lines = {}};
    if (body.contains("posted_at")) {
        const auto at = ParseTimestamp(body["posted_at"].get<std::string>());
        if (!at) throw ValidationError("posted_at", "must be a date-time");
        draft.posted_at = *at;
    }
    for (const auto& in : body.at("lines"))
        draft.lines.push_back({.account_code = in.at("account_code"),
                               .debit = in.value("debit", int64_t{0}),
                               .credit = in.value("credit", int64_t{0}),
                               .memo = in.value("memo", "")});
    const auto shown = LedgerService::Post(ctx.scope(), draft, ctx.request_id()).ToJson();
    ctx.Audit("journal_entries.post", shown["id"].get<std::string>(), shown);
    return http::Response::Json(201, shown);
}

http::Response GetTrialBalance(http::RequestContext& ctx) {
    return http::Response::Json(200, LedgerService::TrialBalanceUntil(ctx.scope(), UntilEndOf(ctx, "as_of")).ToJson());
}

http::Response GetStatement(http::RequestContext& ctx) {
    const auto account = LedgerService::FindAccount(ctx.scope(), ctx.Param("code"));
    if (!account) throw ctx.NotFoundError();
    const Timestamp from = QueryDate(ctx, "from").value_or(Timestamp{});
    const Timestamp until = UntilEndOf(ctx, "until");
    return http::Response::Json(200, LedgerService::Statement(ctx.scope(), *account, from, until).ToJson());
}

http::Response ListPeriods(http::RequestContext& ctx) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& period : LedgerService::Periods(ctx.scope())) items.push_back(period.ToJson());
    return http::Response::Json(200, {{"data", items}});
}

/// POST /ledger/periods/{month}/close|reopen. A month that is not YYYY-MM names nothing → 404.
http::Handler SetPeriod(bool close) {
    return [close](http::RequestContext& ctx) {
        const std::string& month = ctx.Param("month");
        static const std::regex kMonth(R"(\d{4}-(0[1-9]|1[0-2]))");
        if (!std::regex_match(month, kMonth)) throw ctx.NotFoundError();
        const auto period =
            LedgerService::SetPeriod(ctx.scope(), month, close, ctx.principal().user_id.str(), ctx.request_id());
        ctx.Audit(std::string("accounting_periods.") + (close ? "close" : "reopen"), month,
                  {{"status", {{"from", close ? "open" : "closed"}, {"to", close ? "closed" : "open"}}}});
        return http::Response::Json(200, period.ToJson());
    };
}

http::Schema EntryBody() {
    return http::Schema::Object()
        .Field("currency", http::Schema::String().Enum(CurrencyCodes()).Description("ISO 4217 code"), true)
        .Field("posted_at",
               http::Schema::String().Format("date-time").Description("The accounting date; now when absent"))
        .Field("memo", http::Schema::String().MaxLength(5000))
        .Field("lines",
               http::Schema::ArrayOf(
                   http::Schema::Object()
                       .Field("account_code", http::Schema::String().MinLength(1).MaxLength(32), true)
                       .Field("debit", http::Schema::Integer()
                                           .Minimum(0)
                                           .Maximum(kMaxAmount)
                                           .Description("Minor units; exactly one of debit and credit is positive"))
                       .Field("credit", http::Schema::Integer().Minimum(0).Maximum(kMaxAmount))
                       .Field("memo", http::Schema::String().MaxLength(5000)))
                   .MaxItems(kMaxLines),
               true);
}

}  // namespace

void RegisterLedgerRoutes(http::RouteTable& routes) {
    http::RouteGroup accounts(routes, "ledger", "ledger", "ledger_account");
    http::RouteGroup entries(routes, "ledger", "ledger", "journal_entry");
    http::RouteGroup periods(routes, "ledger", "ledger", "accounting_period");
    accounts.Add({.method = http::Method::kGet,
                  .path = "/ledger/accounts",
                  .operation_id = "listLedgerAccounts",
                  .summary = "The chart of accounts",
                  .handler = ListAccounts},
                 "read");
    entries.Add({.method = http::Method::kGet,
                 .path = "/ledger/journal-entries",
                 .operation_id = "listJournalEntries",
                 .summary = "Journal entries with their lines, newest first",
                 .query = {{"source_type", "string", "invoice, payment, refund or manual"},
                           {"source_id", "string", "Entries about this object"},
                           {"limit", "integer", "Page size"},
                           {"cursor", "string", "next_cursor of the previous page"}},
                 .handler = ListEntries},
                "read");
    entries.Add({.method = http::Method::kGet,
                 .path = "/ledger/journal-entries/{id}",
                 .operation_id = "getJournalEntry",
                 .summary = "A journal entry with its lines",
                 .handler = GetEntry},
                "read");
    entries.Add({.method = http::Method::kPost,
                 .path = "/ledger/journal-entries",
                 .operation_id = "createJournalEntry",
                 .summary = "Post a manual, balanced journal entry",
                 .body = EntryBody(),
                 .success_status = 201,
                 .creates = true,
                 .handler = CreateEntry},
                "write");
    accounts.Add({.method = http::Method::kGet,
                  .path = "/ledger/trial-balance",
                  .operation_id = "getTrialBalance",
                  .summary = "Debit, credit and balance per account and currency; balances sum to zero",
                  .query = {{"as_of", "string", "YYYY-MM-DD: entries posted on or before this day (default today)"}},
                  .handler = GetTrialBalance},
                 "read");
    accounts.Add({.method = http::Method::kGet,
                  .path = "/ledger/accounts/{code}/statement",
                  .operation_id = "getLedgerAccountStatement",
                  .summary = "Lines touching the account with the running balance (debit − credit)",
                  .query = {{"from", "string", "YYYY-MM-DD, inclusive"}, {"until", "string", "YYYY-MM-DD, inclusive"}},
                  .handler = GetStatement},
                 "read");
    periods.Add({.method = http::Method::kGet,
                 .path = "/ledger/periods",
                 .operation_id = "listAccountingPeriods",
                 .summary = "Months that were closed (or closed and reopened)",
                 .handler = ListPeriods},
                "read");
    periods.Add({.method = http::Method::kPost,
                 .path = "/ledger/periods/{month}/close",
                 .operation_id = "closeAccountingPeriod",
                 .summary = "Close a month (YYYY-MM): nothing more can be posted into it",
                 .handler = SetPeriod(true)},
                "write");
    periods.Add({.method = http::Method::kPost,
                 .path = "/ledger/periods/{month}/reopen",
                 .operation_id = "reopenAccountingPeriod",
                 .summary = "Reopen a closed month",
                 .handler = SetPeriod(false)},
                "write");
}

}  // namespace kiln::ledger
