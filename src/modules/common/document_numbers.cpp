#include "modules/common/document_numbers.hpp"

#include <cstdio>

namespace kiln::common {

namespace {

// Created or bumped in one statement; the row lock it takes makes concurrent documents of one
// kind take turns, so no two get the same number.
constexpr std::string_view kNextNumber = R"sql(
    INSERT INTO document_sequences (tenant_id, kind, last_number) VALUES ($1, $2, 1)
    ON CONFLICT (tenant_id, kind) DO UPDATE SET last_number = document_sequences.last_number + 1
    RETURNING last_number)sql";

}  // namespace

std::string NextDocumentNumber(const db::TenantScope& scope, const std::string& kind) {
    return FormatDocumentNumber(kind, scope.Exec(kNextNumber, {scope.tenant(), kind}).front().Get<int64_t>(0));
}

std::string FormatDocumentNumber(const std::string& kind, int64_t number) {
    char digits[24];
    std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(number));
    return kind + "-" + digits;
}

}  // namespace kiln::common
