#include "base/sentence_splitter.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_set>

namespace novelta {
namespace {

// Inline math, a parenthesis or a citation bracket that does not close within
// this many bytes is taken to be a stray symbol: this bounds the work per
// byte and keeps one unbalanced "$" or "(" from swallowing a whole document.
constexpr size_t kInlineMathLimit = 1000;
constexpr size_t kDisplayMathLimit = 8000;
constexpr size_t kParenLimit = 250;
constexpr size_t kCitationLimit = 64;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return IsLower(c) || IsUpper(c); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (IsUpper(c)) c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Abbreviations after which a period never ends a sentence ("Fig. 3",
// "e.g. The", "vs. BERT"): scientific prose almost never ends a sentence on them.
const std::unordered_set<std::string>& NeverFinal() {
  static const auto* set = new std::unordered_set<std::string>{
      "e.g", "i.e", "cf", "c.f", "vs", "viz", "fig", "figs", "eq", "eqs", "eqn", "eqns",
      "sec", "secs", "sect", "tab", "tabs", "approx", "resp", "w.r.t", "a.k.a", "wrt",
      "dr", "mr", "mrs", "ms", "prof", "esp", "incl", "thm", "lem", "prop", "defn",
      "alg", "algo", "appx", "cor", "chap", "ref", "refs", "e.v", "ibid", "ca", "et"};
  return *set;
}

// Abbreviations that do not end a sentence when a number follows ("No. 5",
// "p. 12", "Vol. 3") but may end one otherwise.
const std::unordered_set<std::string>& BeforeNumber() {
  static const auto* set = new std::unordered_set<std::string>{
      "no", "nos", "p", "pp", "vol", "vols", "ch", "ex", "app", "def", "fn", "art", "n"};
  return *set;
}

// Words before a single capital letter that make it a label ("Appendix A.")
// rather than an initial ("J. Smith").
const std::unordered_set<std::string>& LabelWords() {
  static const auto* set = new std::unordered_set<std::string>{
      "appendix", "appendices", "section", "sections", "figure", "figures", "table",
      "tables", "part", "phase", "step", "stage", "type", "class", "set", "case", "level",
      "model", "method", "algorithm", "theorem", "lemma", "corollary", "proposition",
      "definition", "assumption", "condition", "property", "option", "group", "vitamin",
      "grade", "task", "setting", "point", "node", "player", "agent", "plan", "hypothesis",
      "block", "region", "layer", "module", "variant", "scenario", "experiment"};
  return *set;
}

// Words that commonly open a sentence. After an ambiguous period ("et al.",
// an initial, "U.S.") a sentence break is assumed only before one of these.
const std::unordered_set<std::string>& SentenceStarters() {
  static const auto* set = new std::unordered_set<std::string>{
      "we", "the", "this", "these", "that", "those", "our", "in", "it", "its", "a", "an",
      "to", "for", "finally", "however", "moreover", "furthermore", "additionally",
      "then", "thus", "therefore", "here", "there", "as", "on", "experiments", "results",
      "extensive", "such", "unlike", "while", "when", "with", "by", "based", "using",
      "although", "since", "also", "each", "both", "most", "many", "some", "code",
      "existing", "recent", "specifically", "overall", "despite", "given", "previous",
      "prior", "first", "second", "third", "lastly", "next", "importantly", "notably",
      "empirically", "theoretically", "further", "instead", "consequently", "hence",
      "yet", "but", "and", "or", "if", "their", "they", "he", "she", "i", "my", "one",
      "other", "all", "no", "not", "what", "how", "why", "which", "experimental",
      "evaluation", "compared", "motivated", "inspired", "building", "recently",
      "similarly", "at", "from", "after", "before", "because"};
  return *set;
}

// True when a Markdown block starts at `i` (a line start after indentation):
// "# heading", "- item", "* item", "+ item", "1. item", "1) item", "(1) item",
// "| table row", "> quote", "```". Sets *heading when it is a heading, table row
// or fence (lines that are a unit of their own); *marker_end past the marker.
bool BlockStartAt(std::string_view t, size_t i, bool* heading, size_t* marker_end) {
  const size_t n = t.size();
  *heading = false;
  *marker_end = i;
  if (i >= n) return false;
  char c = t[i];
  if (c == '#') {
    size_t j = i;
    while (j < n && t[j] == '#' && j - i < 7) ++j;
    if (j - i <= 6 && (j == n || t[j] == ' ' || t[j] == '\t' || t[j] == '\n')) {
      *heading = true;
      *marker_end = j;
      return true;
    }
    return false;
  }
  if (c == '|' || (c == '`' && i + 2 < n && t[i + 1] == '`' && t[i + 2] == '`')) {
    *heading = true;
    *marker_end = i + 1;
    return true;
  }
  if ((c == '-' || c == '*' || c == '+') && i + 1 < n && (t[i + 1] == ' ' || t[i + 1] == '\t')) {
    *marker_end = i + 1;
    return true;
  }
  if (IsDigit(c)) {
    size_t j = i;
    while (j < n && IsDigit(t[j]) && j - i < 4) ++j;
    if (j - i <= 3 && j + 1 < n && (t[j] == '.' || t[j] == ')') && (t[j + 1] == ' ' || t[j + 1] == '\t')) {
      *marker_end = j + 1;
      return true;
    }
    return false;
  }
  if (c == '(') {
    size_t j = i + 1;
    while (j < n && (IsDigit(t[j]) || IsLower(t[j])) && j - i <= 5) ++j;
    if (j > i + 1 && j - i <= 5 && j + 1 < n && t[j] == ')' && (t[j + 1] == ' ' || t[j + 1] == '\t')) {
      *marker_end = j + 1;
      return true;
    }
  }
  return false;
}

class Splitter {
 public:
  explicit Splitter(std::string_view text) : t_(text), n_(text.size()) {}

  std::vector<SentenceSpan> Run() {
    size_t i = 0;
    bool line_start = true;
    while (i < n_) {
      if (line_start) {
        line_start = false;
        i = StartLine(i);
        if (i >= n_) break;
      }
      const char c = t_[i];
      if (c == '\n') {
        if (line_is_unit_) {
          Emit(i);
        } else if (BlankLineAfter(i)) {
          Emit(i);
        }
        line_is_unit_ = false;
        line_start = true;
        ++i;
        continue;
      }
      if (c == '\\' && i + 1 < n_) {
        const char d = t_[i + 1];
        if (d == '(' || d == '[') {
          size_t end = FindBackslashClose(i, d == '(' ? ')' : ']',
                                          d == '(' ? kInlineMathLimit : kDisplayMathLimit);
          if (end != std::string_view::npos) { i = end; continue; }
        }
        // An escaped punctuation mark ("\$", "\.") is never a delimiter.
        i += (std::ispunct(static_cast<unsigned char>(d)) ? 2 : 1);
        continue;
      }
      if (c == '$') {
        size_t end = FindDollarClose(i);
        if (end != std::string_view::npos) { i = end; continue; }
        ++i;
        continue;
      }
      if (c == '(' || c == '[') {
        if (depth_ == 0) depth_open_ = i;
        ++depth_;
        ++i;
        continue;
      }
      if (c == ')' || c == ']') {
        if (depth_ > 0) --depth_;
        ++i;
        continue;
      }
      size_t len = TerminatorLen(i);
      if (len > 0 && !line_is_unit_) {
        i = AtTerminator(i);
        continue;
      }
      ++i;
    }
    Emit(n_);
    return std::move(out_);
  }

 private:
  // Ends the current sentence at `end` (exclusive) and starts the next there.
  void Emit(size_t end) {
    size_t b = start_, e = std::min(end, n_);
    while (b < e && IsSpace(t_[b])) ++b;
    while (e > b && IsSpace(t_[e - 1])) --e;
    if (e > b) out_.push_back(SentenceSpan{b, e});
    start_ = std::max(start_, end);
    depth_ = 0;
  }

  // Handles the start of a line at `i`; returns where scanning continues.
  size_t StartLine(size_t i) {
    size_t j = i;
    while (j < n_ && (t_[j] == ' ' || t_[j] == '\t' || t_[j] == '\r')) ++j;
    bool unit = false;
    size_t marker_end = j;
    if (j - i <= 12 && BlockStartAt(t_, j, &unit, &marker_end)) {
      Emit(i);
      line_is_unit_ = unit;
      return marker_end;  // a list marker "1." is not a sentence end
    }
    return i;
  }

  // True when the line after the newline at `i` is blank (or the text ends).
  bool BlankLineAfter(size_t i) {
    size_t j = i + 1;
    while (j < n_ && (t_[j] == ' ' || t_[j] == '\t' || t_[j] == '\r')) ++j;
    return j < n_ && t_[j] == '\n';
  }

  // Position of the next blank line (a "\n" followed by an empty or
  // white-space-only line) at or after `i`, or n_. Cached: it only moves forward.
  size_t NextBlankLine(size_t i) {
    if (next_blank_valid_ && i >= blank_scan_from_ && i <= next_blank_) return next_blank_;
    size_t j = i;
    while (j < n_ && !(t_[j] == '\n' && BlankLineAfter(j))) ++j;
    next_blank_ = j;
    blank_scan_from_ = i;
    next_blank_valid_ = true;
    return next_blank_;
  }

  // `$...$` (closing "$" preceded by non-space and not followed by a digit,
  // so "$5 and $10" is not math) or `$$...$$`. Returns the position after the
  // closing delimiter or npos. Failed scans are remembered so that no byte is
  // scanned twice for the same kind of closer.
  size_t FindDollarClose(size_t i) {
    const bool display = i + 1 < n_ && t_[i + 1] == '$';
    const size_t open_len = display ? 2 : 1;
    const size_t body = i + open_len;
    if (!display && (body >= n_ || IsSpace(t_[body]))) return std::string_view::npos;
    const size_t limit = std::min({n_, body + (display ? kDisplayMathLimit : kInlineMathLimit),
                                   NextBlankLine(body)});
    size_t& scanned = display ? no_display_close_until_ : no_inline_close_until_;
    size_t j = std::max(body, scanned);
    for (; j < limit; ++j) {
      if (t_[j] == '\\') { ++j; continue; }
      if (t_[j] != '$') continue;
      if (display) {
        if (j + 1 < n_ && t_[j + 1] == '$') return j + 2;
      } else if (!IsSpace(t_[j - 1]) && (j + 1 >= n_ || !IsDigit(t_[j + 1])) &&
                 !(j + 1 < n_ && t_[j + 1] == '$')) {
        return j + 1;
      }
    }
    scanned = std::max(scanned, j);
    return std::string_view::npos;
  }

  // `\(...\)` or `\[...\]` starting at `i`; position after the close or npos.
  size_t FindBackslashClose(size_t i, char close, size_t max_len) {
    const size_t body = i + 2;
    const size_t limit = std::min({n_, body + max_len, NextBlankLine(body)});
    size_t& scanned = close == ')' ? no_paren_math_close_until_ : no_bracket_math_close_until_;
    size_t j = std::max(body, scanned);
    for (; j < limit && j + 1 < n_; ++j) {
      if (t_[j] == '\\' && t_[j + 1] == close) return j + 2;
    }
    scanned = std::max(scanned, j);
    return std::string_view::npos;
  }

  // Bytes of a sentence terminator at `i`: ".", "!", "?", or "…" (3 bytes).
  size_t TerminatorLen(size_t i) const {
    char c = t_[i];
    if (c == '.' || c == '!' || c == '?') return 1;
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < n_ &&
        static_cast<unsigned char>(t_[i + 1]) == 0x80 && static_cast<unsigned char>(t_[i + 2]) == 0xA6)
      return 3;
    return 0;
  }

  // Bytes of a closing mark at `i` that belongs to the sentence before it:
  // quotes, brackets, emphasis, or a numeric citation like "[12, 13]".
  size_t CloserLen(size_t i) const {
    char c = t_[i];
    if (c == '"' || c == '\'' || c == ')' || c == ']' || c == '*' || c == '_') return 1;
    unsigned char u = static_cast<unsigned char>(c);
    if (u == 0xE2 && i + 2 < n_ && static_cast<unsigned char>(t_[i + 1]) == 0x80) {
      unsigned char v = static_cast<unsigned char>(t_[i + 2]);
      if (v == 0x99 || v == 0x9D) return 3;  // ’ ”
    }
    if (u == 0xC2 && i + 1 < n_ && static_cast<unsigned char>(t_[i + 1]) == 0xBB) return 2;  // »
    if (c == '[' || (c == '^' && i + 1 < n_ && IsDigit(t_[i + 1]))) {  // "[3]", "^1"
      size_t j = i + 1;
      size_t stop = std::min(n_, i + kCitationLimit);
      while (j < stop && (IsDigit(t_[j]) || t_[j] == ',' || t_[j] == ' ' || t_[j] == '-')) ++j;
      if (c == '^') return j - i;
      if (j < stop && t_[j] == ']' && j > i + 1) return j + 1 - i;
    }
    return 0;
  }

  // The word just before the terminator at `i` (back to white space or an
  // opening bracket or quote).
  std::string_view WordBefore(size_t i) const {
    size_t b = i;
    while (b > start_ && !IsSpace(t_[b - 1]) && t_[b - 1] != '(' && t_[b - 1] != '[' &&
           t_[b - 1] != '"' && i - b < 32)
      --b;
    return t_.substr(b, i - b);
  }
  std::string_view WordBeforeWordAt(size_t word_start) const {
    size_t e = word_start;
    while (e > start_ && IsSpace(t_[e - 1])) --e;
    size_t b = e;
    while (b > start_ && IsAlpha(t_[b - 1]) && e - b < 32) --b;
    return t_.substr(b, e - b);
  }
  std::string_view WordAt(size_t k) const {
    size_t e = k;
    while (e < n_ && IsAlpha(t_[e]) && e - k < 32) ++e;
    return t_.substr(k, e - k);
  }

  // Decides whether the terminator run at `i` ends the sentence. Returns
  // where scanning continues.
  size_t AtTerminator(size_t i) {
    size_t j = i;
    bool single_period = t_[i] == '.';
    size_t runs = 0;
    while (j < n_) {
      size_t len = TerminatorLen(j);
      if (len == 0) break;
      j += len;
      ++runs;
    }
    const size_t term_end = j;
    if (runs > 1 || t_[i] != '.') single_period = false;
    const bool ellipsis = (t_[i] == '.' && runs >= 3) || TerminatorLen(i) == 3;

    size_t depth = depth_;
    while (j < n_) {
      size_t len = CloserLen(j);
      if (len == 0) break;
      if ((t_[j] == ')' || t_[j] == ']') && len == 1 && depth > 0) --depth;
      j += len;
    }
    if (j < n_ && !IsSpace(t_[j])) return term_end;  // "0.5", "e.g.,", "x.org"
    if (j >= n_) {
      Emit(n_);
      return n_;
    }
    size_t k = j;
    bool paragraph_break = false;
    while (k < n_ && IsSpace(t_[k])) {
      if (t_[k] == '\n' && BlankLineAfter(k)) paragraph_break = true;
      ++k;
    }
    if (k >= n_) {
      Emit(j);
      return j;
    }
    // A break at a newline is handled by the line logic; nothing more to decide.
    if (paragraph_break) return term_end;

    if (depth > 0) {
      if (i - depth_open_ < kParenLimit) return term_end;  // inside "( ... )"
      depth_ = 0;  // an unbalanced bracket long ago: stop honouring it
    }
    const char next = t_[k];
    if (IsLower(next) || next == ',' || next == ';' || next == ':' || next == ')' || next == ']')
      return term_end;
    if (ellipsis) {
      size_t b = i;
      while (b > start_ && t_[b - 1] == ' ') --b;
      if (b > start_ && t_[b - 1] == ',') return term_end;  // "x1, ..., xN"
    }
    if (single_period) {
      std::string_view word = WordBefore(i);
      std::string lower = Lower(word);
      if (NeverFinal().count(lower)) return term_end;
      if (IsDigit(next) && BeforeNumber().count(lower)) return term_end;
      bool ambiguous = lower == "al";
      if (word.size() == 1 && IsUpper(word[0])) {  // an initial, or a label "Appendix A."
        std::string prev = Lower(WordBeforeWordAt(i - word.size()));
        ambiguous = !LabelWords().count(prev) && !IsDigit(next);
      }
      // Dotted capitals ("U.S", "J.R"): ambiguous like initials.
      if (word.size() >= 3 && word.size() <= 8) {
        bool dotted = true;
        for (size_t p = 0; p < word.size(); ++p)
          dotted = dotted && ((p % 2 == 0) ? IsAlpha(word[p]) : word[p] == '.');
        if (dotted && word.size() % 2 == 1) ambiguous = true;
      }
      if (ambiguous) {
        std::string_view next_word = WordAt(k);
        bool next_is_initial = next_word.size() == 1 && k + 1 < n_ && t_[k + 1] == '.';
        if (next_is_initial || !SentenceStarters().count(Lower(next_word))) return term_end;
      }
    }
    Emit(j);
    return j;
  }

  std::string_view t_;
  size_t n_;
  std::vector<SentenceSpan> out_;
  size_t start_ = 0;
  bool line_is_unit_ = false;  // the current line is a heading, table row or fence
  size_t depth_ = 0;             // open "(" / "[" in the current sentence
  size_t depth_open_ = 0;      // where the outermost open bracket is
  size_t no_inline_close_until_ = 0;
  size_t no_display_close_until_ = 0;
  size_t no_paren_math_close_until_ = 0;
  size_t no_bracket_math_close_until_ = 0;
  bool next_blank_valid_ = false;
  size_t next_blank_ = 0;
  size_t blank_scan_from_ = 0;
};

}  // namespace

std::vector<SentenceSpan> SplitSentences(std::string_view text) {
  return Splitter(text).Run();
}

}  // namespace novelta
