#include "modules/ledger/ledger_routes.hpp"

#include <map>
#include <regex>

#include "core/money.hpp"
#include "core/uuid.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/ledger/ledger_posting.hpp"
#include "modules/ledger/ledger_repository.hpp"

namespace kiln::ledger {

namespace {

constexpr std::string_view kList = R"sql(
    SELECT id FROM journal_entries
    WHERE tenant_id = $1 AND ($2 IS NULL OR source_type = $2) AND ($3 IS NULL OR source_id = $3)
      AND ($4 IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id FROM journal_entries
    WHERE tenant_id = $1 AND ($2::text IS NULL OR source_type = $2) AND ($3::text IS NULL OR source_id = $3)
      AND ($4::uuid IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5)sql";
// Lines of entries posted before $2, for the trial balance (summed in code, checked).
constexpr std::string_view kBalanceLines = R"sql(
    SELECT e.currency, l.account_code, l.debit, l.credit
    FROM journal_lines l JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
    WHERE l.tenant_id = $1 AND e.posted_at < $2)sql";
constexpr std::string_view kStatementLines = R"sql(
    SELECT e.id, e.number, e.posted_at, e.currency, e.memo, l.line_no, l.debit, l.credit, l.memo AS line_memo
    FROM journal_lines l JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
    WHERE l.tenant_id = $1 AND l.account_code = $2 AND e.posted_at >= $3 AND e.posted_at < $4
    ORDER BY e.posted_at, e.number, l.line_no)sql";
constexpr std::string_view kListPeriods =
    "SELECT month, closed_at, closed_by FROM accounting_periods WHERE tenant_id = $1 ORDER BY month DESC";
constexpr std::string_view kUpsertPeriod = R"sql(
    INSERT INTO accounting_periods (tenant_id, month, closed_at, closed_by) VALUES ($1, $2, $3, $4)
    ON CONFLICT (tenant_id, month) DO UPDATE SET closed_at = $3, closed_by = $4)sql";

constexpr int64_t kMaxLines = 500;
constexpr int64_t kMaxAmount = 1'000'000'000'000'000'000;  // ≤ INT64_MAX; sums are checked anyway

Money Add(const Money& a, const Money& b) {
    try {
        return a + b;
    } catch (const ValidationError&) {
        throw std::overflow_error("ledger sums beyond int64");
    }
}

/// A YYYY-MM-DD query parameter as the instant its day starts (or `fallback` when absent).
std::optional<Timestamp> QueryDate(http::RequestContext& ctx, const std::string& name) {
    const auto text = ctx.Query(name);
    if (!text) return std::nullopt;
    static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
    const auto parsed = std::regex_match(*text, kDate) ? ParseTimestamp(*text) : std::nullopt;
    if (!parsed) throw ValidationError(name, "must be a date, YYYY-MM-DD");
    return parsed;
}

constexpr auto kDay = std::chrono::hours(24);

http::Response ListAccountsRoute(http::RequestContext& ctx) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& account : ListAccounts(ctx.scope())) items.push_back(account.ToJson());
    return http::Response::Json(200, {{"data", items}});
}

http::Response ListEntries(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    const auto sql = ctx.scope().tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    nlohmann::json items = nlohmann::json::array();
    for (const auto& row : ctx.scope().Exec(sql, {ctx.scope().tenant(), ctx.Query("source_type"),
                                                  ctx.Query("source_id"), page.after_id, page.limit + 1})) {
        auto entry = FindEntry(ctx.scope(), row.Get<std::string>("id"));
        if (entry) items.push_back(std::move(*entry));
    }
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response GetEntry(http::RequestContext& ctx) {
    const auto entry = FindEntry(ctx.scope(), ctx.IdParam("id"));
    if (!entry) throw ctx.NotFoundError();
    return http::Response::Json(200, *entry);
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
    const auto posted = PostWithRequest(ctx.scope(), draft, ctx.request_id());
    const auto shown = FindEntry(ctx.scope(), posted.id);
    ctx.Audit("journal_entries.post", posted.id, *shown);
    return http::Response::Json(201, *shown);
}

http::Response TrialBalance(http::RequestContext& ctx) {
    const auto as_of = QueryDate(ctx, "as_of");
    const Timestamp until = as_of ? *as_of + kDay : Now() + kDay;
    std::map<std::string, std::string> names;
    for (const auto& account : ListAccounts(ctx.scope())) names[account.code] = account.name;
    // (currency, account) → debit and credit sums
    std::map<std::pair<std::string, std::string>, std::pair<Money, Money>> sums;
    for (const auto& row : ctx.scope().Exec(kBalanceLines, {ctx.scope().tenant(), until})) {
        const auto currency = row.Get<std::string>("currency");
        auto [it, _] =
            sums.try_emplace({currency, row.Get<std::string>("account_code")}, Money{0, currency}, Money{0, currency});
        it->second.first = Add(it->second.first, {row.Get<int64_t>("debit"), currency});
        it->second.second = Add(it->second.second, {row.Get<int64_t>("credit"), currency});
    }
    nlohmann::json accounts_out = nlohmann::json::array();
    std::map<std::string, std::pair<Money, Money>> totals;
    for (const auto& [key, sum] : sums) {
        const auto& [currency, code] = key;
        accounts_out.push_back({{"account_code", code},
                                {"name", names[code]},
                                {"currency", currency},
                                {"debit", sum.first.minor_units},
                                {"credit", sum.second.minor_units},
                                {"balance", (sum.first - sum.second).minor_units}});
        auto [it, _] = totals.try_emplace(currency, Money{0, currency}, Money{0, currency});
        it->second.first = Add(it->second.first, sum.first);
        it->second.second = Add(it->second.second, sum.second);
    }
    nlohmann::json totals_out = nlohmann::json::array();
    for (const auto& [currency, sum] : totals)
        totals_out.push_back({{"currency", currency},
                              {"debit", sum.first.minor_units},
                              {"credit", sum.second.minor_units},
                              {"balance", (sum.first - sum.second).minor_units}});
    return http::Response::Json(
        200, {{"as_of", FormatTimestamp(until).substr(0, 10)}, {"accounts", accounts_out}, {"totals", totals_out}});
}

http::Response Statement(http::RequestContext& ctx) {
    const std::string& code = ctx.Param("code");
    std::optional<Account> account;
    for (const auto& a : ListAccounts(ctx.scope()))
        if (a.code == code) account = a;
    if (!account) throw ctx.NotFoundError();
    const Timestamp from = QueryDate(ctx, "from").value_or(Timestamp{});
    const auto until_day = QueryDate(ctx, "until");
    const Timestamp until = until_day ? *until_day + kDay : Now() + kDay;
    std::map<std::string, Money> running;
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& row : ctx.scope().Exec(kStatementLines, {ctx.scope().tenant(), code, from, until})) {
        const auto currency = row.Get<std::string>("currency");
        auto [it, _] = running.try_emplace(currency, Money{0, currency});
        const auto debit = row.Get<int64_t>("debit");
        const auto credit = row.Get<int64_t>("credit");
        it->second = Add(it->second, {debit, currency});
        try {
            it->second = it->second - Money{credit, currency};
        } catch (const ValidationError&) {
            throw std::overflow_error("ledger balance beyond int64");
        }
        lines.push_back({{"entry_id", row.Get<std::string>("id")},
                         {"number", row.Get<std::string>("number")},
                         {"posted_at", FormatTimestamp(row.Get<Timestamp>("posted_at"))},
                         {"currency", currency},
                         {"memo", row.Get<std::string>("memo")},
                         {"line_memo", row.Get<std::string>("line_memo")},
                         {"debit", debit},
                         {"credit", credit},
                         {"balance", it->second.minor_units}});
    }
    return http::Response::Json(200, {{"account", account->ToJson()}, {"lines", lines}});
}

http::Response ListPeriods(http::RequestContext& ctx) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& row : ctx.scope().Exec(kListPeriods, {ctx.scope().tenant()})) {
        const auto closed_at = row.GetOptional<Timestamp>("closed_at");
        items.push_back({{"month", row.Get<std::string>("month")},
                         {"status", closed_at ? "closed" : "open"},
                         {"closed_at", closed_at ? nlohmann::json(FormatTimestamp(*closed_at)) : nullptr},
                         {"closed_by", row.GetOptional<std::string>("closed_by")
                                           ? nlohmann::json(*row.GetOptional<std::string>("closed_by"))
                                           : nullptr}});
    }
    return http::Response::Json(200, {{"data", items}});
}

/// POST /ledger/periods/{month}/close|reopen. A month that is not YYYY-MM names nothing → 404.
http::Handler SetPeriod(bool close) {
    return [close](http::RequestContext& ctx) {
        const std::string& month = ctx.Param("month");
        static const std::regex kMonth(R"(\d{4}-(0[1-9]|1[0-2]))");
        if (!std::regex_match(month, kMonth)) throw ctx.NotFoundError();
        const bool closed = IsMonthClosed(ctx.scope(), month);
        if (closed == close)
            throw Conflict("The accounting period " + month + " is already " + (close ? "closed." : "open."));
        const Timestamp now = Now();
        const std::string by = ctx.principal().user_id.str();
        ctx.scope().Exec(kUpsertPeriod, {ctx.scope().tenant(), month, close ? db::Param(now) : db::Param(nullptr),
                                         close ? db::Param(by) : db::Param(nullptr)});
        const std::string status = close ? "closed" : "open";
        nlohmann::json shown = {{"month", month},
                                {"status", status},
                                {"closed_at", close ? nlohmann::json(FormatTimestamp(now)) : nullptr},
                                {"closed_by", close ? nlohmann::json(by) : nullptr}};
        ctx.Audit(std::string("accounting_periods.") + (close ? "close" : "reopen"), month,
                  {{"status", {{"from", closed ? "closed" : "open"}, {"to", status}}}});
        events::EventOutbox::Record(ctx.scope(), close ? "accounting_period.closed" : "accounting_period.reopened",
                                    "accounting_period:" + month, {{"accounting_period", shown}}, ctx.request_id());
        return http::Response::Json(200, shown);
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
                  .handler = ListAccountsRoute},
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
                  .handler = TrialBalance},
                 "read");
    accounts.Add({.method = http::Method::kGet,
                  .path = "/ledger/accounts/{code}/statement",
                  .operation_id = "getLedgerAccountStatement",
                  .summary = "Lines touching the account with the running balance (debit − credit)",
                  .query = {{"from", "string", "YYYY-MM-DD, inclusive"}, {"until", "string", "YYYY-MM-DD, inclusive"}},
                  .handler = Statement},
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
