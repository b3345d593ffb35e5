#include "core/date.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace findbuch {

namespace {

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

// Reads text[pos, pos+count) as an unsigned decimal; false unless all are digits.
bool read_digits(std::string_view text, size_t pos, size_t count, int* out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

std::string_view trim_view(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string Date::iso() const {
  // By hand rather than snprintf: imports format two dates per unit.
  if (year < 0 || year > 9999 || month < 0 || month > 99 || day < 0 || day > 99) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    return buffer;
  }
  std::string out(10, '-');
  out[0] = static_cast<char>('0' + year / 1000);
  out[1] = static_cast<char>('0' + year / 100 % 10);
  out[2] = static_cast<char>('0' + year / 10 % 10);
  out[3] = static_cast<char>('0' + year % 10);
  out[5] = static_cast<char>('0' + month / 10);
  out[6] = static_cast<char>('0' + month % 10);
  out[8] = static_cast<char>('0' + day / 10);
  out[9] = static_cast<char>('0' + day % 10);
  return out;
}

Date Date::plus_years(int years) const {
  // Saturate instead of overflowing: a protection period ending after 9999 is "forever".
  const long long target = static_cast<long long>(year) + years;
  if (target > kMaxYear) return Date{kMaxYear, 12, 31};
  if (target < kMinYear) return Date{kMinYear, 1, 1};
  Date d{static_cast<int>(target), month, day};
  if (d.month == 2 && d.day == 29 && !is_leap(d.year)) d.day = 28;
  return d;
}

Date Date::next_day() const {
  Date d = *this;
  if (d.day < days_in_month(d.year, d.month)) {
    ++d.day;
  } else if (d.month < 12) {
    ++d.month;
    d.day = 1;
  } else {
    ++d.year;
    d.month = 1;
    d.day = 1;
  }
  return d;
}

bool Date::is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int Date::days_in_month(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && is_leap(year)) return 29;
  return kDays[month - 1];
}

bool Date::valid(int year, int month, int day) {
  return year >= kMinYear && year <= kMaxYear && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

std::optional<Date> Date::parse_iso(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!read_digits(text, 0, 4, &y) || !read_digits(text, 5, 2, &m) || !read_digits(text, 8, 2, &d))
    return std::nullopt;
  if (!valid(y, m, d)) return std::nullopt;
  return Date{y, m, d};
}

std::optional<Date> Date::parse_lenient(std::string_view text, bool latest) {
  text = trim_view(text);
  int y = 0, m = 0, d = 0;
  if (text.size() == 4) {
    if (!read_digits(text, 0, 4, &y) || !valid(y, 1, 1)) return std::nullopt;
    return latest ? Date{y, 12, 31} : Date{y, 1, 1};
  }
  if (text.size() == 7) {
    if (text[4] != '-' || !read_digits(text, 0, 4, &y) || !read_digits(text, 5, 2, &m) ||
        !valid(y, m, 1))
      return std::nullopt;
    return Date{y, m, latest ? days_in_month(y, m) : 1};
  }
  if (auto iso = parse_iso(text)) return iso;
  // "DD.MM.YYYY", tolerating one-digit day and month as people type them ("1.3.1901").
  const size_t dot1 = text.find('.');
  if (dot1 == std::string_view::npos || dot1 < 1 || dot1 > 2) return std::nullopt;
  const size_t dot2 = text.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || dot2 - dot1 - 1 < 1 || dot2 - dot1 - 1 > 2)
    return std::nullopt;
  if (text.size() != dot2 + 5) return std::nullopt;
  if (!read_digits(text, 0, dot1, &d) || !read_digits(text, dot1 + 1, dot2 - dot1 - 1, &m) ||
      !read_digits(text, dot2 + 1, 4, &y) || !valid(y, m, d))
    return std::nullopt;
  return Date{y, m, d};
}

Date SystemClock::today() const {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  // localtime_r is thread-safe, unlike std::localtime; the archive's "today" is its local day.
  if (localtime_r(&now, &local) == nullptr) return Date{1970, 1, 1};
  return Date{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

std::string utc_timestamp() {
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached;
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  if (t == cached_second) return cached;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  cached_second = t;
  cached = buf;
  return cached;
}

Date Date::previous_day() const {
  if (day > 1) return {year, month, day - 1};
  if (month > 1) return {year, month - 1, days_in_month(year, month - 1)};
  return {year - 1, 12, 31};
}

}  // namespace findbuch
