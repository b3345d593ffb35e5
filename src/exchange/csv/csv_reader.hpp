#pragma once
// Reads the spreadsheets archivists keep: RFC 4180 quoting, comma or semicolon (detected from the
// header line), UTF-8 (with or without BOM) or Windows-1252 (detected: bytes that are not valid
// UTF-8), CRLF or LF line ends, quoted fields spanning lines.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace findbuch {

struct CsvRow {
  int line = 0;                    ///< 1-based physical line where the record starts
  std::vector<std::string> cells;  ///< UTF-8, as written (not trimmed)
  /// Cells the record actually has; the rest of `cells` is padding for a short record.
  std::size_t present = 0;
};

struct CsvTable {
  std::vector<std::string> header;  ///< trimmed column names
  std::vector<CsvRow> rows;         ///< data records; completely empty lines are skipped
  char delimiter = ',';
  std::string encoding;  ///< "UTF-8" or "Windows-1252"
};

struct CsvLimits {
  std::size_t max_cell_bytes = 1 << 20;  ///< a cell longer than this is refused
  std::size_t max_columns = 256;
  std::size_t max_rows = 5'000'000;
};

/// Parses `bytes` (the whole file). `source` names the file in error messages. Throws InputError
/// "FILE:LINE: reason" for an unterminated quote, a stray quote inside an unquoted field, a record
/// with more cells than the header, an empty or missing header, duplicate column names, limits.
/// Records with fewer cells than the header are padded with empty cells.
CsvTable read_csv(std::string_view bytes, const std::string& source, const CsvLimits& limits = {});

}  // namespace findbuch
