// Internal to the review reader: the byte-level text helpers that its parts
// (named_works.cc, reference_resolution.cc, review_reader.cc) share. Reviews
// and references lists are scanned byte by byte; these helpers are ASCII-only
// on purpose (a byte >= 0x80, part of a UTF-8 letter, counts as a word byte)
// so that every scanner splits words the same way.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_ALIGNMENT_REVIEW_TEXT_H_
#define NOVELTA_ALIGNMENT_REVIEW_TEXT_H_

#include <cstddef>
#include <string_view>
#include <vector>

namespace novelta::alignment::review_internal {

inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// Letters, digits, '-', '\'' and any non-ASCII byte.
inline bool IsWordByte(char c) {
  return IsUpper(c) || IsLower(c) || IsDigit(c) || c == '-' || c == '\'' ||
         (static_cast<unsigned char>(c) >= 0x80);
}

// A line of a text: bytes [start, end), end at the '\n' or the end of the text.
struct Line {
  size_t start;
  size_t end;
};
// Every line, including empty ones and an empty last line after a final '\n'.
std::vector<Line> SplitLines(std::string_view s);

// The year 1950-2029 written as four digits at s[i] (not part of a longer
// number or of an arXiv id such as "2402.09477"); 0 when none.
int ParseYearAt(std::string_view s, size_t i);

}  // namespace novelta::alignment::review_internal

#endif  // NOVELTA_ALIGNMENT_REVIEW_TEXT_H_
