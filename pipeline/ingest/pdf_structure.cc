// Step 2 of reading a PDF's layout (pdf_layout.h): lines in reading order to
// the paper's Markdown — title, abstract, headings, paragraphs, references.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/text.h"
#include "pipeline/ingest/pdf_layout.h"

namespace novelta {
namespace ingest_internal {
namespace {

bool IsLower(unsigned char c) { return c >= 'a' && c <= 'z'; }

// The size of the body text: the size most characters have.
double BodySize(const std::vector<PdfLine>& lines) {
  std::map<long, size_t> chars_at;
  for (const PdfLine& l : lines) chars_at[std::lround(l.size * 2)] += l.text.size();
  size_t best = 0;
  double size = 10;
  for (const auto& [half_points, chars] : chars_at)
    if (chars > best) best = chars, size = static_cast<double>(half_points) / 2;
  return size;
}

const std::regex& NumberedHeading() {
  // "3", "3.1", "3.1.2", "3." "A", "B.1", "IV." then a title starting with a letter.
  static const std::regex re(R"(^((\d{1,2}(\.\d{1,2}){0,3}\.?)|([A-Z](\.\d{1,2}){0,3}\.?)|([IVX]{1,5}\.))\s+\S.*$)");
  return re;
}

// The heading's level from its number: "3" and "A" 1, "3.1" and "B.1" 2, ...
int HeadingLevel(std::string_view text) {
  if (!std::regex_match(text.begin(), text.end(), NumberedHeading())) return 1;
  std::string_view number = text.substr(0, text.find(' '));
  while (!number.empty() && number.back() == '.') number.remove_suffix(1);
  return 1 + static_cast<int>(std::count(number.begin(), number.end(), '.'));
}

bool KnownSectionName(std::string_view text) {
  std::string t = ToLowerAscii(Trim(text));
  while (!t.empty() && (t.back() == '.' || t.back() == ':')) t.pop_back();
  static const char* const kNames[] = {
      "abstract", "introduction", "references", "bibliography", "acknowledgements", "acknowledgments",
      "acknowledgement", "acknowledgment", "appendix", "appendices", "conclusion", "conclusions",
      "related work", "related works", "limitations", "discussion", "broader impact", "broader impacts",
      "supplementary material", "neurips paper checklist", "ethics statement", "reproducibility statement"};
  for (const char* name : kNames)
    if (t == name) return true;
  return false;
}

bool IsReferencesName(std::string_view text) {
  std::string t = ToLowerAscii(Trim(text));
  while (!t.empty() && (t.back() == '.' || t.back() == ':')) t.pop_back();
  std::smatch m;
  if (std::regex_match(t, m, NumberedHeading())) t = t.substr(t.find(' ') + 1);
  return t == "references" || t == "bibliography" || t == "literature cited" || t == "reference";
}

size_t WordCount(std::string_view s) {
  size_t n = 0;
  bool in = false;
  for (char c : s) {
    bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

// Letters all capitals, at least three of them: "RELATED WORK".
bool IsUpperText(std::string_view t) {
  size_t upper = 0;
  for (char c : t) {
    if (IsLower(static_cast<unsigned char>(c))) return false;
    upper += c >= 'A' && c <= 'Z';
  }
  return upper >= 3;
}

// A line set larger or bold that reads as a section heading.
bool IsHeading(const PdfLine& l, double body) {
  std::string_view t = Trim(l.text);
  if (t.empty() || t.size() > 120 || WordCount(t) > 14) return false;
  if (t.back() == ',' || t.back() == ';') return false;
  const bool larger = l.max_size >= body + 0.9;
  if (!larger && !l.bold) return false;
  if (KnownSectionName(t)) return true;
  if (l.bold && StartsWith(t, "Algorithm ") && t.size() > 10 && std::isdigit(static_cast<unsigned char>(t[10])))
    return true;
  if (std::regex_match(t.begin(), t.end(), NumberedHeading())) {
    // "3 Method" but not "2 4 6 8" (a table row) or "1 We ..." in a bold sentence
    size_t letters = 0;
    for (char c : t) letters += std::isalpha(static_cast<unsigned char>(c)) != 0;
    return letters >= 3 && t.back() != '.';
  }
  // Unnumbered: set larger throughout, or in capitals (small capitals have
  // only their initials larger).
  return t.back() != '.' && (l.size >= body + 0.9 || IsUpperText(t));
}

bool LooksLikeDateOrVenue(std::string_view text) {
  static const std::regex date(
      R"((january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2},?\s+\d{4}|\b\d{4}-\d{2}-\d{2}\b)");
  std::string t = ToLowerAscii(text);
  if (std::regex_search(t, date) && WordCount(t) <= 6) return true;
  for (const char* venue : {"under review", "conference", "proceedings", "preprint", "arxiv", "workshop",
                            "published as", "submitted to", "journal of", "copyright", "licensed under"})
    if (t.find(venue) != std::string::npos) return true;
  return false;
}

// Marks an end-of-line hyphen until the whole text is known
// (ResolveHyphens): "experi-" + "ments" is one word, "parameter-" +
// "efficient" keeps its hyphen. Before a lower-case letter the hyphen goes
// unless the text shows otherwise; before a capital it stays ("Allen-Zhu").
constexpr char kSoftBreak = '\x01';
constexpr char kHardBreak = '\x02';

// Joins a line to the text before it: with a space, or with none after an
// end-of-line hyphen.
void AppendLine(std::string* out, std::string_view line) {
  line = Trim(line);
  if (line.empty()) return;
  if (out->empty()) {
    *out = std::string(line);
    return;
  }
  const size_t n = out->size();
  if (n >= 2 && (*out)[n - 1] == '-' && std::isalpha(static_cast<unsigned char>((*out)[n - 2]))) {
    if (std::isalpha(static_cast<unsigned char>(line[0])))
      *out += IsLower(static_cast<unsigned char>(line[0])) ? kSoftBreak : kHardBreak;
    *out += line;
    return;
  }
  *out += ' ';
  *out += line;
}

bool IsWordByte(char c) { return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; }

// Decides each marked hyphen: kept when the text elsewhere writes the word
// with its hyphen ("low-rank"), dropped when it writes it without
// ("AdaptFormer"), else as the mark says.
std::string ResolveHyphens(std::string text) {
  if (text.find(kSoftBreak) == std::string::npos && text.find(kHardBreak) == std::string::npos) return text;
  std::set<std::string> hyphenated, whole;
  for (size_t i = 0; i < text.size();) {
    if (!IsWordByte(text[i])) {
      ++i;
      continue;
    }
    size_t b = i;
    while (b < text.size() && (IsWordByte(text[b]) || (text[b] == '-' && b + 1 < text.size() && IsWordByte(text[b + 1]))))
      ++b;
    const std::string word = ToLowerAscii(text.substr(i, b - i));
    (word.find('-') != std::string::npos ? hyphenated : whole).insert(word);
    i = b;
  }
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != kSoftBreak && c != kHardBreak) {
      out += c;
      continue;
    }
    if (out.empty() || out.back() != '-') continue;  // a control byte of the PDF's own: dropped
    size_t a = out.size() - 1;  // the hyphen
    while (a > 0 && IsWordByte(out[a - 1])) --a;
    size_t b = i + 1;
    while (b < text.size() && IsWordByte(text[b])) ++b;
    const std::string left = ToLowerAscii(out.substr(a, out.size() - 1 - a));
    const std::string right = ToLowerAscii(text.substr(i + 1, b - i - 1));
    bool keep = c == kHardBreak;
    if (hyphenated.count(left + "-" + right) > 0) keep = true;
    else if (whole.count(left + right) > 0) keep = false;
    if (!keep) out.pop_back();
  }
  return out;
}

// A reference list's label: "[12]", "[BNL+22]" or "12.", then the entry
// (or nothing, when TeX set the label apart).
const std::regex& ReferenceLabel() {
  static const std::regex re(R"(^(\[[A-Za-z+ ]{0,12}\d{1,4}[a-z]?\]|\d{1,4}\.)(\s.*)?$)");
  return re;
}

// The "Abstract" line above an abstract.
bool IsAbstractLine(std::string_view text) {
  const std::string t = ToLowerAscii(Trim(text));
  return t == "abstract" || t == "abstract." || t == "abstract:";
}

// The width of a line's first word, from the line's width per byte.
double FirstWordWidth(const PdfLine& l) {
  if (l.text.empty()) return 0;
  const size_t first_word = std::min(l.text.find(' '), l.text.size());
  return (l.x1 - l.x0) * static_cast<double>(first_word) / static_cast<double>(l.text.size());
}

bool IsCaptionStart(std::string_view t) {
  static const std::regex re(R"(^(Figure|Fig\.|Table|Algorithm|Listing)\s*\d+[.:]?(\s|$).*)");
  return std::regex_match(t.begin(), t.end(), re);
}

// Table cells, plot labels and equations: lines mostly of numbers and
// symbols rather than words.
bool LooksNonProse(std::string_view line) {
  // Citation lists ("[9, 17, 25,") are prose, however many numbers they hold.
  std::string t;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '[') {
      t += line[i];
      continue;
    }
    const size_t close = line.find(']', i);
    if (close == std::string_view::npos) break;
    i = close;
  }
  size_t tokens = 0, wordy = 0;
  for (const std::string& w : WordTokens(t)) {
    ++tokens;
    size_t letters = 0;
    for (char c : w) letters += std::isalpha(static_cast<unsigned char>(c)) != 0;
    if (letters >= 2 && letters * 2 >= w.size()) ++wordy;
  }
  const size_t raw = WordCount(t);
  return raw == 0 || wordy * 2 < raw || (tokens > 0 && wordy * 3 < tokens * 2 && raw <= 4);
}

struct Context {
  const std::vector<PdfLine>& lines;
  double body;
};

// A line whose text column is narrower than the text, centred: a display
// equation or figure text.
bool Centred(const PdfLine& l, double body) {
  const double left = l.x0 - l.column_left, right = l.column_right - l.x1;
  const double width = l.column_right - l.column_left;
  return left > 2 * body && right > 2 * body && std::fabs(left - right) < 0.1 * width &&
         (l.x1 - l.x0) < 0.6 * width;
}

// The length of a bullet starting a list item ("• ", "– "), else 0.
size_t ListMarkerLength(std::string_view t) {
  for (std::string_view bullet : {"\u2022 ", "\u25E6 ", "\u25AA ", "\u2013 ", "\u2023 ", "\u2219 "})
    if (StartsWith(t, bullet)) return bullet.size();
  return 0;
}

// Whether `cur` starts a new paragraph after `prev` in the same column: a
// change of size or weight, a vertical gap, an indented first line, or a
// previous line that ended where the current line's first word would have fit.
bool BreaksParagraph(const PdfLine& prev, const PdfLine& cur, const PdfLine* next, double body) {
  if (std::fabs(prev.size - cur.size) > 0.6 || prev.bold != cur.bold) return true;
  if (cur.y0 - prev.y1 > 0.75 * body) return true;
  const bool next_here = next != nullptr && next->page == cur.page && next->column == cur.column;
  double right = std::max(prev.x1, cur.x1);
  if (next_here) right = std::max(right, next->x1);
  if (prev.x1 + FirstWordWidth(cur) + 0.5 * body < right) return true;
  if (ListMarkerLength(cur.text) > 0) return true;
  // An indented first line; the lines of a list item hang under its marker.
  return cur.x0 > prev.x0 + 0.7 * body && ListMarkerLength(prev.text) == 0;
}

struct Paper {
  std::string title;
  size_t body_from = 0;     // first line after the front matter
  bool abstract_heading = false;
};

// The title: the largest text in the upper part of page one, not a date, a
// venue line or a stamp; consecutive lines of that size join it. The front
// matter (title, authors) ends at the abstract heading, or at the first
// heading or long paragraph when there is none.
Paper FindFrontMatter(const Context& c) {
  Paper p;
  const auto& lines = c.lines;
  double best = 0;
  size_t at = lines.size(), first = lines.size();
  double page_top = 1e9, page_bottom = 0;
  for (const PdfLine& l : lines)
    if (l.page == 0) page_top = std::min(page_top, l.y0), page_bottom = std::max(page_bottom, l.y1);
  const double upper = page_top + 0.5 * (page_bottom - page_top);
  for (size_t i = 0; i < lines.size() && lines[i].page == 0; ++i) {
    const PdfLine& l = lines[i];
    if (l.y0 > upper || LooksLikeDateOrVenue(l.text) || WordCount(l.text) > 30) continue;
    // "1 Introduction" on a page without a title ("A Study of ..." may well be one).
    if (!l.text.empty() && std::isdigit(static_cast<unsigned char>(l.text[0])) &&
        std::regex_match(l.text, NumberedHeading()))
      continue;
    size_t letters = 0;
    for (char ch : l.text) letters += std::isalpha(static_cast<unsigned char>(ch)) != 0;
    if (letters < 4) continue;
    if (first == lines.size() && !IsAbstractLine(l.text)) first = i;
    if (l.max_size > best + 0.3) best = l.max_size, at = i;
  }
  // No title set apart by size: the first line of page one, as in plain text.
  if (at == lines.size() || best < c.body + 0.9) {
    if (first == lines.size()) return p;
    best = lines[first].max_size;
    at = first;
  }
  size_t i = at;
  p.title = std::string(Trim(lines[i].text));
  // The title's other lines: the same size, or, in small capitals, capitals
  // of the same size (a line of small words has no larger initials).
  auto goes_on = [&](const PdfLine& a, const PdfLine& b) {
    if (b.page != 0 || b.y0 - a.y1 >= 1.0 * best || LooksLikeDateOrVenue(b.text)) return false;
    if (std::fabs(b.max_size - best) < 0.3) return true;
    return IsUpperText(p.title) && IsUpperText(b.text) && b.max_size < a.max_size + 0.3 &&
           b.max_size > 0.7 * a.max_size;
  };
  while (i + 1 < lines.size() && goes_on(lines[i], lines[i + 1])) {
    ++i;
    AppendLine(&p.title, lines[i].text);
  }
  p.body_from = i + 1;
  // The abstract heading ends the front matter; without one, the first
  // numbered or well-known heading (author lines may be set larger).
  size_t first_heading = lines.size();
  for (size_t j = i + 1; j < lines.size() && lines[j].page <= 1; ++j) {
    if (IsAbstractLine(lines[j].text)) {
      p.body_from = j;
      p.abstract_heading = true;
      return p;
    }
    if (first_heading == lines.size() && IsHeading(lines[j], c.body) &&
        (KnownSectionName(lines[j].text) || std::regex_match(lines[j].text, NumberedHeading())))
      first_heading = j;
  }
  if (first_heading < lines.size()) p.body_from = first_heading;
  return p;
}

// One entry per reference: a new one at a "[12]" or "12." label, or, with a
// hanging indent, at each line that is not indented.
std::vector<std::string> SplitReferences(const std::vector<const PdfLine*>& lines, double body) {
  const std::regex& label = ReferenceLabel();
  size_t labelled = 0, indented = 0;
  for (const PdfLine* l : lines) {
    labelled += std::regex_match(l->text, label);
    indented += l->x0 > l->column_left + 0.7 * body;
  }
  const bool by_label = labelled * 8 >= lines.size() && labelled >= 3;
  const bool by_indent = !by_label && indented * 5 >= lines.size() && indented < lines.size();
  std::vector<std::string> entries;
  const PdfLine* prev = nullptr;
  long last_number = 0;
  for (const PdfLine* l : lines) {
    bool starts = entries.empty();
    if (by_label) {
      std::smatch m;
      if (std::regex_match(l->text, m, label)) {
        const std::string tag = m[1].str();
        if (tag[0] == '[') {
          starts = true;
        } else {
          // "12." labels count up; "2019. URL ..." continuing an entry is not one.
          const long n = std::atol(tag.c_str());
          if (entries.empty() || (n > last_number && n <= last_number + 2)) starts = true, last_number = n;
        }
      }
    } else if (by_indent) {
      starts = starts || l->x0 <= l->column_left + 0.7 * body;
    } else if (prev != nullptr) {
      starts = starts || BreaksParagraph(*prev, *l, nullptr, body) || prev->page != l->page ||
               prev->column != l->column;
    }
    if (starts) entries.emplace_back();
    AppendLine(&entries.back(), l->text);
    prev = l;
  }
  return entries;
}

// Writes the Markdown while walking the lines once. Paragraphs stay open
// across columns, pages, floats and footnotes; captions and footnotes met
// inside a paragraph are written after it.
class MarkdownWriter {
 public:
  explicit MarkdownWriter(const Context& c) : c_(c) {
    for (const PdfLine& l : c.lines) {
      if (std::fabs(l.size - c.body) >= 0.6) continue;
      double& y = last_body_y1_[{l.page, l.column}];
      y = std::max(y, l.y1);
    }
  }

  std::string Write(const Paper& paper) {
    if (!paper.title.empty()) out_ = "# " + paper.title + "\n\n";
    const auto& lines = c_.lines;
    for (size_t i = paper.body_from; i < lines.size(); ++i) {
      const PdfLine& l = lines[i];
      const PdfLine* next = i + 1 < lines.size() ? &lines[i + 1] : nullptr;
      if (IsAbstractLine(l.text) || IsHeading(l, c_.body)) {
        std::string text(Trim(l.text));
        // A heading too long for one line goes on in the same type on the next.
        while (i + 1 < lines.size() && WrapsOnto(lines[i], lines[i + 1], text)) AppendLine(&text, lines[++i].text);
        Heading(l, text);
      } else if (in_references_) {
        Reference(l);
      } else {
        Text(l, next);
      }
    }
    CloseSection();
    return std::move(out_);
  }

 private:

  // A float (a table or figure with its caption) placed among the
  // references is left out up to the next labelled entry or column.
  void Reference(const PdfLine& l) {
    if (IsCaptionStart(Trim(l.text))) {
      float_at_ = &l;
    } else if (float_at_ != nullptr) {
      const bool same_place = l.page == float_at_->page && l.column == float_at_->column;
      if (same_place && !std::regex_match(l.text, ReferenceLabel())) return;
      float_at_ = nullptr;
    }
    if (float_at_ == nullptr) references_.push_back(&l);
  }

  bool WrapsOnto(const PdfLine& a, const PdfLine& b, const std::string& so_far) const {
    if (a.page != b.page || a.column != b.column) return false;
    // It wrapped: the next line's first word would not have fitted on it.
    if (a.x1 + FirstWordWidth(b) < a.column_right - 0.5 * c_.body) return false;
    if (b.y0 - a.y1 > 0.6 * c_.body || b.bold != a.bold || WordCount(so_far) + WordCount(b.text) > 24) return false;
    if (std::regex_match(b.text, NumberedHeading()) || KnownSectionName(b.text)) return false;
    const bool same_type = std::fabs(a.max_size - b.max_size) < 0.3 && std::fabs(a.size - b.size) < 0.3;
    return same_type || (IsUpperText(so_far) && IsUpperText(b.text) && std::fabs(a.size - b.size) < 0.3);
  }

  void Heading(const PdfLine& l, std::string text) {
    CloseSection();
    in_abstract_ = IsAbstractLine(l.text);
    if (in_abstract_) text = "Abstract";
    out_ += std::string(static_cast<size_t>(std::min(HeadingLevel(text), 3) + 1), '#') + " " + text + "\n\n";
    in_references_ = IsReferencesName(text);
  }

  void Text(const PdfLine& l, const PdfLine* next) {
    const bool small = l.size <= c_.body - 0.9 && !in_abstract_;
    auto found = last_body_y1_.find({l.page, l.column});
    const bool below_body = found == last_body_y1_.end() || l.y0 > found->second;
    if (small && below_body) {
      if (l.page == 0 && LooksLikeDateOrVenue(l.text)) return;  // "Submitted to ... Do not distribute."
      return Aside(&footnote_, &footnote_prev_, l, next);
    }
    if (IsCaptionStart(Trim(l.text)) || (!caption_.empty() && Continues(caption_prev_, l, next))) {
      return Aside(&caption_, &caption_prev_, l, next);
    }
    FlushAside(&caption_, &caption_prev_);
    if (small || LooksNonProse(l.text) || Centred(l, c_.body)) return;  // figure, table or equation text
    if (!paragraph_.empty() && !Continues(prev_, l, next)) CloseParagraph();
    AppendLine(&paragraph_, l.text);
    prev_ = &l;
  }

  // Whether `l` goes on with the text whose last line is `prev`.
  bool Continues(const PdfLine* prev, const PdfLine& l, const PdfLine* next) const {
    if (prev == nullptr) return false;
    if (prev->page == l.page && prev->column == l.column) return !BreaksParagraph(*prev, l, next, c_.body);
    const bool full = prev->x1 >= prev->column_right - 1.5 * c_.body;
    const bool indented = l.x0 > l.column_left + 0.7 * c_.body;
    return full && !indented && std::fabs(prev->size - l.size) < 0.6;
  }

  // Footnotes and captions: collected on the side, written once the
  // paragraph they interrupt is closed.
  void Aside(std::string* text, const PdfLine** prev, const PdfLine& l, const PdfLine* next) {
    if (!text->empty() && !Continues(*prev, l, next)) FlushAside(text, prev);
    AppendLine(text, l.text);
    *prev = &l;
  }

  void FlushAside(std::string* text, const PdfLine** prev) {
    if (!text->empty() && (*text)[0] == '#') text->insert(0, "\\");
    if (!text->empty()) asides_.push_back(std::move(*text));
    text->clear();
    *prev = nullptr;
  }

  void CloseParagraph() {
    // A list item is written as Markdown's, as the paper's Markdown would have it.
    if (const size_t marker = ListMarkerLength(paragraph_); marker > 0) paragraph_ = "- " + paragraph_.substr(marker);
    if (!paragraph_.empty() && paragraph_[0] == '#') paragraph_.insert(0, "\\");  // text, not a Markdown heading
    if (!paragraph_.empty()) out_ += paragraph_ + "\n\n";
    paragraph_.clear();
    prev_ = nullptr;
    for (const std::string& a : asides_) out_ += a + "\n\n";
    asides_.clear();
  }

  void CloseSection() {
    FlushAside(&caption_, &caption_prev_);
    FlushAside(&footnote_, &footnote_prev_);
    CloseParagraph();
    if (!references_.empty()) {
      for (const std::string& e : SplitReferences(references_, c_.body)) out_ += "- " + e + "\n";
      out_ += "\n";
    }
    references_.clear();
    float_at_ = nullptr;
    in_references_ = false;
    in_abstract_ = false;
  }

  const Context& c_;
  std::map<std::pair<int, int>, double> last_body_y1_;  // per page and column
  std::string out_;
  std::string paragraph_, caption_, footnote_;
  const PdfLine* prev_ = nullptr;
  const PdfLine* caption_prev_ = nullptr;
  const PdfLine* footnote_prev_ = nullptr;
  std::vector<std::string> asides_;
  std::vector<const PdfLine*> references_;
  bool in_references_ = false;
  bool in_abstract_ = false;
  const PdfLine* float_at_ = nullptr;  // the caption of a float among the references
};

}  // namespace

bool HasTypography(const std::vector<PdfLine>& lines) {
  const double body = BodySize(lines);
  for (const PdfLine& l : lines) {
    if (l.max_size >= body + 0.9 || (l.bold && !LooksNonProse(l.text))) return true;
  }
  return false;
}

std::string LinesToPlainText(const std::vector<PdfLine>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      const PdfLine& a = lines[i - 1];
      const PdfLine& b = lines[i];
      const bool gap = b.page != a.page || b.column != a.column || b.y0 - a.y1 > 0.75 * std::max(a.size, b.size);
      out += gap ? "\n\n" : "\n";
    }
    out += lines[i].text;
  }
  return out;
}

std::string LinesToMarkdown(const std::vector<PdfLine>& lines, std::string* title) {
  Context c{lines, BodySize(lines)};
  Paper paper = FindFrontMatter(c);
  MarkdownWriter writer(c);
  std::string md = ResolveHyphens(writer.Write(paper));
  if (title != nullptr) *title = ResolveHyphens(paper.title);
  return md;
}

}  // namespace ingest_internal
}  // namespace novelta
