#include "pipeline/extract/sentence_scorer.h"

#include <cctype>

#include "base/text.h"

namespace novelta {

std::string NormalizeSectionHeading(std::string_view heading) {
  std::string lower = ToLowerAscii(CollapseWhitespace(Trim(heading)));
  size_t k = 0;
  while (k < lower.size() && (std::isdigit(static_cast<unsigned char>(lower[k])) || lower[k] == '.' ||
                              lower[k] == ' '))
    ++k;
  if (k == 0) {  // roman numerals: "iv. results"
    size_t r = 0;
    while (r < lower.size() && (lower[r] == 'i' || lower[r] == 'v' || lower[r] == 'x')) ++r;
    if (r > 0 && r + 1 < lower.size() && lower[r] == '.' && lower[r + 1] == ' ') k = r + 2;
  }
  return lower.substr(k);
}

}  // namespace novelta
