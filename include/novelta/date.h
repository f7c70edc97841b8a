// Date: a calendar date known to the day, the month or only the year, and the
// rule that decides whether a work counts as prior to a submission.
//
// Thread-safety: plain values.
#ifndef NOVELTA_DATE_H_
#define NOVELTA_DATE_H_

#include <string>
#include <string_view>

#include "novelta/status.h"

namespace novelta {

// A calendar date, possibly known only to the month or year (0 = unknown part).
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  bool known() const { return year > 0; }
  // Accepts "2025-05-15", "2025-05", "2025"; the empty string gives an unknown date.
  static StatusOr<Date> Parse(std::string_view text);
  static Date Year(int year) { return Date{year, 0, 0}; }
  // "2025-05-15", "2025-05", "2025", or "" when unknown.
  std::string ToString() const;
  bool operator==(const Date& o) const { return year == o.year && month == o.month && day == o.day; }
};

// True when a work dated `work` counts as prior to a submission dated `submission`.
// Parts that are unknown on either side are resolved conservatively: a work
// from the submission's own year (or month) whose exact date is unknown is NOT
// prior. A work with no date at all is not prior; with no submission date,
// every dated work is.
bool IsPrior(const Date& work, const Date& submission);

}  // namespace novelta

#endif  // NOVELTA_DATE_H_
