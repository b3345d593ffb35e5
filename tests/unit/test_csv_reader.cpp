#include "exchange/csv/csv_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"

namespace findbuch {
namespace {

using Cells = std::vector<std::string>;

// Runs read_csv expecting an InputError and returns its message ("" if nothing was thrown).
std::string error_of(std::string_view bytes, const CsvLimits& limits = {}) {
  try {
    read_csv(bytes, "in.csv", limits);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

::testing::AssertionResult fails_with(std::string_view bytes, const std::string& prefix,
                                      const std::string& reason, const CsvLimits& limits = {}) {
  const std::string message = error_of(bytes, limits);
  if (message.rfind(prefix, 0) == 0 && message.find(reason) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "message \"" << message << "\" lacks prefix \"" << prefix
                                       << "\" or \"" << reason << "\"";
}

TEST(CsvReader, CommaFile) {
  const CsvTable t =
      read_csv("signatur,titel,laufzeit\nA 1,Akten,1900-1910\nA 2,Briefe,1911\n", "in.csv");
  EXPECT_EQ(t.delimiter, ',');
  EXPECT_EQ(t.encoding, "UTF-8");
  EXPECT_EQ(t.header, (Cells{"signatur", "titel", "laufzeit"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"A 1", "Akten", "1900-1910"}));
  EXPECT_EQ(t.rows[0].line, 2);
  EXPECT_EQ(t.rows[1].cells, (Cells{"A 2", "Briefe", "1911"}));
  EXPECT_EQ(t.rows[1].line, 3);
}

TEST(CsvReader, SemicolonFileWithCommasInData) {
  const CsvTable t = read_csv("a;b\nx, y;z\n", "in.csv");
  EXPECT_EQ(t.delimiter, ';');
  EXPECT_EQ(t.rows[0].cells, (Cells{"x, y", "z"}));
}

TEST(CsvReader, DelimiterVoteIgnoresQuotedText) {
  // Three commas inside quotes must not outvote the one real semicolon.
  const CsvTable t = read_csv("\"a,b,c,d\";e\n1;2\n", "in.csv");
  EXPECT_EQ(t.delimiter, ';');
  EXPECT_EQ(t.header, (Cells{"a,b,c,d", "e"}));
}

TEST(CsvReader, CommaWinsTies) {
  EXPECT_EQ(read_csv("a;b,c\n", "in.csv").delimiter, ',');
  EXPECT_EQ(read_csv("single\nvalue\n", "in.csv").delimiter, ',');
}

TEST(CsvReader, TabFile) {
  const CsvTable t = read_csv("a\tb\n1, x\t \"2;\"\n", "in.csv");
  EXPECT_EQ(t.delimiter, '\t');
  EXPECT_EQ(t.rows[0].cells, (Cells{"1, x", "2;"}));
}

TEST(CsvReader, TabIsDataWhenCommasPresent) {
  const CsvTable t = read_csv("a\tb,c\n1\t2,3\n", "in.csv");
  EXPECT_EQ(t.delimiter, ',');
  EXPECT_EQ(t.header, (Cells{"a\tb", "c"}));
}

TEST(CsvReader, Windows1252) {
  const CsvTable t = read_csv("Name;Betrag\nM\xfcller;\x80 5\n", "in.csv");
  EXPECT_EQ(t.encoding, "Windows-1252");
  EXPECT_EQ(t.rows[0].cells, (Cells{"M\xc3\xbcller", "\xe2\x82\xac 5"}));
}

TEST(CsvReader, Utf8Umlauts) {
  const CsvTable t = read_csv("Name\nM\xc3\xbcller\n", "in.csv");
  EXPECT_EQ(t.encoding, "UTF-8");
  EXPECT_EQ(t.rows[0].cells, (Cells{"M\xc3\xbcller"}));
}

TEST(CsvReader, Bom) {
  const CsvTable t = read_csv("\xef\xbb\xbfsignatur;titel\n1;x\n", "in.csv");
  EXPECT_EQ(t.encoding, "UTF-8");
  EXPECT_EQ(t.header, (Cells{"signatur", "titel"}));
  EXPECT_EQ(t.rows[0].line, 2);
}

TEST(CsvReader, QuotedDelimitersAndDoubledQuotes) {
  const CsvTable t =
      read_csv("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"\"\n\"\"\"\",plain,\"a;b\"\n", "in.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"x, y", "say \"hi\"", ""}));
  EXPECT_EQ(t.rows[1].cells, (Cells{"\"", "plain", "a;b"}));
}

TEST(CsvReader, WhitespaceAroundQuotedFieldIsTolerated) {
  const CsvTable t = read_csv("a;b;c\na; \"b\" ;c\n  x  ;\t\"y\"\t;z\n", "in.csv");
  EXPECT_EQ(t.rows[0].cells, (Cells{"a", "b", "c"}));
  EXPECT_EQ(t.rows[1].cells, (Cells{"  x  ", "y", "z"}));  // unquoted cells stay as written
}

TEST(CsvReader, MultiLineCellsKeepLineNumbers) {
  const CsvTable t = read_csv(
      "id,notes\n"
      "1,\"first\nsecond\r\nthird\"\n"
      "2,plain\n"
      "\n"
      "3,\"x\ny\"\n"
      "4,z\n",
      "in.csv");
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[0].cells[1], "first\nsecond\nthird");
  EXPECT_EQ(t.rows[0].line, 2);
  EXPECT_EQ(t.rows[1].line, 5);
  EXPECT_EQ(t.rows[2].line, 7);
  EXPECT_EQ(t.rows[2].cells[1], "x\ny");
  EXPECT_EQ(t.rows[3].line, 9);
}

TEST(CsvReader, MultiLineHeaderName) {
  const CsvTable t = read_csv("\"long\nname\",b\n1,2\n", "in.csv");
  EXPECT_EQ(t.header[0], "long\nname");
  EXPECT_EQ(t.rows[0].line, 3);
}

TEST(CsvReader, CrLf) {
  const CsvTable t = read_csv("a,b\r\n1,2\r\n\r\n3,4\r\n", "in.csv");
  EXPECT_EQ(t.header, (Cells{"a", "b"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"1", "2"}));
  EXPECT_EQ(t.rows[1].cells, (Cells{"3", "4"}));
  EXPECT_EQ(t.rows[1].line, 4);
}

TEST(CsvReader, LoneCrEndsLines) {
  const CsvTable t = read_csv("a;b\r1;2\r3;4", "in.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1].cells, (Cells{"3", "4"}));
  EXPECT_EQ(t.rows[1].line, 3);
}

TEST(CsvReader, MissingFinalNewline) {
  const CsvTable t = read_csv("a,b\n1,2\n3,\"4\"", "in.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1].cells, (Cells{"3", "4"}));
  const CsvTable only_header = read_csv("a,b", "in.csv");
  EXPECT_EQ(only_header.header, (Cells{"a", "b"}));
  EXPECT_TRUE(only_header.rows.empty());
}

TEST(CsvReader, TrailingDelimiterMakesEmptyLastCell) {
  const CsvTable t = read_csv("a,b\n1,\n", "in.csv");
  EXPECT_EQ(t.rows[0].cells, (Cells{"1", ""}));
}

TEST(CsvReader, PadsShortRows) {
  const CsvTable t = read_csv("a;b;c\n1\n1;2\n\"\"\n", "in.csv");
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].cells, (Cells{"1", "", ""}));
  EXPECT_EQ(t.rows[1].cells, (Cells{"1", "2", ""}));
  EXPECT_EQ(t.rows[2].cells, (Cells{"", "", ""}));  // a quoted empty cell is not an empty line
}

TEST(CsvReader, SkipsOnlyTrulyEmptyLines) {
  const CsvTable t = read_csv("\n\na,b\n\n;\n \n\n", "in.csv");
  EXPECT_EQ(t.header, (Cells{"a", "b"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].cells, (Cells{";", ""}));
  EXPECT_EQ(t.rows[0].line, 5);
  EXPECT_EQ(t.rows[1].cells, (Cells{" ", ""}));
  EXPECT_EQ(t.rows[1].line, 6);
}

TEST(CsvReader, TrimsHeaderNamesButNotCells) {
  const CsvTable t = read_csv(" a ; \"b \" \n x ; y \n", "in.csv");
  EXPECT_EQ(t.header, (Cells{"a", "b"}));
  EXPECT_EQ(t.rows[0].cells, (Cells{" x ", " y "}));
}

TEST(CsvReaderErrors, UnterminatedQuote) {
  EXPECT_TRUE(fails_with("a,b\n1,2\n3,\"open\nmore\n",
                         "in.csv:3: ", "unterminated quoted field (opened on line 3"));
  EXPECT_TRUE(fails_with("a,\"b", "in.csv:1: ", "unterminated quoted field"));
}

TEST(CsvReaderErrors, UnexpectedQuoteInUnquotedField) {
  EXPECT_TRUE(fails_with("id,title\n1,ok\n2,12\" record\n",
                         "in.csv:3: ", "unexpected quote in unquoted field, column 2 (\"title\")"));
  EXPECT_TRUE(fails_with("a,b\"\n", "in.csv:1: ", "unexpected quote in unquoted field, column 2"));
}

TEST(CsvReaderErrors, TextAfterClosingQuote) {
  EXPECT_TRUE(fails_with("a;b;c\n1;2;3\n1;\"x\"y;3\n",
                         "in.csv:3: ", "unexpected text after closing quote, column 2 (\"b\")"));
}

TEST(CsvReaderErrors, ErrorLineAfterMultiLineCell) {
  EXPECT_TRUE(fails_with("a,b\n1,\"x\n\ny\"\n2,a\"b\n", "in.csv:5: ", "unexpected quote"));
}

TEST(CsvReaderErrors, TooManyCells) {
  EXPECT_TRUE(fails_with("a,b\n1,2\n1,2,3,4\n",
                         "in.csv:3: ", "record has 4 cells but the header has 2 columns"));
  EXPECT_TRUE(
      fails_with("a\n1,2\n", "in.csv:2: ", "record has 2 cells but the header has 1 column"));
}

TEST(CsvReaderErrors, EmptyHeader) {
  EXPECT_TRUE(fails_with("", "in.csv:1: ", "empty header"));
  EXPECT_TRUE(fails_with("\xef\xbb\xbf\r\n\n", "in.csv:1: ", "empty header"));
  EXPECT_TRUE(fails_with("\n\na,,c\n", "in.csv:3: ", "column 2 has no name"));
  EXPECT_TRUE(fails_with("a;b; \n", "in.csv:1: ", "column 3 has no name"));
}

TEST(CsvReaderErrors, DuplicateColumn) {
  EXPECT_TRUE(fails_with("id,title,a,b, title\n",
                         "in.csv:1: ", "duplicate column \"title\" (columns 2 and 5)"));
}

TEST(CsvReaderErrors, NulByte) {
  EXPECT_TRUE(fails_with(std::string_view("a,b\n1,2\n3,x\0y\n", 14), "in.csv:3: ", "NUL byte"));
  EXPECT_TRUE(fails_with(std::string_view("a,b\n1,\"x\ny\0\"\n", 13), "in.csv:3: ", "NUL byte"));
  EXPECT_TRUE(fails_with(std::string_view("a,b\n\"x\" \0\n", 10), "in.csv:2: ", "NUL byte"));
  EXPECT_TRUE(fails_with(std::string_view("\0", 1), "in.csv:1: ", "NUL byte"));
}

TEST(CsvReaderLimits, CellBytes) {
  CsvLimits limits;
  limits.max_cell_bytes = 5;
  EXPECT_EQ(read_csv("id,notes\n1,abcde\n2,\"a\"\"cde\"\n", "in.csv", limits).rows.size(), 2u);
  EXPECT_TRUE(fails_with("id,notes\n1,abcde\n2,abcdef\n",
                         "in.csv:3: ", "cell in column \"notes\" is longer than 5 bytes", limits));
  EXPECT_TRUE(fails_with("id,notes\n1,\"abc\"\"de\"\n",
                         "in.csv:2: ", "cell in column \"notes\" is longer than 5 bytes", limits));
  EXPECT_TRUE(fails_with("id,notes\n1,\"abcde\n\"\n",
                         "in.csv:2: ", "cell in column \"notes\" is longer than 5 bytes", limits));
  EXPECT_TRUE(
      fails_with("id,abcdefgh\n", "in.csv:1: ", "name of column 2 is longer than 5 bytes", limits));
}

TEST(CsvReaderLimits, DefaultCellLimitIsOneMebibyte) {
  const std::string big(1 << 20, 'x');
  EXPECT_EQ(read_csv("notes\n" + big + "\n", "in.csv").rows[0].cells[0].size(), big.size());
  EXPECT_TRUE(fails_with("notes\n" + big + "y\n",
                         "in.csv:2: ", "cell in column \"notes\" is longer than 1048576 bytes"));
}

TEST(CsvReaderLimits, Columns) {
  std::string header = "c1";
  for (int i = 2; i <= 256; ++i) header += ",c" + std::to_string(i);
  EXPECT_EQ(read_csv(header + "\n", "in.csv").header.size(), 256u);
  EXPECT_TRUE(fails_with(header + ",c257\n", "in.csv:1: ", "more than 256 columns"));
  // A huge run of delimiters is counted, not stored.
  EXPECT_TRUE(fails_with(std::string(1'000'000, ','), "in.csv:1: ", "more than 256 columns"));
  EXPECT_TRUE(fails_with("a\n" + std::string(1'000'000, ','),
                         "in.csv:2: ", "record has 1000001 cells but the header has 1 column"));
}

TEST(CsvReaderLimits, Rows) {
  CsvLimits limits;
  limits.max_rows = 2;
  EXPECT_EQ(read_csv("a\n1\n2\n\n", "in.csv", limits).rows.size(), 2u);
  EXPECT_TRUE(fails_with("a\n1\n2\n\n3\n", "in.csv:5: ", "more than 2 rows", limits));
}

TEST(CsvReader, LargeFileIsLinear) {
  std::string text = "id;title;notes\n";
  for (int i = 0; i < 200'000; ++i)
    text += std::to_string(i) + ";Akte \xc3\xbc" + std::to_string(i) + ";\"a \"\"b\"\"\nc\"\n";
  const CsvTable t = read_csv(text, "in.csv");
  ASSERT_EQ(t.rows.size(), 200'000u);
  EXPECT_EQ(t.rows.back().line, 2 + 2 * 199'999);
  EXPECT_EQ(t.rows.back().cells[2], "a \"b\"\nc");
}

}  // namespace
}  // namespace findbuch
