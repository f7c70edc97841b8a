#include "novelta/date.h"

#include <cstdio>
#include <string>

namespace novelta {

StatusOr<Date> Date::Parse(std::string_view text) {
  Date d;
  if (text.empty()) return d;
  int y = 0, m = 0, day = 0;
  char tail = 0;
  std::string s(text.substr(0, 32));
  int n = 0;
  if (s.size() >= 10 && std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &day, &tail) >= 3 &&
      (s.size() == 10 || s[10] == 'T' || s[10] == ' ')) {
    n = 3;
  } else if (s.size() == 7 && std::sscanf(s.c_str(), "%4d-%2d%c", &y, &m, &tail) == 2) {
    n = 2;
  } else if (s.size() == 4 && std::sscanf(s.c_str(), "%4d%c", &y, &tail) == 1) {
    n = 1;
  }
  if (n == 0 || y < 1000 || y > 9999 || (n >= 2 && (m < 1 || m > 12)) ||
      (n == 3 && (day < 1 || day > 31)))
    return Status::InvalidArgument("invalid date '" + std::string(text) +
                                   "' (expected YYYY-MM-DD, YYYY-MM or YYYY)");
  d.year = y;
  d.month = n >= 2 ? m : 0;
  d.day = n == 3 ? day : 0;
  return d;
}

std::string Date::ToString() const {
  if (!known()) return "";
  char buf[48];
  if (day > 0) std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", year, month, day);
  else if (month > 0) std::snprintf(buf, sizeof(buf), "%04d-%02d", year, month);
  else std::snprintf(buf, sizeof(buf), "%04d", year);
  return buf;
}

bool IsPrior(const Date& work, const Date& submission) {
  if (!work.known()) return false;
  if (!submission.known()) return true;
  if (work.year != submission.year) return work.year < submission.year;
  if (work.month == 0 || submission.month == 0) return false;
  if (work.month != submission.month) return work.month < submission.month;
  if (work.day == 0 || submission.day == 0) return false;
  return work.day < submission.day;
}

}  // namespace novelta
