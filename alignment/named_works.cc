// Finding named works in a sentence of a review; see named_works.h.
#include "alignment/named_works.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_set>
#include <utility>

#include "alignment/review_text.h"
#include "base/text.h"

namespace novelta::alignment {
namespace review_internal {
namespace {

// Capitalised words that precede years or "et al." but are not surnames.
bool IsNotSurname(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "In", "The", "This", "That", "These", "Since", "From", "Before", "After", "Until", "By",
      "As", "At", "On", "For", "And", "Or", "See", "E", "Eq", "Equation", "Table", "Figure",
      "Fig", "Section", "Sec", "Appendix", "Line", "Lines", "Page", "Theorem", "Lemma",
      "Proceedings", "Conference", "Workshop", "Journal", "Transactions", "Advances", "Vol",
      "Volume", "January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December", "Spring", "Summer", "Fall", "Winter",
      "Year", "Years", "Also", "Also,", "Published", "Accepted", "Around", "Circa", "Between",
      "Cf", "Compare", "Note", "Ref", "Refs", "Reference", "References", "Similarly", "Like",
      "Unlike", "Q", "Question", "Arxiv", "ArXiv", "Preprint", "Version", "Release", "Edition",
      "Neurips", "NeurIPS", "Icml", "Iclr", "Cvpr", "Iccv", "Eccv", "Aaai", "Acl", "Emnlp",
      "Naacl", "Ijcai", "Colt", "Aistats", "Uai", "Corl", "Icra", "Iros", "Kdd", "Www", "Tmlr",
      "Jmlr", "Openreview", "OpenReview", "GitHub", "Github", "Google", "Meta", "OpenAI",
      "Microsoft", "Our", "My", "Their", "Its", "Was", "Were", "Is", "Are", "Both", "All"};
  return k.count(w) > 0;
}

bool LooksLikeSurname(std::string_view w) {
  if (w.size() < 2 || !IsUpper(w[0])) return false;
  bool has_lower = false;
  for (char c : w) {
    if (IsDigit(c)) return false;
    if (IsLower(c) || static_cast<unsigned char>(c) >= 0x80) has_lower = true;
  }
  return has_lower && !IsNotSurname(w);
}

// The word ending just before position `end` (skipping spaces); sets *begin.
std::string_view WordBefore(std::string_view s, size_t end, size_t* begin) {
  size_t e = end;
  while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  size_t b = e;
  while (b > 0 && IsWordByte(s[b - 1])) --b;
  *begin = b;
  return s.substr(b, e - b);
}

bool TitleCaseEnough(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(text[i])) ++i;
    size_t b = i;
    while (i < text.size() && IsWordByte(text[i])) ++i;
    if (i > b) words.push_back(text.substr(b, i - b));
  }
  if (words.size() < 3 || words.size() > 30) return false;
  int long_words = 0, capitalised = 0;
  for (auto w : words) {
    if (w.size() < 4) continue;
    ++long_words;
    if (IsUpper(w[0])) ++capitalised;
  }
  return long_words > 0 && capitalised * 10 >= long_words * 6;
}

void FindAuthorMentions(std::string_view s, std::vector<FoundWork>* out,
                        std::vector<std::pair<size_t, size_t>>* covered_years) {
  // "Surname et al." with an optional year or number after it.
  size_t from = 0;
  while (true) {
    size_t p = s.find("et al", from);
    if (p == std::string_view::npos) break;
    from = p + 5;
    if (p > 0 && IsWordByte(s[p - 1])) continue;
    size_t sb;
    std::string_view surname = WordBefore(s, p, &sb);
    if (!LooksLikeSurname(surname)) continue;
    NamedWork w;
    w.surname = std::string(surname);
    size_t q = p + 5;
    // Skip "." "," spaces and a possessive "'s" / "\u2019s".
    while (q < s.size()) {
      if (s[q] == '.' || s[q] == ',' || s[q] == ' ') {
        ++q;
      } else if (s.substr(q, 2) == "'s") {
        q += 2;
      } else if (s.substr(q, 4) == "\xe2\x80\x99s") {
        q += 4;
      } else {
        break;
      }
    }
    bool bracket = false;
    if (q < s.size() && (s[q] == '(' || s[q] == '[')) {
      bracket = s[q] == '[';
      ++q;
    }
    size_t end = q;
    if (int y = ParseYearAt(s, q)) {
      w.kind = NamedWork::Kind::kAuthorYear;
      w.year = y;
      end = q + 4;
      if (end < s.size() && IsLower(s[end])) ++end;  // "2020a"
      covered_years->push_back({q, q + 4});
    } else if (bracket && q < s.size() && IsDigit(s[q])) {
      size_t e = q;
      while (e < s.size() && IsDigit(s[e]) && e - q < 3) ++e;
      w.kind = NamedWork::Kind::kNumbered;
      w.number = std::stoi(std::string(s.substr(q, e - q)));
      end = e;
    } else {
      w.kind = NamedWork::Kind::kAuthor;
      end = p + 5;
    }
    if (end < s.size() && (s[end] == ')' || s[end] == ']')) ++end;
    w.text = std::string(s.substr(sb, end - sb));
    out->push_back({std::move(w), sb, true});
  }
  // "(Surname, 2020)", "[Surname 2020]", "Surname (2020)", "(Surname and Other, 2020)".
  for (size_t i = 0; i + 4 <= s.size(); ++i) {
    int year = ParseYearAt(s, i);
    if (!year) continue;
    bool taken = false;
    for (auto& c : *covered_years)
      if (c.first == i) taken = true;
    if (taken) continue;
    size_t k = i;
    bool paren_before_year = false;
    while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == ',')) --k;
    if (k > 0 && s[k - 1] == '(') {
      paren_before_year = true;
      --k;
    }
    size_t b1;
    std::string_view w1 = WordBefore(s, k, &b1);
    if (!LooksLikeSurname(w1)) continue;
    std::string_view surname = w1;
    size_t start = b1;
    // "Author and Other, 2020" / "Author & Other 2020": the first author leads.
    size_t b0;
    std::string_view conj = WordBefore(s, b1, &b0);
    size_t conj_end = b1;
    while (conj_end > 0 && s[conj_end - 1] == ' ') --conj_end;
    size_t first_end = std::string_view::npos;
    if (conj == "and") {
      first_end = b0;
    } else if (conj_end > 0 && s[conj_end - 1] == '&') {
      first_end = conj_end - 1;
    }
    if (first_end != std::string_view::npos) {
      size_t bf;
      std::string_view first = WordBefore(s, first_end, &bf);
      if (LooksLikeSurname(first)) {
        surname = first;
        start = bf;
      }
    }
    size_t before = start;
    while (before > 0 && s[before - 1] == ' ') --before;
    bool bracket_before_name = before > 0 && (s[before - 1] == '(' || s[before - 1] == '[' ||
                                              s[before - 1] == ';');
    if (!paren_before_year && !bracket_before_name) continue;
    size_t end = i + 4;
    if (end < s.size() && IsLower(s[end])) ++end;
    if (end < s.size() && (s[end] == ')' || s[end] == ']')) ++end;
    NamedWork w;
    w.kind = NamedWork::Kind::kAuthorYear;
    w.surname = std::string(surname);
    w.year = year;
    w.text = std::string(s.substr(start, end - start));
    out->push_back({std::move(w), start, true});
  }
}

void FindNumbered(std::string_view s, std::vector<FoundWork>* out) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '[') continue;
    // Look for the bracket's close nearby only: a long run of "[" must not
    // make this quadratic.
    size_t close = s.substr(i, 42).find(']');
    if (close == std::string_view::npos) continue;
    close += i;
    std::string_view inner = s.substr(i + 1, close - i - 1);
    if (inner.empty() || !IsDigit(inner[0])) continue;
    if (close + 1 < s.size() && s[close + 1] == '(') continue;  // a Markdown link
    bool ok = true;
    for (char c : inner)
      if (!(IsDigit(c) || c == ',' || c == ' ' || c == '-' || c == '\xe2' || c == '\x80' ||
            c == '\x93'))
        ok = false;
    if (!ok) continue;
    // Skip "et al. [12]": FindAuthorMentions already has it with its surname.
    size_t k = i;
    while (k > 0 && s[k - 1] == ' ') --k;
    if (k >= 3 && (s.substr(k - 3, 3) == "al." || s.substr(k - 2, 2) == "al")) continue;
    std::vector<int> numbers;
    size_t p = 0;
    int prev = -1;
    bool range = false;
    while (p < inner.size()) {
      if (IsDigit(inner[p])) {
        size_t e = p;
        while (e < inner.size() && IsDigit(inner[e])) ++e;
        if (e - p > 3) {
          ok = false;
          break;
        }
        int n = std::stoi(std::string(inner.substr(p, e - p)));
        if (range && prev > 0 && n > prev && n - prev <= 10) {
          for (int m = prev + 1; m <= n; ++m) numbers.push_back(m);
        } else {
          numbers.push_back(n);
        }
        prev = n;
        range = false;
        p = e;
      } else {
        if (inner[p] == '-' || inner[p] == '\x93') range = true;
        ++p;
      }
    }
    if (!ok) continue;
    for (int n : numbers) {
      if (n <= 0) continue;
      NamedWork w;
      w.kind = NamedWork::Kind::kNumbered;
      w.number = n;
      w.text = "[" + std::to_string(n) + "]";
      out->push_back({std::move(w), i, true});
    }
  }
}

void FindArxiv(std::string_view s, std::vector<FoundWork>* out) {
  for (size_t i = 0; i + 10 <= s.size(); ++i) {
    if (i > 0 && (IsDigit(s[i - 1]) || s[i - 1] == '.')) continue;
    bool ok = true;
    for (size_t k = i; k < i + 4; ++k) ok = ok && IsDigit(s[k]);
    if (!ok || s[i + 4] != '.') continue;
    size_t e = i + 5;
    while (e < s.size() && IsDigit(s[e])) ++e;
    size_t n = e - (i + 5);
    if (n < 4 || n > 5) continue;
    int yy = (s[i] - '0') * 10 + (s[i + 1] - '0');
    int mm = (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
    if (yy < 7 || yy > 29 || mm < 1 || mm > 12) continue;
    NamedWork w;
    w.kind = NamedWork::Kind::kArxiv;
    w.arxiv_id = std::string(s.substr(i, e - i));
    w.text = w.arxiv_id;
    out->push_back({std::move(w), i, true});
    i = e;
  }
}

void FindQuotedTitles(std::string_view s, std::vector<FoundWork>* out) {
  struct Delim {
    const char* open;
    const char* close;
  };
  static const Delim kDelims[] = {{"\"", "\""}, {"\xe2\x80\x9c", "\xe2\x80\x9d"}, {"*", "*"},
                                  {"_", "_"}};
  for (const auto& d : kDelims) {
    size_t ol = std::strlen(d.open), cl = std::strlen(d.close);
    size_t from = 0;
    while (from < s.size()) {
      size_t o = s.find(d.open, from);
      if (o == std::string_view::npos) break;
      bool emphasis = d.open[0] == '*' || d.open[0] == '_';
      if (emphasis) {
        // Single emphasis only: "**bold**" headings are not titles, nor are
        // snake_case identifiers.
        if ((o + 1 < s.size() && s[o + 1] == d.open[0]) || (o > 0 && s[o - 1] == d.open[0]) ||
            (o > 0 && IsWordByte(s[o - 1]))) {
          from = o + 1;
          continue;
        }
      }
      size_t c = s.find(d.close, o + ol);
      if (c == std::string_view::npos) break;
      if (emphasis && c + 1 < s.size() && (s[c + 1] == d.open[0] || IsWordByte(s[c + 1]))) {
        from = c + 1;
        continue;
      }
      std::string_view inner = Trim(s.substr(o + ol, c - o - ol));
      from = c + cl;
      if (inner.size() < 12 || inner.size() > 250 || inner.find('\n') != std::string_view::npos)
        continue;
      NamedWork w;
      w.kind = NamedWork::Kind::kTitle;
      w.title = std::string(inner);
      while (!w.title.empty() && (w.title.back() == '.' || w.title.back() == ','))
        w.title.pop_back();
      w.text = std::string(s.substr(o, c + cl - o));
      bool title_case = TitleCaseEnough(inner);
      out->push_back({std::move(w), o, title_case});
    }
  }
}

}  // namespace

std::vector<FoundWork> FindNamedWorks(std::string_view s) {
  std::vector<FoundWork> found;
  std::vector<std::pair<size_t, size_t>> covered_years;
  FindAuthorMentions(s, &found, &covered_years);
  FindNumbered(s, &found);
  FindArxiv(s, &found);
  FindQuotedTitles(s, &found);
  std::stable_sort(found.begin(), found.end(),
                   [](const FoundWork& a, const FoundWork& b) { return a.pos < b.pos; });
  return found;
}

}  // namespace review_internal

const char* NamedWorkKindName(NamedWork::Kind k) {
  switch (k) {
    case NamedWork::Kind::kTitle: return "title";
    case NamedWork::Kind::kAuthorYear: return "author_year";
    case NamedWork::Kind::kAuthor: return "author";
    case NamedWork::Kind::kArxiv: return "arxiv";
    case NamedWork::Kind::kNumbered: return "numbered";
  }
  return "title";
}

}  // namespace novelta::alignment
