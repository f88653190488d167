#include "http/csv_response.hpp"

#include "core/error.hpp"

namespace kiln::http {

bool WantsCsv(const RequestContext& ctx) {
    if (const auto format = ctx.Query("format")) {
        if (*format != "csv" && *format != "json") throw ValidationError("format", "must be json or csv");
        return *format == "csv";
    }
    const auto accept = ctx.request().Header("accept");
    return accept && accept->find("text/csv") != std::string::npos;
}

Response CsvResponse(std::string body, const std::string& name) {
    Response response{200, "text/csv; charset=utf-8", std::move(body), {}};
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
    return response;
}

}  // namespace kiln::http
