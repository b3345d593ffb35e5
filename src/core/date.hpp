#pragma once
// Calendar dates for Laufzeiten, life dates and protection periods. Proleptic Gregorian,
// years 1..9999; no time zones: archival dates are days.
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace findbuch {

struct Date {
  int year = 1;
  int month = 1;
  int day = 1;

  auto operator<=>(const Date&) const = default;

  /// The day before ("gesperrt bis" names the last closed day, the day before a unit opens).
  Date previous_day() const;

  /// "YYYY-MM-DD".
  std::string iso() const;
  /// The same day N years later (29 Feb becomes 28 Feb in non-leap years).
  Date plus_years(int years) const;
  Date next_day() const;

  static bool is_leap(int year);
  static int days_in_month(int year, int month);
  static bool valid(int year, int month, int day);
  /// Parses exactly "YYYY-MM-DD"; nullopt otherwise.
  static std::optional<Date> parse_iso(std::string_view text);
  /// Lenient life date / deadline: "YYYY", "YYYY-MM", "YYYY-MM-DD" or "DD.MM.YYYY". A partial
  /// date is widened to the last day of its year or month when `latest` is true (the cautious
  /// choice for protection periods), else to the first.
  static std::optional<Date> parse_lenient(std::string_view text, bool latest);
};

/// The current time in UTC as "YYYY-MM-DDThh:mm:ssZ" (audit log, ingest records); formatted
/// once per second, since a large import stamps many rows.
std::string utc_timestamp();

/// Today's date, injectable so that tests and `--today` can fix it (ARCHITECTURE.md example 7).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Date today() const = 0;
};

class SystemClock final : public Clock {
 public:
  Date today() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Date d) : date_(d) {}
  Date today() const override { return date_; }

 private:
  Date date_;
};

}  // namespace findbuch
