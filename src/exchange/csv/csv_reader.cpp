#include "exchange/csv/csv_reader.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <unordered_map>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"

namespace findbuch {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool is_line_break(char c) {
  return c == '\n' || c == '\r';
}

std::string_view trim_ascii(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// Votes on the first non-empty record only: data cells are full of commas in prose, while the
// header line of an Excel export is short and uses the real separator.
char detect_delimiter(std::string_view text) {
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (std::size_t i = text.find_first_not_of("\r\n"); i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (quoted) {
      continue;
    } else if (is_line_break(c)) {
      break;
    } else if (c == ',') {
      ++commas;
    } else if (c == ';') {
      ++semicolons;
    } else if (c == '\t') {
      ++tabs;
    }
  }
  if (tabs > 0 && commas == 0 && semicolons == 0) return '\t';
  return semicolons > commas ? ';' : ',';
}

// A hand-written scanner rather than a per-character state machine: it finds the end of each run
// of plain bytes with a lookup table and appends the whole run at once, which keeps large files
// fast and every byte visited at most twice.
class Parser {
 public:
  Parser(std::string_view text, const std::string& source, const CsvLimits& limits, char delimiter)
      : text_(text), source_(source), limits_(limits), delimiter_(delimiter) {
    for (const unsigned char c : {'"', '\n', '\r', '\0'}) {
      plain_end_[c] = true;
      quoted_end_[c] = true;
    }
    plain_end_[static_cast<unsigned char>(delimiter)] = true;
  }

  /// Column names for messages; null while the header itself is being read.
  void set_header(const std::vector<std::string>* header) { header_ = header; }

  /// Reads the next record, skipping empty lines; false at the end of the input. Keeps at most
  /// `keep` cells and only counts the rest, so a line of a million delimiters costs no memory.
  bool next(std::vector<std::string>& cells, std::size_t keep, std::size_t& count) {
    while (pos_ < text_.size() && is_line_break(text_[pos_])) skip_line_break();
    if (pos_ >= text_.size()) return false;
    record_line_ = line_;
    count = 0;
    for (;;) {
      std::string* out = count < keep ? &cells.emplace_back() : nullptr;
      field(out, count);
      ++count;
      if (pos_ >= text_.size()) break;
      if (text_[pos_] == delimiter_) {
        ++pos_;
        continue;
      }
      skip_line_break();  // field() stops only at a delimiter, a line break or the end
      break;
    }
    return true;
  }

  std::size_t record_line() const { return record_line_; }

  [[noreturn]] void fail(std::size_t line, const std::string& reason) const {
    throw InputError(source_ + ":" + std::to_string(line) + ": " + reason);
  }

 private:
  bool is_blank(char c) const { return (c == ' ' || c == '\t') && c != delimiter_; }

  // CR LF, LF and a lone CR (classic Mac exports) all end a line.
  void skip_line_break() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  std::string column_label(std::size_t column) const {
    std::string label = "column " + std::to_string(column + 1);
    if (header_ != nullptr && column < header_->size())
      label += " (\"" + (*header_)[column] + "\")";
    return label;
  }

  [[noreturn]] void fail_nul() const {
    fail(line_, "NUL byte in the data (is this a binary file rather than CSV?)");
  }

  // Checked before appending, so an oversized cell is never allocated.
  void check_room(const std::string& cell, std::size_t extra, std::size_t column) const {
    const std::size_t max = limits_.max_cell_bytes;
    if (cell.size() <= max && extra <= max - cell.size()) return;
    const std::string limit = std::to_string(max) + " bytes";
    if (header_ == nullptr)
      fail(line_, "name of column " + std::to_string(column + 1) + " is longer than " + limit);
    fail(line_, "cell in column \"" + (*header_)[column] + "\" is longer than " + limit);
  }

  void append(std::string* out, std::size_t begin, std::size_t end, std::size_t column) {
    if (out == nullptr || begin == end) return;
    check_room(*out, end - begin, column);
    out->append(text_.data() + begin, end - begin);
  }

  void append(std::string* out, char c, std::size_t column) {
    if (out == nullptr) return;
    check_room(*out, 1, column);
    out->push_back(c);
  }

  void field(std::string* out, std::size_t column) {
    // Blanks before an opening quote are tolerated (`a; "b" ;c`); otherwise they are data.
    std::size_t p = pos_;
    while (p < text_.size() && is_blank(text_[p])) ++p;
    if (p < text_.size() && text_[p] == '"') {
      pos_ = p + 1;
      quoted_field(out, column);
      return;
    }
    p = pos_;
    while (p < text_.size() && !plain_end_[static_cast<unsigned char>(text_[p])]) ++p;
    if (p < text_.size() && text_[p] == '"')
      fail(line_, "unexpected quote in unquoted field, " + column_label(column) +
                      "; a field containing quotes must itself be quoted, with inner quotes "
                      "doubled (\"\")");
    if (p < text_.size() && text_[p] == '\0') fail_nul();
    append(out, pos_, p, column);
    pos_ = p;
  }

  void quoted_field(std::string* out, std::size_t column) {
    const std::size_t open_line = line_;
    for (;;) {
      std::size_t p = pos_;
      while (p < text_.size() && !quoted_end_[static_cast<unsigned char>(text_[p])]) ++p;
      append(out, pos_, p, column);
      pos_ = p;
      if (p >= text_.size())
        fail(open_line, "unterminated quoted field (opened on line " + std::to_string(open_line) +
                            ", still open at the end of the file on line " + std::to_string(line_) +
                            ")");
      const char c = text_[p];
      if (c == '\0') fail_nul();
      if (is_line_break(c)) {
        append(out, '\n', column);  // CR LF becomes LF, as every later stage expects
        skip_line_break();
      } else if (p + 1 < text_.size() && text_[p + 1] == '"') {
        pos_ = p + 2;
        append(out, '"', column);
      } else {
        pos_ = p + 1;
        break;
      }
    }
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    if (pos_ >= text_.size()) return;
    const char c = text_[pos_];
    if (c == delimiter_ || is_line_break(c)) return;
    if (c == '\0') fail_nul();
    fail(line_, "unexpected text after closing quote, " + column_label(column) +
                    "; a quote inside a quoted field must be doubled (\"\")");
  }

  std::string_view text_;
  const std::string& source_;
  const CsvLimits& limits_;
  char delimiter_;
  const std::vector<std::string>* header_ = nullptr;
  std::array<bool, 256> plain_end_{};   // bytes that end an unquoted run
  std::array<bool, 256> quoted_end_{};  // bytes that end a run inside quotes
  std::size_t pos_ = 0;
  std::size_t line_ = 1;  // size_t: a multi-gigabyte input must not overflow the counter
  std::size_t record_line_ = 1;
};

int to_int_line(std::size_t line) {
  return static_cast<int>(std::min<std::size_t>(line, INT_MAX));
}

}  // namespace

CsvTable read_csv(std::string_view bytes, const std::string& source, const CsvLimits& limits) {
  CsvTable table;
  if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) bytes.remove_prefix(kUtf8Bom.size());

  // Any byte sequence that is valid UTF-8 is taken as UTF-8; German Excel saves Windows-1252,
  // whose umlauts are never valid UTF-8, so the guess is reliable in practice.
  std::string converted;
  std::string_view text = bytes;
  if (is_valid_utf8(bytes)) {
    table.encoding = "UTF-8";
  } else {
    converted = cp1252_to_utf8(bytes);
    text = converted;
    table.encoding = "Windows-1252";
  }

  table.delimiter = detect_delimiter(text);
  Parser parser(text, source, limits, table.delimiter);

  std::size_t count = 0;
  if (!parser.next(table.header, limits.max_columns, count))
    parser.fail(1, "empty header: the file has no header line");
  const std::size_t header_line = parser.record_line();
  if (count > limits.max_columns)
    parser.fail(header_line, "more than " + std::to_string(limits.max_columns) +
                                 " columns (the header has " + std::to_string(count) + ")");

  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    std::string& name = table.header[i];
    name = std::string(trim_ascii(name));
    if (name.empty())
      parser.fail(header_line, "empty header: column " + std::to_string(i + 1) + " has no name");
    const auto [it, inserted] = seen.emplace(name, i);
    if (!inserted)
      parser.fail(header_line, "duplicate column \"" + name + "\" (columns " +
                                   std::to_string(it->second + 1) + " and " +
                                   std::to_string(i + 1) + ")");
  }
  parser.set_header(&table.header);

  const std::size_t columns = table.header.size();
  for (;;) {
    std::vector<std::string> cells;
    cells.reserve(columns);
    if (!parser.next(cells, columns, count)) break;
    const std::size_t line = parser.record_line();
    if (count > columns)
      parser.fail(line, "record has " + plural(count, "cell") + " but the header has " +
                            plural(columns, "column"));
    if (table.rows.size() >= limits.max_rows)
      parser.fail(line, "more than " + plural(limits.max_rows, "row"));
    cells.resize(columns);  // short records are padded: spreadsheets drop trailing empty cells
    table.rows.push_back(CsvRow{to_int_line(line), std::move(cells), count});
  }
  return table;
}

}  // namespace findbuch
