#include "http/list_export.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/csv.hpp"
#include "core/error.hpp"
#include "http/csv_response.hpp"

namespace kiln::http {

namespace {

bool IsListPage(const nlohmann::json& body) {
    return body.is_object() && body.contains("data") && body["data"].is_array() && body.contains("next_cursor");
}

std::string Cell(const nlohmann::json& value) {
    if (value.is_null()) return "";
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

}  // namespace

std::optional<Response> ExportListAsCsv(RequestContext& ctx, const Route& route, const Response& first) {
    if (route.method != Method::kGet || first.status != 200 || first.content_type != "application/json") return {};
    // Only lists read as CSV; `format` is then a list's parameter too, checked here.
    if (!WantsCsv(ctx)) return {};
    nlohmann::json page = nlohmann::json::parse(first.body);
    if (!IsListPage(page)) return {};
    std::vector<nlohmann::json> rows;
    while (true) {
        for (auto& row : page["data"]) rows.push_back(std::move(row));
        if (rows.size() > kMaxExportRows)
            throw ValidationError("format", "the export would hold more than " + std::to_string(kMaxExportRows) +
                                                " rows; narrow the filters");
        if (page["next_cursor"].is_null()) break;
        ctx.OverrideQuery("cursor", page["next_cursor"].get<std::string>());
        ctx.OverrideQuery("limit", "200");
        const Response next = route.handler(ctx);
        page = nlohmann::json::parse(next.body);
        if (!IsListPage(page)) break;
    }
    std::vector<std::string> columns;
    for (const auto& row : rows)
        for (const auto& item : row.items())
            if (std::find(columns.begin(), columns.end(), item.key()) == columns.end()) columns.push_back(item.key());
    std::string out = CsvRecord(columns);
    std::vector<std::string> cells;
    for (const auto& row : rows) {
        cells.clear();
        for (const auto& column : columns) cells.push_back(row.contains(column) ? Cell(row[column]) : "");
        out += CsvRecord(cells);
    }
    std::string name = route.operation_id;
    return CsvResponse(std::move(out), name.empty() ? "export" : name);
}

}  // namespace kiln::http
