#include "alignment/review_text.h"

namespace novelta::alignment::review_internal {

std::vector<Line> SplitLines(std::string_view s) {
  std::vector<Line> lines;
  size_t b = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '\n') {
      lines.push_back({b, i});
      b = i + 1;
    }
  }
  return lines;
}

int ParseYearAt(std::string_view s, size_t i) {
  if (i + 4 > s.size()) return 0;
  for (size_t k = i; k < i + 4; ++k)
    if (!IsDigit(s[k])) return 0;
  if (i > 0 && (IsDigit(s[i - 1]) || s[i - 1] == '.')) return 0;
  if (i + 4 < s.size()) {
    char n = s[i + 4];
    if (IsDigit(n)) return 0;
    if (n == '.' && i + 5 < s.size() && IsDigit(s[i + 5])) return 0;  // arXiv id
  }
  int y = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
  return (y >= 1950 && y <= 2029) ? y : 0;
}

}  // namespace novelta::alignment::review_internal
