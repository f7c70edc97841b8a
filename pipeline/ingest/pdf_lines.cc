// Step 1 of reading a PDF's layout (pdf_layout.h): words to lines in reading
// order, with the page furniture (line numbers, running headers and footers,
// page numbers, rotated stamps) left out.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/text.h"
#include "pipeline/ingest/pdf_layout.h"

namespace novelta {
namespace ingest_internal {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool IsPageNumber(std::string_view s) {
  std::string lower = ToLowerAscii(Trim(s));
  if (AllDigits(lower) && lower.size() <= 4) return true;
  if (!lower.empty() && lower.size() <= 5 && lower.find_first_not_of("ivxl") == std::string::npos) return true;
  if (StartsWith(lower, "page ") && lower.size() < 20) return true;
  if (lower.size() >= 3 && lower.front() == '-' && lower.back() == '-') return AllDigits(Trim(lower.substr(1, lower.size() - 2)));
  return false;
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// Glyph runs the library reports as separate words although nothing
// separates them on the page: small capitals ("R" + "EFERENCES"), or a font
// change inside a word. Rotated words and empty boxes are dropped.
std::vector<PdfWord> MergeGlyphRuns(const std::vector<PdfWord>& words) {
  std::vector<PdfWord> out;
  out.reserve(words.size());
  for (const PdfWord& w : words) {
    if (w.rotation != 0 || Trim(w.text).empty() || !(w.x1 >= w.x0) || !(w.y1 >= w.y0)) continue;
    if (!(w.size > 0) || !std::isfinite(w.x0 + w.x1 + w.y0 + w.y1 + w.size)) continue;
    if (!out.empty()) {
      PdfWord& a = out.back();
      const double s = std::max(a.size, w.size);
      const double gap = w.x0 - a.x1;
      if (std::fabs(a.y1 - w.y1) < 0.3 * s && gap > -0.25 * s && gap < 0.12 * s) {
        a.text += w.text;
        a.x1 = std::max(a.x1, w.x1);
        a.y0 = std::min(a.y0, w.y0);
        a.y1 = std::max(a.y1, w.y1);
        a.size = s;
        a.bold = a.bold && w.bold;
        continue;
      }
    }
    out.push_back(w);
  }
  return out;
}

// Review-copy line numbers: numbers outside the horizontal extent of the text.
void DropMarginNumbers(std::vector<PdfWord>* words) {
  std::vector<double> lefts, rights;
  for (const PdfWord& w : *words) {
    if (AllDigits(w.text)) continue;
    lefts.push_back(w.x0);
    rights.push_back(w.x1);
  }
  if (lefts.size() < 20) return;
  const double left = Percentile(lefts, 0.02), right = Percentile(rights, 0.98);
  words->erase(std::remove_if(words->begin(), words->end(),
                              [&](const PdfWord& w) {
                                return AllDigits(w.text) && (w.x1 < left - 1 || w.x0 > right + 1);
                              }),
               words->end());
}

struct Fragment {
  std::vector<PdfWord> words;  // left to right
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  int side = 0;  // -1 left half, 1 right half, 0 across the middle
  size_t row = 0;  // fragments of one row share it
};

void AddWord(Fragment* f, PdfWord w) {
  if (f->words.empty()) {
    f->x0 = w.x0, f->y0 = w.y0, f->x1 = w.x1, f->y1 = w.y1;
  } else {
    f->x0 = std::min(f->x0, w.x0), f->y0 = std::min(f->y0, w.y0);
    f->x1 = std::max(f->x1, w.x1), f->y1 = std::max(f->y1, w.y1);
  }
  f->words.push_back(std::move(w));
}

// Words on one baseline, cut where a wide gap (a column gutter, a table's
// cell boundary, an equation number) separates them.
std::vector<Fragment> RowsToFragments(std::vector<PdfWord> words, double width) {
  std::sort(words.begin(), words.end(), [](const PdfWord& a, const PdfWord& b) {
    return a.y0 + a.y1 < b.y0 + b.y1 || (a.y0 + a.y1 == b.y0 + b.y1 && a.x0 < b.x0);
  });
  std::vector<std::vector<PdfWord>> rows;
  PdfWord main;  // the largest word of the open row
  for (PdfWord& w : words) {
    bool joins = false;
    if (!rows.empty()) {
      const double overlap = std::min(main.y1, w.y1) - std::max(main.y0, w.y0);
      joins = overlap >= 0.5 * std::min(main.y1 - main.y0, w.y1 - w.y0);
    }
    if (!joins) {
      rows.emplace_back();
      main = w;
    } else if (w.size > main.size) {
      main = w;
    }
    rows.back().push_back(std::move(w));
  }
  const double mid = width / 2;
  std::vector<Fragment> out;
  for (size_t r = 0; r < rows.size(); ++r) {
    auto& row = rows[r];
    std::sort(row.begin(), row.end(), [](const PdfWord& a, const PdfWord& b) { return a.x0 < b.x0; });
    Fragment f;
    f.row = r;
    for (PdfWord& w : row) {
      if (!f.words.empty()) {
        const double gap = w.x0 - f.x1, s = std::max(w.size, f.words.back().size);
        const bool gutter = gap > 0.8 * s && f.x1 < mid + 0.02 * width && w.x0 > mid - 0.02 * width;
        if (gap > 3 * s || gutter) {
          out.push_back(std::move(f));
          f = Fragment();
          f.row = r;
        }
      }
      AddWord(&f, std::move(w));
    }
    if (!f.words.empty()) out.push_back(std::move(f));
  }
  for (Fragment& f : out) f.side = f.x1 <= mid + 2 ? -1 : (f.x0 >= mid - 2 ? 1 : 0);
  return out;
}

std::string FragmentText(const Fragment& f) {
  std::string text;
  for (const PdfWord& w : f.words) {
    if (!text.empty()) text += ' ';
    text += w.text;
  }
  return text;
}

// The text of a page's first or last row with its digits removed, so that a
// running header or footer is the same key on every page.
std::string FurnitureKey(const Fragment& f) {
  std::string key;
  for (char c : ToLowerAscii(FragmentText(f)))
    if (!(c >= '0' && c <= '9')) key += c;
  return CollapseWhitespace(key);
}

// The fragments of a page's first and last rows; `in_band` says whether each
// lies in the top or bottom sixth of the page, where running heads sit.
std::vector<size_t> EdgeFragments(const std::vector<Fragment>& frags, double height, std::vector<bool>* in_band) {
  std::vector<size_t> out;
  in_band->clear();
  if (frags.empty()) return out;
  double top = frags[0].y0, bottom = frags[0].y1;
  for (const Fragment& f : frags) top = std::min(top, f.y0), bottom = std::max(bottom, f.y1);
  for (size_t i = 0; i < frags.size(); ++i) {
    const Fragment& f = frags[i];
    const bool first_row = f.y0 < top + 3, last_row = f.y1 > bottom - 3;
    if (!first_row && !last_row) continue;
    out.push_back(i);
    in_band->push_back((first_row && f.y1 < height / 6) || (last_row && f.y0 > height * 5 / 6));
  }
  return out;
}

// Drops page numbers, and running headers and footers: edge rows whose text
// (digits aside) repeats on at least half the pages.
void DropPageFurniture(std::vector<std::vector<Fragment>>* pages, const std::vector<PdfPageWords>& src) {
  std::map<std::string, int> pages_with;
  std::vector<std::vector<size_t>> edges(pages->size());
  std::vector<std::vector<bool>> in_band(pages->size());
  for (size_t p = 0; p < pages->size(); ++p) {
    edges[p] = EdgeFragments((*pages)[p], src[p].height, &in_band[p]);
    std::set<std::string> keys;
    for (size_t k = 0; k < edges[p].size(); ++k)
      if (in_band[p][k]) keys.insert(FurnitureKey((*pages)[p][edges[p][k]]));
    for (const std::string& key : keys) ++pages_with[key];
  }
  const int n = static_cast<int>(pages->size());
  for (size_t p = 0; p < pages->size(); ++p) {
    std::vector<Fragment>& frags = (*pages)[p];
    std::vector<bool> drop(frags.size(), false);
    // A page that is one row has no header: that row is its text.
    std::set<size_t> rows;
    for (const Fragment& f : frags) rows.insert(f.row);
    for (size_t k = 0; k < edges[p].size(); ++k) {
      const Fragment& f = frags[edges[p][k]];
      const int count = in_band[p][k] && rows.size() > 1 ? pages_with[FurnitureKey(f)] : 0;
      if (IsPageNumber(FragmentText(f)) || (n >= 2 && count >= 2 && 2 * count >= n)) drop[edges[p][k]] = true;
    }
    std::vector<Fragment> kept;
    for (size_t i = 0; i < frags.size(); ++i)
      if (!drop[i]) kept.push_back(std::move(frags[i]));
    frags = std::move(kept);
  }
}

// The size most characters have, and whether every word is bold.
PdfLine MakeLine(const Fragment& f, int page, int column) {
  PdfLine line;
  line.text = FragmentText(f);
  line.x0 = f.x0, line.y0 = f.y0, line.x1 = f.x1, line.y1 = f.y1;
  line.page = page;
  line.column = column;
  std::map<long, size_t> chars_at;
  bool bold = true;
  for (const PdfWord& w : f.words) {
    chars_at[std::lround(w.size * 10)] += w.text.size();
    line.max_size = std::max(line.max_size, w.size);
    bool letters = false;
    for (char c : w.text) letters = letters || std::isalpha(static_cast<unsigned char>(c));
    if (letters && !w.bold) bold = false;
  }
  size_t best = 0;
  for (const auto& [size, chars] : chars_at)
    if (chars > best) best = chars, line.size = static_cast<double>(size) / 10;
  line.bold = bold;
  return line;
}

// Reading order of one page. A page is read as two columns when both halves
// hold many lines; spanning lines (a title block, a wide figure) cut it into
// bands read one after another, left column before right in each.
void OrderPage(std::vector<Fragment> frags, int page, std::vector<PdfLine>* out) {
  size_t left = 0, right = 0;
  for (const Fragment& f : frags) left += f.side < 0, right += f.side > 0;
  const bool two_columns = left >= 5 && right >= 5 && 4 * right >= frags.size() && 4 * left >= frags.size();
  std::stable_sort(frags.begin(), frags.end(), [](const Fragment& a, const Fragment& b) {
    return a.y0 + a.y1 < b.y0 + b.y1 - 1 || (std::fabs(a.y0 + a.y1 - b.y0 - b.y1) <= 1 && a.x0 < b.x0);
  });
  auto extent = [&](int side, double* lo, double* hi) {
    std::vector<double> l, r;
    for (const Fragment& f : frags)
      if (!two_columns || f.side == side) l.push_back(f.x0), r.push_back(f.x1);
    *lo = Percentile(l, 0.05), *hi = Percentile(r, 0.95);
  };
  double l0, l1, r0, r1;
  extent(-1, &l0, &l1);
  extent(1, &r0, &r1);
  auto emit = [&](const Fragment& f, int column) {
    PdfLine line = MakeLine(f, page, column);
    line.column_left = column == 1 ? r0 : l0;
    line.column_right = column == 1 ? r1 : (two_columns && f.side < 0 ? l1 : std::max(l1, r1));
    out->push_back(std::move(line));
  };
  if (!two_columns) {
    // One column: a row is one line again, whatever gaps cut it.
    std::vector<Fragment> rows;
    std::map<size_t, size_t> at;
    for (Fragment& f : frags) {
      auto [it, added] = at.emplace(f.row, rows.size());
      if (added) {
        rows.push_back(std::move(f));
        continue;
      }
      for (PdfWord& w : f.words) AddWord(&rows[it->second], std::move(w));
    }
    for (Fragment& f : rows) {
      std::sort(f.words.begin(), f.words.end(), [](const PdfWord& a, const PdfWord& b) { return a.x0 < b.x0; });
      emit(f, 0);
    }
    return;
  }
  std::vector<const Fragment*> band_left, band_right;
  auto flush = [&] {
    for (const Fragment* f : band_left) emit(*f, 0);
    for (const Fragment* f : band_right) emit(*f, 1);
    band_left.clear();
    band_right.clear();
  };
  for (const Fragment& f : frags) {
    if (f.side == 0) {
      flush();
      emit(f, 0);
    } else {
      (f.side < 0 ? band_left : band_right).push_back(&f);
    }
  }
  flush();
}

}  // namespace

std::vector<PdfLine> OrderLines(const std::vector<PdfPageWords>& pages) {
  std::vector<std::vector<Fragment>> frags(pages.size());
  for (size_t p = 0; p < pages.size(); ++p) {
    std::vector<PdfWord> words = MergeGlyphRuns(pages[p].words);
    DropMarginNumbers(&words);
    frags[p] = RowsToFragments(std::move(words), pages[p].width);
  }
  DropPageFurniture(&frags, pages);
  std::vector<PdfLine> lines;
  for (size_t p = 0; p < pages.size(); ++p) OrderPage(std::move(frags[p]), static_cast<int>(p), &lines);
  return lines;
}

}  // namespace ingest_internal
}  // namespace novelta
