#include "modules/ledger/ledger_routes.hpp"

#include <regex>

#include "core/money.hpp"
#include "core/uuid.hpp"
#include "http/csv_response.hpp"
#include "http/date_query.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "modules/ledger/ledger_reports.hpp"
#include "modules/ledger/ledger_service.hpp"

namespace kiln::ledger {

namespace {

constexpr int64_t kMaxLines = 500;
constexpr int64_t kMaxAmount = 1'000'000'000'000'000'000;  // ≤ INT64_MAX; sums are checked anyway
constexpr auto kDay = std::chrono::hours(24);

http::Response ListAccounts(http::RequestContext& ctx) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& account : LedgerService::Accounts(ctx.scope())) items.push_back(account.ToJson());
    return http::Response::Json(200, {{"data", items}});
}

Account ExistingAccount(http::RequestContext& ctx) {
    auto account = LedgerService::FindAccount(ctx.scope(), ctx.Param("code"));
    if (!account) throw ctx.NotFoundError();
    return std::move(*account);
}

http::Response CreateAccount(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const std::string code = body.at("code");
    static const std::regex kCode(R"([A-Za-z0-9][A-Za-z0-9._-]{0,31})");
    if (!std::regex_match(code, kCode))
        throw ValidationError("code", "must be 1–32 letters, digits, dots, dashes or underscores");
    const NewAccount request{.code = code,
                             .name = body.at("name"),
                             .type = kAccountTypes.FromStored(body.at("type").get<std::string>()),
                             .parent_code = body.contains("parent_code") && !body["parent_code"].is_null()
                                                ? std::optional<std::string>(body["parent_code"])
                                                : std::nullopt};
    const auto shown = LedgerService::CreateAccount(ctx.scope(), request).ToJson();
    ctx.Audit("ledger_accounts.create", code, shown);
    return http::Response::Json(201, shown);
}

http::Response UpdateAccount(http::RequestContext& ctx) {
    Account account = ExistingAccount(ctx);
    const auto& body = ctx.body();
    AccountEdit edit;
    if (body.contains("name")) edit.name = body["name"].get<std::string>();
    if (body.contains("parent_code"))
        edit.parent_code =
            body["parent_code"].is_null() ? std::nullopt : std::optional<std::string>(body["parent_code"]);
    if (body.contains("is_active")) edit.active = body["is_active"].get<bool>();
    const auto changes = LedgerService::EditAccount(ctx.scope(), account, edit);
    ctx.Audit("ledger_accounts.update", account.code, changes);
    return http::Response::Json(200, account.ToJson());
}

http::Response DeleteAccount(http::RequestContext& ctx) {
    const Account account = ExistingAccount(ctx);
    LedgerService::DeleteAccount(ctx.scope(), account);
    ctx.Audit("ledger_accounts.delete", account.code, account.ToJson());
    return http::Response::NoContent();
}

http::Response GetSettings(http::RequestContext& ctx) {
    return http::Response::Json(200, {{"posting_accounts", LedgerService::PostingAccountsOf(ctx.scope()).ToJson()}});
}

http::Response UpdateSettings(http::RequestContext& ctx) {
    std::vector<std::pair<PostingPurpose, std::string>> wanted;
    const auto& accounts = ctx.body().at("posting_accounts");
    for (const auto purpose : kPostingPurposes.Values()) {
        const std::string name(kPostingPurposes.Name(purpose));
        if (accounts.contains(name)) wanted.emplace_back(purpose, accounts[name].get<std::string>());
    }
    const auto changes = LedgerService::SetPostingAccounts(ctx.scope(), wanted);
    ctx.Audit("ledger_settings.update", "posting_accounts", changes);
    return http::Response::Json(200, {{"posting_accounts", LedgerService::PostingAccountsOf(ctx.scope()).ToJson()}});
}

http::Response CloseYear(http::RequestContext& ctx) {
    const int year = ctx.body().at("year").get<int>();
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& entry : LedgerService::CloseYear(ctx.scope(), year, ctx.request_id()))
        entries.push_back(entry.ToJson());
    ctx.Audit("ledger.year_end_close", std::to_string(year), {{"entries", entries.size()}});
    return http::Response::Json(200, {{"year", year}, {"entries", entries}});
}

template <typename Statement>
nlohmann::json StatementsJson(const std::vector<Statement>& statements) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& statement : statements) out.push_back(statement.ToJson());
    return out;
}

http::Response GetProfitAndLoss(http::RequestContext& ctx) {
    const auto from_day = http::QueryDate(ctx, "from");
    if (!from_day) throw ValidationError("from", "is required (YYYY-MM-DD)");
    const Timestamp until = http::QueryDayEnd(ctx, "until");
    if (until <= *from_day) throw ValidationError("until", "must not be before from");
    const auto statements = LedgerReports::ProfitAndLossFor(ctx.scope(), *from_day, until);
    if (http::WantsCsv(ctx)) return http::CsvResponse(ProfitAndLossCsv(statements), "profit-and-loss");
    nlohmann::json out = {{"from", FormatTimestamp(*from_day).substr(0, 10)},
                          {"until", FormatTimestamp(until - kDay).substr(0, 10)},
                          {"currencies", StatementsJson(statements)}};
    const auto compare = ctx.Query("compare");
    if (compare && *compare != "previous") throw ValidationError("compare", "must be previous");
    if (compare) {
        // The period of the same length that ends where this one starts.
        const Timestamp previous_from = *from_day - (until - *from_day);
        out["previous"] = {
            {"from", FormatTimestamp(previous_from).substr(0, 10)},
            {"until", FormatTimestamp(*from_day - kDay).substr(0, 10)},
            {"currencies", StatementsJson(LedgerReports::ProfitAndLossFor(ctx.scope(), previous_from, *from_day))}};
    }
    return http::Response::Json(200, out);
}

http::Response GetBalanceSheet(http::RequestContext& ctx) {
    const Timestamp until = http::QueryDayEnd(ctx, "as_of");
    const auto statements = LedgerReports::BalanceSheetAt(ctx.scope(), until);
    if (http::WantsCsv(ctx)) return http::CsvResponse(BalanceSheetCsv(statements), "balance-sheet");
    nlohmann::json out = {{"as_of", FormatTimestamp(until - kDay).substr(0, 10)},
                          {"currencies", StatementsJson(statements)}};
    if (const auto compare_to = http::QueryDate(ctx, "compare_to"))
        out["previous"] = {
            {"as_of", FormatTimestamp(*compare_to).substr(0, 10)},
            {"currencies", StatementsJson(LedgerReports::BalanceSheetAt(ctx.scope(), *compare_to + kDay))}};
    return http::Response::Json(200, out);
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
    return http::Response::Json(
        200, LedgerService::TrialBalanceUntil(ctx.scope(), http::QueryDayEnd(ctx, "as_of")).ToJson());
}

http::Response GetStatement(http::RequestContext& ctx) {
    const auto account = LedgerService::FindAccount(ctx.scope(), ctx.Param("code"));
    if (!account) throw ctx.NotFoundError();
    const Timestamp from = http::QueryDate(ctx, "from").value_or(Timestamp{});
    const Timestamp until = http::QueryDayEnd(ctx, "until");
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

http::Schema AccountBody(bool create) {
    auto name = http::Schema::String().MinLength(1).MaxLength(200);
    auto parent =
        http::Schema::String().MaxLength(32).Nullable().Description("An account of the same type to group under");
    if (!create)
        return http::Schema::Object()
            .Field("name", name)
            .Field("parent_code", parent)
            .Field("is_active", http::Schema::Boolean().Description("false: the account takes no new postings"));
    return http::Schema::Object()
        .Required("code", http::Schema::String().MinLength(1).MaxLength(32).Description("e.g. 6200"))
        .Required("name", name)
        .Required("type", http::Schema::String().Enum(kAccountTypes.Names()))
        .Field("parent_code", parent);
}

http::Schema SettingsBody() {
    auto accounts = http::Schema::Object();
    for (const auto& name : kPostingPurposes.Names())
        accounts.Field(name, http::Schema::String().MinLength(1).MaxLength(32));
    return http::Schema::Object().Required(
        "posting_accounts", accounts.Description("The account code each kind of posting goes to; those left out stay"));
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
    accounts.Add({.method = http::Method::kPost,
                  .path = "/ledger/accounts",
                  .operation_id = "createLedgerAccount",
                  .summary = "Add an account to the chart",
                  .body = AccountBody(true),
                  .success_status = 201,
                  .creates = true,
                  .handler = CreateAccount},
                 "write");
    accounts.Add({.method = http::Method::kPut,
                  .path = "/ledger/accounts/{code}",
                  .operation_id = "updateLedgerAccount",
                  .summary = "Rename, regroup, deactivate or reactivate an account",
                  .body = AccountBody(false),
                  .handler = UpdateAccount},
                 "write");
    accounts.Add({.method = http::Method::kDelete,
                  .path = "/ledger/accounts/{code}",
                  .operation_id = "deleteLedgerAccount",
                  .summary = "Delete an account that never had a posting (deactivate the others)",
                  .success_status = 204,
                  .handler = DeleteAccount},
                 "write");
    accounts.Add({.method = http::Method::kGet,
                  .path = "/ledger/settings",
                  .operation_id = "getLedgerSettings",
                  .summary = "The account each kind of posting goes to",
                  .handler = GetSettings},
                 "read");
    accounts.Add({.method = http::Method::kPut,
                  .path = "/ledger/settings",
                  .operation_id = "updateLedgerSettings",
                  .summary = "Point kinds of posting at other accounts (each active and of the right type)",
                  .body = SettingsBody(),
                  .handler = UpdateSettings},
                 "write");
    entries.Add({.method = http::Method::kPost,
                 .path = "/ledger/year-end-close",
                 .operation_id = "closeLedgerYear",
                 .summary = "Move a year's revenue and expenses into retained earnings (once per year and currency)",
                 .body = http::Schema::Object().Required("year", http::Schema::Integer().Minimum(1970).Maximum(9998)),
                 .handler = CloseYear},
                "write");
    accounts.Add({.method = http::Method::kGet,
                  .path = "/ledger/reports/profit-and-loss",
                  .operation_id = "getProfitAndLoss",
                  .summary = "Revenue, expenses and net income of a period, per currency (JSON or CSV)",
                  .query = {{"from", "string", "YYYY-MM-DD, inclusive (required)"},
                            {"until", "string", "YYYY-MM-DD, inclusive (default today)"},
                            {"compare", "string", "previous: also the period of the same length before"},
                            {"format", "string", "json (default) or csv; or send Accept: text/csv"}},
                  .handler = GetProfitAndLoss},
                 "read");
    accounts.Add({.method = http::Method::kGet,
                  .path = "/ledger/reports/balance-sheet",
                  .operation_id = "getBalanceSheet",
                  .summary = "Assets, liabilities and equity at the end of a day, per currency (JSON or CSV)",
                  .query = {{"as_of", "string", "YYYY-MM-DD (default today)"},
                            {"compare_to", "string", "YYYY-MM-DD: also the balance sheet at the end of that day"},
                            {"format", "string", "json (default) or csv; or send Accept: text/csv"}},
                  .handler = GetBalanceSheet},
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
