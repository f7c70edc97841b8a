// Section analysis shared by the Markdown, plain-text and PDF parsers.
//
// The text is split into lines; some lines are headings. Each heading gets a
// numbering ("2", "2.1", "II.", "A", none) and a kind (abstract, introduction,
// references, checklist, appendix, a figure/algorithm caption, a well-known
// section name, or other). The parts of the paper are then ranges between
// headings. Papers converted from PDF are messy (author names as headings,
// page numbers after heading text, typos such as "Introdcution"), so every
// rule below prefers a sensible fallback over giving up.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "base/text.h"
#include "pipeline/ingest/ingest.h"
#include "pipeline/ingest/paper_text.h"

namespace novelta {
namespace ingest_internal {
namespace {

struct Line {
  size_t begin;  // offset of the first byte
  size_t end;    // offset of the '\n' (or the end of the text)
};

enum class Numbering {
  kNone,
  kTopLevel,   // "2", "2.", "II", "II."
  kSub,        // "2.1", "2.1.3"
  kLetter,     // "A", "A." (appendix sections)
  kLetterSub,  // "A.1"
};

enum class Kind { kOther, kAbstract, kIntroduction, kReferences, kChecklist, kAppendix, kCaption, kMajor };

struct Heading {
  size_t line = 0;         // index into the line list
  TextRange display;       // the heading's text without '#', '**' or surrounding space
  Numbering numbering = Numbering::kNone;
  int number = 0;          // for kTopLevel
  std::string name;        // lower-case text after the number, page numbers and punctuation dropped
  Kind kind = Kind::kOther;
};

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// Trims white space off both ends of `r`.
TextRange TrimRange(std::string_view text, TextRange r) {
  while (r.begin < r.end && IsSpace(text[r.begin])) ++r.begin;
  while (r.end > r.begin && IsSpace(text[r.end - 1])) --r.end;
  if (r.end <= r.begin) return TextRange{r.begin, r.begin};
  return r;
}

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < text.size()) lines.push_back({start, text.size()});
      break;
    }
    lines.push_back({start, nl});
    start = nl + 1;
  }
  return lines;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

bool IsRomanNumeral(std::string_view s, int* value) {
  if (s.empty() || s.size() > 6) return false;
  int total = 0, last = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    int v = 0;
    switch (*it) {
      case 'I': v = 1; break;
      case 'V': v = 5; break;
      case 'X': v = 10; break;
      default: return false;
    }
    total += v < last ? -v : v;
    last = std::max(last, v);
  }
  *value = total;
  return total > 0 && total <= 30;
}

// Splits a leading section number off `text`: "2.1 Data" -> kSub, rest "Data".
Numbering ParseNumbering(std::string_view text, int* number, std::string_view* rest) {
  *number = 0;
  *rest = text;
  size_t sp = 0;
  while (sp < text.size() && !IsSpace(text[sp])) ++sp;
  if (sp == text.size()) return Numbering::kNone;  // a single word has no number to split off
  std::string_view token = text.substr(0, sp);
  std::string_view after = Trim(text.substr(sp));
  bool dot = !token.empty() && token.back() == '.';
  std::string_view core = dot ? token.substr(0, token.size() - 1) : token;
  if (core.empty()) return Numbering::kNone;

  // Arabic: "2", "2.", "2.1", "2.1.3".
  bool arabic = IsDigit(core[0]);
  int parts = 1;
  for (size_t i = 0; i < core.size() && arabic; ++i) {
    if (core[i] == '.') {
      if (i + 1 == core.size() || core[i + 1] == '.') arabic = false;
      ++parts;
    } else if (!IsDigit(core[i])) {
      arabic = false;
    }
  }
  if (arabic) {
    size_t first_len = core.find('.');
    if (first_len == std::string_view::npos) first_len = core.size();
    if (first_len > 2) return Numbering::kNone;  // "2025 ..." is a year, not a section
    *number = std::stoi(std::string(core.substr(0, first_len)));
    if (*number == 0) return Numbering::kNone;
    *rest = after;
    return parts == 1 ? Numbering::kTopLevel : Numbering::kSub;
  }
  // Roman: "II", "IV." ("I" alone is also the English pronoun; accept it
  // only when followed by an upper-case word, as in "I. INTRODUCTION").
  // Checked before appendix letters: a paper has sections I, V and X far
  // more often than appendices that deep.
  int roman = 0;
  if (IsRomanNumeral(core, &roman) && !after.empty() && IsUpper(after[0])) {
    *number = roman;
    *rest = after;
    return Numbering::kTopLevel;
  }
  // Appendix letters: "A", "A.", "A.1", "B.2.3".
  if (IsUpper(core[0]) && (core.size() == 1 || core[1] == '.')) {
    bool ok = true;
    for (size_t i = 1; i < core.size() && ok; ++i) ok = core[i] == '.' || IsDigit(core[i]);
    if (ok) {
      *rest = after;
      return core.size() == 1 ? Numbering::kLetter : Numbering::kLetterSub;
    }
  }
  return Numbering::kNone;
}

// "Introduction 12" -> "introduction"; "RELATED WORK:" -> "related work".
std::string NormalizeName(std::string_view text) {
  std::string name = ToLowerAscii(Trim(text));
  while (!name.empty() && (IsDigit(name.back()) || IsSpace(name.back()) || name.back() == ':' ||
                           name.back() == '.'))
    name.pop_back();
  return name;
}

std::string_view FirstWord(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsAlpha(s[i])) ++i;
  return s.substr(0, i);
}

bool IsOneOf(std::string_view s, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (s == n) return true;
  return false;
}

bool IsMajorSectionName(std::string_view name) {
  return IsOneOf(name, {"related work", "related works", "related literature", "background",
                        "preliminaries", "preliminary", "notation", "method", "methods",
                        "methodology", "approach", "our approach", "model", "experiments",
                        "experiment", "experimental setup", "experimental results", "results",
                        "evaluation", "discussion", "conclusion", "conclusions",
                        "conclusion and future work", "conclusions and future work", "limitations",
                        "problem setup", "problem setting", "problem formulation",
                        "problem statement", "setup", "analysis", "acknowledgments",
                        "acknowledgements", "acknowledgment", "acknowledgement",
                        "broader impact", "broader impacts", "impact statement", "future work"});
}

bool IsReferencesName(std::string_view name) {
  return IsOneOf(name, {"references", "reference", "bibliography", "literature cited",
                        "references and notes", "works cited", "cited literature"});
}

Kind Classify(Numbering numbering, std::string_view name) {
  if (name == "abstract") return Kind::kAbstract;
  if (IsReferencesName(name)) return Kind::kReferences;
  if (name.find("checklist") != std::string_view::npos) return Kind::kChecklist;
  if (numbering == Numbering::kLetter || numbering == Numbering::kLetterSub) return Kind::kAppendix;
  for (const char* p : {"appendix", "appendices", "supplementary material", "supplemental material",
                        "technical appendices", "supplementary materials"})
    if (StartsWith(name, p)) return Kind::kAppendix;
  std::string_view first = FirstWord(name);
  // "Introduction", "Introduction and Background", and the typos PDF
  // conversion and authors make ("Introdcution", "Intruduction").
  if ((numbering == Numbering::kNone || numbering == Numbering::kTopLevel) && first.size() >= 10 &&
      first.size() <= 14 && EditDistance(first, "introduction") <= 2)
    return Kind::kIntroduction;
  for (const char* p : {"figure", "fig", "table", "algorithm", "box", "listing", "prompt",
                        "example", "lemma", "theorem", "proposition", "definition", "corollary",
                        "assumption", "remark", "proof"})
    if (first == p) return Kind::kCaption;
  if (numbering == Numbering::kNone && IsMajorSectionName(name)) return Kind::kMajor;
  return Kind::kOther;
}

// Markdown: "## 2 Method", "# Abstract", or a line that is wholly bold.
bool MarkdownHeadingText(std::string_view text, const Line& line, TextRange* display) {
  TextRange r = TrimRange(text, {line.begin, line.end});
  std::string_view s = r.Of(text);
  if (s.empty()) return false;
  if (s[0] == '#') {
    size_t hashes = 0;
    while (hashes < s.size() && s[hashes] == '#') ++hashes;
    if (hashes > 6 || (hashes < s.size() && !IsSpace(s[hashes]))) return false;
    r.begin += hashes;
    while (r.end > r.begin && text[r.end - 1] == '#') --r.end;  // closing "##"
    r = TrimRange(text, r);
  } else if (!(s.size() > 4 && StartsWith(s, "**") && EndsWith(s, "**") &&
               s.substr(2, s.size() - 4).find("**") == std::string_view::npos && s.size() <= 160)) {
    return false;
  }
  // Strip bold or italic markers wrapping the text: "## **1 Introduction**".
  for (std::string_view mark : {"**", "__", "*", "_"}) {
    std::string_view t = r.Of(text);
    if (t.size() > 2 * mark.size() && StartsWith(t, mark) && EndsWith(t, mark)) {
      r.begin += mark.size();
      r.end -= mark.size();
      r = TrimRange(text, r);
    }
  }
  *display = r;
  return !r.empty();
}

bool IsPlainTextSectionName(std::string_view name) {
  return name == "abstract" || name == "introduction" || IsReferencesName(name) ||
         IsMajorSectionName(name) || StartsWith(name, "appendix") || name == "appendices" ||
         StartsWith(name, "supplementary material") || name.find("paper checklist") != std::string_view::npos;
}

size_t CountWords(std::string_view s) {
  size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    bool space = IsSpace(c);
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

// Plain text (and text extracted from PDF): a short line that is a numbered
// title ("2 Related Work", "3.1 Datasets", "II. METHOD") or a well-known
// section name on its own ("Abstract", "REFERENCES", "Appendix A: Proofs").
bool PlainTextHeading(std::string_view text, const Line& line, TextRange* display) {
  TextRange r = TrimRange(text, {line.begin, line.end});
  std::string_view s = r.Of(text);
  if (s.size() < 4 || s.size() > 100) return false;
  // A table of contents names every section: "1 Introduction . . . . 3".
  if (s.find(". . .") != std::string_view::npos || s.find("....") != std::string_view::npos) return false;
  if (IsPlainTextSectionName(NormalizeName(s))) {
    *display = r;
    return true;
  }
  int number = 0;
  std::string_view rest;
  Numbering numbering = ParseNumbering(s, &number, &rest);
  if (numbering != Numbering::kTopLevel && numbering != Numbering::kSub) return false;
  if (rest.empty() || !IsUpper(rest[0]) || CountWords(rest) > 12) return false;
  char last = rest.back();
  if (last == '.' || last == ',' || last == ';' || last == '-') return false;
  // Body lines that start with a number ("2 We then ...") usually continue a sentence; a
  // heading has few lower-case function words.
  size_t lowercase_words = 0;
  for (const auto& w : WordTokenSpans(rest))
    if (IsStopword(w.token) && !IsUpper(rest[w.begin])) ++lowercase_words;
  if (lowercase_words > 3) return false;
  *display = r;
  return true;
}

// Beyond this many bytes an abstract's second paragraph is more likely the
// introduction (under a heading the conversion lost) than more abstract.
constexpr size_t kMaxAbstractRunBytes = 2500;

// A paragraph not clearly labelled "Abstract" must be at least this long to
// be taken for one: author lists, affiliations and titles are shorter.
constexpr size_t kMinUnlabelledAbstractWords = 40;

class Analyzer {
 public:
  Analyzer(std::string_view text, TextStyle style)
      : text_(text), style_(style), lines_(SplitLines(text)), heading_at_line_(lines_.size(), -1) {
    for (size_t i = 0; i < lines_.size(); ++i) {
      TextRange display;
      bool is_heading = style == TextStyle::kMarkdown ? MarkdownHeadingText(text, lines_[i], &display)
                                                       : PlainTextHeading(text, lines_[i], &display);
      if (!is_heading) continue;
      Heading h;
      h.line = i;
      h.display = display;
      std::string_view rest;
      h.numbering = ParseNumbering(display.Of(text), &h.number, &rest);
      h.name = NormalizeName(rest);
      h.kind = Classify(h.numbering, h.name);
      heading_at_line_[i] = static_cast<int>(headings_.size());
      headings_.push_back(std::move(h));
    }
  }

  PaperLayout Run() {
    PaperLayout layout;
    int abstract_heading = FindFirst(Kind::kAbstract, 0);
    FindTitle(abstract_heading, &layout);
    int references = FindFirst(Kind::kReferences, std::max(0, abstract_heading));
    // An "Introduction" after the references belongs to an appendix, not to the paper.
    int intro = FindIntroduction(abstract_heading, references, &layout.introduction_named);
    FindAbstract(abstract_heading, intro, &layout);
    if (intro >= 0) layout.introduction = SectionRange(intro);

    size_t body_begin = !layout.abstract.empty() ? layout.abstract.end : 0;
    size_t body_end = text_.size();
    int body_stop = references;
    if (body_stop < 0) {
      for (int k = std::max(intro, 0); k < static_cast<int>(headings_.size()); ++k) {
        if (headings_[k].kind == Kind::kChecklist ||
            (headings_[k].kind == Kind::kAppendix && k > intro && intro >= 0)) {
          body_stop = k;
          break;
        }
      }
    }
    if (body_stop >= 0) body_end = lines_[headings_[body_stop].line].begin;
    if (body_end > body_begin) layout.body = TrimRange(text_, {body_begin, body_end});
    if (!layout.introduction.empty() && layout.introduction.end > body_end && body_end > layout.introduction.begin)
      layout.introduction = TrimRange(text_, {layout.introduction.begin, body_end});

    if (references >= 0) layout.references = SplitReferences(ReferencesRange(references));
    layout.sections = Sections(abstract_heading, intro, references);
    return layout;
  }

 private:
  bool IsBlank(size_t i) const { return TrimRange(text_, {lines_[i].begin, lines_[i].end}).empty(); }
  bool IsHeadingLine(size_t i) const { return heading_at_line_[i] >= 0; }

  int FindFirst(Kind kind, int from) const {
    for (int k = std::max(from, 0); k < static_cast<int>(headings_.size()); ++k)
      if (headings_[k].kind == kind) return k;
    return -1;
  }

  // Lines that come before the title but are not it: line-number columns and
  // image placeholders left by PDF conversion ("17", "<!-- image -->"), and
  // venue or preprint banners.
  bool IsNoiseLine(size_t i) const {
    std::string_view s = Trim(text_.substr(lines_[i].begin, lines_[i].end - lines_[i].begin));
    if (s.empty() || StartsWith(s, "<!--")) return true;
    std::string lower = ToLowerAscii(s.substr(0, 40));
    for (const char* banner : {"arxiv:", "published as a conference paper", "published as a workshop paper",
                               "under review as a conference paper", "preprint. under review",
                               "preprint, under review", "accepted as a conference paper", "proceedings of the"})
      if (StartsWith(lower, banner)) return true;
    for (char c : s)
      if (!IsDigit(c) && !IsSpace(c)) return false;
    return true;
  }

  // The first heading before the abstract is usually the title; failing that,
  // the first line with text. A title broken over two lines ("Concept
  // Incongruence:" / "An Exploration of ...") is joined.
  void FindTitle(int abstract_heading, PaperLayout* layout) const {
    size_t first_text = lines_.size();
    for (size_t i = 0; i < lines_.size(); ++i)
      if (!IsNoiseLine(i)) { first_text = i; break; }
    if (first_text == lines_.size()) return;
    size_t title_line = first_text;
    TextRange title = TrimRange(text_, {lines_[first_text].begin, lines_[first_text].end});
    if (style_ == TextStyle::kMarkdown) {
      int limit = abstract_heading >= 0 ? abstract_heading : std::min<int>(1, headings_.size());
      for (int k = 0; k < limit; ++k) {
        const Heading& h = headings_[k];
        // Any kind but the named parts: "A Closer Look at ..." reads as an appendix letter.
        if (h.kind != Kind::kIntroduction && h.kind != Kind::kReferences && h.kind != Kind::kChecklist) {
          title_line = h.line;
          title = h.display;
          break;
        }
      }
    }
    if (IsHeadingLine(title_line)) {
      const Heading& h = headings_[heading_at_line_[title_line]];
      if (h.kind == Kind::kAbstract || h.kind == Kind::kIntroduction || h.kind == Kind::kReferences) return;
      title = h.display;
    }
    if (title.end - title.begin > 400) return;
    layout->title = std::string(title.Of(text_));
    // The next line with text continues the title when the first ends with a
    // colon or the next starts with a dash or a lower-case word.
    size_t next = title_line + 1;
    while (next < lines_.size() && IsBlank(next)) ++next;
    if (next >= lines_.size()) return;
    TextRange more = TrimRange(text_, {lines_[next].begin, lines_[next].end});
    if (IsHeadingLine(next)) {
      const Heading& h = headings_[heading_at_line_[next]];
      if (h.kind != Kind::kOther && h.kind != Kind::kAppendix) return;
      more = h.display;
    } else if (style_ == TextStyle::kMarkdown) {
      return;
    }
    std::string_view m = more.Of(text_);
    char last = layout->title.back();
    if (m.empty() || m.size() > 300) return;
    if (last == ':' || last == '-' || m[0] == '-' || (m[0] >= 'a' && m[0] <= 'z') ||
        StartsWith(m, "\xE2\x80\x94") || StartsWith(m, "\xE2\x80\x93")) {
      layout->title += ' ';
      layout->title.append(m);
    }
  }

  // The section headed "Introduction" (before any references); else the first
  // top-level numbered section after the abstract, which plays its part.
  int FindIntroduction(int abstract_heading, int references, bool* named) const {
    *named = false;
    int from = std::max(abstract_heading, 0);
    int end = references >= 0 ? references : static_cast<int>(headings_.size());
    for (int k = from; k < end; ++k) {
      if (headings_[k].kind == Kind::kIntroduction) {
        *named = true;
        return k;
      }
    }
    for (int k = from; k < end; ++k) {
      const Heading& h = headings_[k];
      if (h.kind == Kind::kReferences || h.kind == Kind::kChecklist || h.kind == Kind::kAppendix) break;
      if (h.numbering == Numbering::kTopLevel && h.kind != Kind::kCaption && k > abstract_heading)
        return k;
    }
    return -1;
  }

  // Does heading `h` close the section opened by heading `open`?
  bool ClosesSection(const Heading& open, const Heading& h) const {
    if (h.kind == Kind::kReferences || h.kind == Kind::kChecklist || h.kind == Kind::kAppendix ||
        h.kind == Kind::kAbstract)
      return true;
    if (h.numbering == Numbering::kTopLevel)
      return open.numbering != Numbering::kTopLevel || h.number != open.number;
    if (h.kind == Kind::kMajor) return true;
    if (open.numbering == Numbering::kNone)  // unnumbered paper: any real heading starts a section
      return h.numbering == Numbering::kNone && h.kind != Kind::kCaption;
    return false;
  }

  TextRange SectionRange(int k) const {
    const Heading& open = headings_[k];
    size_t begin = lines_[open.line].end;
    size_t end = text_.size();
    for (size_t j = k + 1; j < headings_.size(); ++j) {
      if (ClosesSection(open, headings_[j])) {
        end = lines_[headings_[j].line].begin;
        break;
      }
    }
    return TrimRange(text_, {begin, end});
  }

  // Every heading but a caption's opens a section that runs to the next one;
  // the text before the first (or before the abstract) is the front. A
  // subsection takes the kind of the section it sits in unless its own
  // heading names one.
  std::vector<Section> Sections(int abstract_heading, int intro, int references) const {
    std::vector<Section> out;
    int open = -1;  // the heading of the enclosing section
    SectionKind open_kind = SectionKind::kFront;
    for (int k = 0; k < static_cast<int>(headings_.size()); ++k) {
      const Heading& h = headings_[k];
      // A caption belongs to the section it sits in; but what follows the
      // references under any heading ("Table of Contents", "Algorithm 1")
      // is not a reference.
      const bool after_references = !out.empty() && out.back().kind == SectionKind::kReferences;
      if (h.kind == Kind::kCaption && !after_references) continue;
      const bool subsection = open >= 0 && !ClosesSection(headings_[open], h);
      SectionKind kind = h.kind == Kind::kCaption ? SectionKind::kAppendix
                                                  : OwnKind(k, abstract_heading, intro, references);
      if (kind == SectionKind::kBody && subsection) kind = open_kind;
      if (!subsection) {
        open = k;
        open_kind = kind;
      }
      out.push_back({kind, std::string(h.display.Of(text_)), subsection ? 2 : 1, lines_[h.line].begin, 0});
    }
    if (out.empty() || out.front().start > 0) out.insert(out.begin(), {SectionKind::kFront, "", 1, 0, 0});
    for (size_t i = 0; i < out.size(); ++i) out[i].end = i + 1 < out.size() ? out[i + 1].start : text_.size();
    return out;
  }

  // A heading's kind from its own name and place alone.
  SectionKind OwnKind(int k, int abstract_heading, int intro, int references) const {
    const Heading& h = headings_[k];
    switch (h.kind) {
      case Kind::kAbstract: return SectionKind::kAbstract;
      case Kind::kReferences: return SectionKind::kReferences;
      case Kind::kChecklist: return SectionKind::kChecklist;
      case Kind::kAppendix: return SectionKind::kAppendix;
      default: break;
    }
    if (k == intro) return SectionKind::kIntroduction;
    if (k < abstract_heading) return SectionKind::kFront;
    if (references >= 0 && k > references) return SectionKind::kAppendix;
    for (const char* p : {"related", "background", "prior work", "previous work", "literature"})
      if (h.name.find(p) != std::string::npos) return SectionKind::kRelatedWork;
    return SectionKind::kBody;
  }

  // The paragraph (run of non-blank, non-heading lines) starting at line `i`.
  TextRange Paragraph(size_t i) const {
    size_t j = i;
    while (j < lines_.size() && !IsBlank(j) && !IsHeadingLine(j)) ++j;
    if (j == i) return TextRange{lines_[i].begin, lines_[i].begin};
    return TrimRange(text_, {lines_[i].begin, lines_[j - 1].end});
  }

  void FindAbstract(int abstract_heading, int intro, PaperLayout* layout) const {
    if (abstract_heading >= 0) {
      size_t i = headings_[abstract_heading].line + 1;
      if (style_ == TextStyle::kMarkdown) {
        // The paragraphs up to the next heading. An abstract may have several,
        // but when the introduction's heading is missing the text runs on
        // into it: stop adding paragraphs past kMaxAbstractRunBytes.
        TextRange abstract{lines_[i - 1].end, lines_[i - 1].end};
        for (size_t k = i; k < lines_.size() && !IsHeadingLine(k);) {
          if (IsBlank(k)) { ++k; continue; }
          TextRange para = Paragraph(k);
          if (!abstract.empty() && para.end - abstract.begin > kMaxAbstractRunBytes) break;
          if (abstract.empty()) abstract.begin = para.begin;
          abstract.end = para.end;
          while (k < lines_.size() && !IsBlank(k) && !IsHeadingLine(k)) ++k;
        }
        layout->abstract = abstract;
      } else {
        while (i < lines_.size() && IsBlank(i)) ++i;
        if (i < lines_.size()) layout->abstract = Paragraph(i);
      }
      if (!layout->abstract.empty()) return;
    }
    size_t stop = lines_.size();  // look for the abstract only before the introduction
    if (intro >= 0) stop = headings_[intro].line;
    else {
      for (const Heading& h : headings_)
        if (h.numbering == Numbering::kTopLevel || h.kind == Kind::kReferences) { stop = h.line; break; }
    }
    // "Abstract. We ..." / "**Abstract:** We ..." / "Abstract—We ..." on one line.
    for (size_t i = 0; i < stop; ++i) {
      if (IsHeadingLine(i)) continue;
      TextRange r = TrimRange(text_, {lines_[i].begin, lines_[i].end});
      size_t p = r.begin;
      while (p < r.end && (text_[p] == '*' || text_[p] == '_')) ++p;
      if (r.end - p < 9 || ToLowerAscii(text_.substr(p, 8)) != "abstract" || IsAlpha(text_[p + 8]))
        continue;
      p += 8;
      size_t label_end = p;
      while (p < r.end) {
        char c = text_[p];
        if (c == '*' || c == '_' || c == '.' || c == ':' || c == '-' || IsSpace(c)) { ++p; continue; }
        if (text_.compare(p, 3, "\xE2\x80\x94") == 0 || text_.compare(p, 3, "\xE2\x80\x93") == 0) { p += 3; continue; }
        break;
      }
      // "Abstract We study ..." has no punctuation after the label; neither
      // has "Abstract Syntax Notation One", which is a title. Only a
      // paragraph of abstract length tells them apart.
      bool punctuated = false;
      for (size_t q = label_end; q < p; ++q) punctuated |= !IsSpace(text_[q]);
      TextRange para = Paragraph(i);
      if (p < r.end) {  // text continues on the same line
        para.begin = p;
        if (!punctuated && CountWords(para.Of(text_)) < kMinUnlabelledAbstractWords) continue;
      } else {                          // "Abstract" alone: the next paragraph
        size_t k = i + 1;
        while (k < stop && IsBlank(k)) ++k;
        if (k >= stop) continue;
        para = Paragraph(k);
      }
      para = TrimRange(text_, para);
      if (!para.empty()) {
        layout->abstract = para;
        return;
      }
    }
    // Otherwise the first paragraph long enough to be one (author lists and
    // affiliations are short).
    for (size_t i = 0; i < stop; ++i) {
      if (IsBlank(i) || IsHeadingLine(i) || (i > 0 && !IsBlank(i - 1) && !IsHeadingLine(i - 1))) continue;
      TextRange para = Paragraph(i);
      std::string_view s = para.Of(text_);
      if (CountWords(s) >= kMinUnlabelledAbstractWords && s.size() >= 200) {
        layout->abstract = para;
        return;
      }
    }
  }

  TextRange ReferencesRange(int k) const {
    size_t begin = lines_[headings_[k].line].end;
    size_t end = text_.size();
    for (size_t j = k + 1; j < headings_.size(); ++j) {
      const Heading& h = headings_[j];
      // Plain-text heading detection is a guess; inside a references list
      // only an unmistakable section ends it.
      bool closes = style_ == TextStyle::kMarkdown ||
                    h.kind == Kind::kChecklist || h.kind == Kind::kAppendix || h.kind == Kind::kMajor;
      if (closes) {
        end = lines_[h.line].begin;
        break;
      }
    }
    return {begin, end};
  }

  // One entry per reference: Markdown/numbered list items ("- [3] ...",
  // "[3] ...", "3. ..."), else blank-line separated paragraphs, else (text
  // extracted from PDF, one reference wrapped over several lines) a new entry
  // wherever a line follows one that ends a sentence and starts upper-case.
  std::vector<std::string> SplitReferences(TextRange range) const {
    struct RefLine {
      std::string_view text;
      bool blank_before;
    };
    std::vector<RefLine> ref_lines;
    bool blank = true;
    size_t marked = 0;
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (lines_[i].begin < range.begin || lines_[i].end > range.end) continue;
      std::string_view s = Trim(text_.substr(lines_[i].begin, lines_[i].end - lines_[i].begin));
      if (s.empty()) { blank = true; continue; }
      ref_lines.push_back({s, blank});
      blank = false;
    }
    auto list_marker = [](std::string_view s, size_t* skip) {
      *skip = 0;
      if (StartsWith(s, "- ") || StartsWith(s, "* ") || StartsWith(s, "+ ")) { *skip = 2; return true; }
      if (!s.empty() && s[0] == '[') {
        size_t close = s.find(']');
        if (close != std::string_view::npos && close <= 8 && close > 1) return true;
      }
      size_t d = 0;
      while (d < s.size() && d < 4 && IsDigit(s[d])) ++d;
      return d > 0 && d + 1 < s.size() && s[d] == '.' && IsSpace(s[d + 1]);
    };
    for (const auto& l : ref_lines) {
      size_t skip;
      if (list_marker(l.text, &skip)) ++marked;
    }
    size_t paragraphs = 0;
    for (const auto& l : ref_lines) paragraphs += l.blank_before;

    std::vector<std::string> entries;
    auto append = [&](std::string_view piece, bool start) {
      if (start || entries.empty()) entries.emplace_back(piece);
      else {
        std::string& e = entries.back();
        if (!e.empty() && e.back() == '-' && e.size() >= 2 && IsAlpha(e[e.size() - 2])) e.pop_back();  // hyphenation
        else e += ' ';
        e.append(piece);
      }
    };
    for (size_t i = 0; i < ref_lines.size(); ++i) {
      std::string_view s = ref_lines[i].text;
      size_t skip = 0;
      bool start;
      if (marked * 2 >= ref_lines.size() / 2 && marked > 0) {
        start = list_marker(s, &skip);
      } else if (paragraphs * 4 >= ref_lines.size() && paragraphs > 1) {
        start = ref_lines[i].blank_before;
      } else {
        std::string_view prev = i > 0 ? ref_lines[i - 1].text : std::string_view();
        start = i == 0 || (!prev.empty() && prev.back() == '.' && IsUpper(s[0]));
      }
      append(s.substr(skip), start);
    }
    std::vector<std::string> kept;
    for (auto& e : entries) {
      size_t letters = 0;
      for (char c : e) letters += IsAlpha(c);
      if (letters >= 10) kept.push_back(std::move(e));  // drop page numbers and stray marks
    }
    return kept;
  }

  std::string_view text_;
  TextStyle style_;
  std::vector<Line> lines_;
  std::vector<Heading> headings_;
  std::vector<int> heading_at_line_;
};

}  // namespace

PaperLayout AnalyzePaper(std::string_view text, TextStyle style) {
  return Analyzer(text, style).Run();
}

}  // namespace ingest_internal

MarkdownPaper ParseMarkdownPaper(std::string_view markdown) {
  using namespace ingest_internal;
  PaperLayout layout = AnalyzePaper(markdown, TextStyle::kMarkdown);
  MarkdownPaper paper;
  paper.title = std::move(layout.title);
  paper.abstract = std::string(layout.abstract.Of(markdown));
  paper.introduction = std::string(layout.introduction.Of(markdown));
  paper.body = std::string(layout.body.Of(markdown));
  paper.references = std::move(layout.references);
  paper.sections = std::move(layout.sections);
  return paper;
}

std::vector<Section> FindSections(std::string_view fulltext, bool markdown) {
  using namespace ingest_internal;
  return AnalyzePaper(fulltext, markdown ? TextStyle::kMarkdown : TextStyle::kPlainText).sections;
}

}  // namespace novelta
