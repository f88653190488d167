#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kiln {

/// One CSV record (RFC 4180) with its CRLF: a field with a comma, a quote, CR or LF is quoted and its quotes doubled.
/// A field that starts with =, +, - or @ is prefixed with a single quote so that a spreadsheet opening the export
/// does not run it as a formula (CSV injection); numbers are passed as their digits and are never prefixed.
std::string CsvRecord(const std::vector<std::string>& fields);

/// The text of a field as CsvRecord writes it.
std::string CsvField(std::string_view field);

}  // namespace kiln
