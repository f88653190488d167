#include "modules/billing/aged_receivables.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>

#include "core/csv.hpp"
#include "modules/billing/invoice_repository.hpp"
#include "modules/customers/customer_service.hpp"

namespace kiln::billing {

namespace {

constexpr int64_t kPage = 500;

/// The bucket of an amount `days_overdue` days past its due date.
size_t BucketOf(int64_t days_overdue) {
    if (days_overdue <= 0) return 0;
    if (days_overdue <= 30) return 1;
    if (days_overdue <= 60) return 2;
    if (days_overdue <= 90) return 3;
    return 4;
}

AgedReceivables::Row EmptyRow(std::string customer_id, std::string name, const std::string& currency) {
    const Money zero{0, currency};
    return {.customer_id = std::move(customer_id),
            .customer_name = std::move(name),
            .currency = currency,
            .buckets = {zero, zero, zero, zero, zero},
            .total = zero};
}

void Add(AgedReceivables::Row& row, size_t bucket, const Money& amount) {
    row.buckets.at(bucket) = SumOfStored(row.buckets.at(bucket), amount);
    row.total = SumOfStored(row.total, amount);
}

nlohmann::json RowJson(const AgedReceivables::Row& row, bool with_customer) {
    nlohmann::json out = {{"currency", row.currency}, {"total", row.total.minor_units}};
    for (size_t i = 0; i < row.buckets.size(); ++i)
        out[AgedReceivables::kBuckets.at(i)] = row.buckets.at(i).minor_units;
    if (with_customer) {
        out["customer_id"] = row.customer_id;
        out["customer_name"] = row.customer_name;
    }
    return out;
}

std::vector<std::string> RowCsv(const AgedReceivables::Row& row) {
    std::vector<std::string> fields = {row.customer_id, row.customer_name, row.currency};
    for (const auto& amount : row.buckets) fields.push_back(std::to_string(amount.minor_units));
    fields.push_back(std::to_string(row.total.minor_units));
    return fields;
}

}  // namespace

AgedReceivables AgedReceivables::At(const db::TenantScope& scope, Timestamp as_of) {
    // (customer, currency) → row; only invoices issued before the day ends count.
    std::map<std::pair<std::string, std::string>, Row> by_customer;
    std::map<std::string, Row> totals;
    for (const auto status : {InvoiceStatus::kIssued, InvoiceStatus::kPartiallyPaid}) {
        InvoiceFilter filter{.status = status, .limit = kPage};
        while (true) {
            auto page = InvoiceRepository::List(scope, filter);
            const bool more = static_cast<int64_t>(page.size()) > kPage;
            if (more) page.pop_back();
            for (const auto& invoice : page) {
                if (!invoice.issued_at || *invoice.issued_at >= as_of) continue;
                const Money due = invoice.amount_due();
                if (due.minor_units <= 0) continue;
                // Calendar days from the due day to the day asked for (as_of is the start of the day after it).
                const auto due_day = std::chrono::floor<std::chrono::days>(invoice.due_at.value_or(*invoice.issued_at));
                const int64_t days = std::chrono::floor<std::chrono::days>(as_of - due_day).count() - 1;
                const size_t bucket = BucketOf(days);
                auto [row, fresh] = by_customer.try_emplace({invoice.customer_id.str(), invoice.currency});
                if (fresh) {
                    const auto customer = customers::CustomerService::Find(scope, invoice.customer_id);
                    row->second = EmptyRow(invoice.customer_id.str(), customer ? customer->name : "", invoice.currency);
                }
                Add(row->second, bucket, due);
                auto [total, new_total] = totals.try_emplace(invoice.currency);
                if (new_total) total->second = EmptyRow("", "", invoice.currency);
                Add(total->second, bucket, due);
            }
            if (!more) break;
            filter.before_id = page.back().id.str();
        }
    }
    AgedReceivables out{.as_of = as_of, .rows = {}, .totals = {}};
    for (auto& [key, row] : by_customer) out.rows.push_back(std::move(row));
    std::stable_sort(out.rows.begin(), out.rows.end(), [](const Row& a, const Row& b) {
        return std::tie(a.customer_name, a.customer_id, a.currency) <
               std::tie(b.customer_name, b.customer_id, b.currency);
    });
    for (auto& [currency, row] : totals) out.totals.push_back(std::move(row));
    return out;
}

nlohmann::json AgedReceivables::ToJson() const {
    nlohmann::json customers = nlohmann::json::array();
    for (const auto& row : rows) customers.push_back(RowJson(row, true));
    nlohmann::json sums = nlohmann::json::array();
    for (const auto& row : totals) sums.push_back(RowJson(row, false));
    return {{"as_of", FormatTimestamp(as_of - std::chrono::hours(24)).substr(0, 10)},
            {"customers", customers},
            {"totals", sums}};
}

std::string AgedReceivables::ToCsv() const {
    std::vector<std::string> header = {"customer_id", "customer_name", "currency"};
    header.insert(header.end(), kBuckets.begin(), kBuckets.end());
    header.emplace_back("total");
    std::string out = CsvRecord(header);
    for (const auto& row : rows) out += CsvRecord(RowCsv(row));
    for (const auto& row : totals) {
        auto fields = RowCsv(row);
        fields.at(1) = "Total";
        out += CsvRecord(fields);
    }
    return out;
}

}  // namespace kiln::billing
