// References lists and resolving named works against them; see
// reference_resolution.h.
#include "alignment/reference_resolution.h"

#include <string>

#include "alignment/review_text.h"
#include "base/text.h"
#include "novelta/model.h"
#include "pipeline/ingest/ingest.h"

namespace novelta::alignment {
namespace review_internal {
namespace {

bool ContainsWord(std::string_view text, std::string_view word) {
  size_t from = 0;
  while (true) {
    size_t p = text.find(word, from);
    if (p == std::string_view::npos) return false;
    bool left = p == 0 || !IsWordByte(text[p - 1]);
    bool right = p + word.size() >= text.size() || !IsWordByte(text[p + word.size()]);
    if (left && right) return true;
    from = p + 1;
  }
}

bool ContainsYear(std::string_view text, int year) {
  std::string y = std::to_string(year);
  return ContainsWord(text, y) || text.find(y) != std::string_view::npos;
}

// The entry that an author(-year) mention points to, or null.
const ReferenceEntry* FindByAuthor(const std::vector<ReferenceEntry>& entries,
                                   std::string_view surname, int year) {
  const ReferenceEntry* best = nullptr;
  size_t best_pos = std::string::npos;
  int n_best = 0;
  // Authors come first in an entry; a surname deep in the entry is a title word.
  const size_t window = year ? 200 : 80;
  for (const auto& e : entries) {
    std::string_view head = std::string_view(e.text).substr(0, window);
    size_t p = head.find(surname);
    if (p == std::string_view::npos || !ContainsWord(head, surname)) continue;
    if (year && !ContainsYear(e.text, year)) continue;
    if (p < best_pos) {
      best = &e;
      best_pos = p;
      n_best = 1;
    } else if (p == best_pos) {
      ++n_best;
    }
  }
  return n_best == 1 ? best : nullptr;
}

const ReferenceEntry* FindByNumber(const std::vector<ReferenceEntry>& entries, int number) {
  for (const auto& e : entries)
    if (e.number == number) return &e;
  return nullptr;
}

const ReferenceEntry* FindContaining(const std::vector<ReferenceEntry>& entries,
                                     std::string_view needle) {
  for (const auto& e : entries)
    if (e.text.find(needle) != std::string::npos) return &e;
  return nullptr;
}

}  // namespace

bool ReferenceListLine(std::string_view line, ReferenceEntry* entry) {
  std::string_view t = Trim(line);
  if (StartsWith(t, "- ") || StartsWith(t, "* ")) t = Trim(t.substr(2));
  if (t.size() < 20 || t[0] != '[') return false;
  size_t close = t.find(']');
  if (close == std::string_view::npos || close < 2 || close > 4) return false;
  for (size_t i = 1; i < close; ++i)
    if (!IsDigit(t[i])) return false;
  std::string_view rest = Trim(t.substr(close + 1));
  // A citation list, not a sentence citing [3]: it needs a year or a quote.
  bool has_year = false;
  for (size_t i = 0; i + 4 <= rest.size(); ++i)
    if (ParseYearAt(rest, i)) has_year = true;
  if (!has_year && rest.find('"') == std::string_view::npos) return false;
  entry->number = std::stoi(std::string(t.substr(1, close - 1)));
  entry->text = std::string(rest);
  return true;
}

bool Resolve(NamedWork* w, bool title_case, const std::vector<ReferenceEntry>& own,
             const PaperContext& paper, const PriorWorkResolver* resolver) {
  const ReferenceEntry* entry = nullptr;
  switch (w->kind) {
    case NamedWork::Kind::kNumbered:
      entry = FindByNumber(own, w->number);
      if (!entry) entry = FindByNumber(paper.references, w->number);
      break;
    case NamedWork::Kind::kAuthorYear:
    case NamedWork::Kind::kAuthor:
      entry = FindByAuthor(own, w->surname, w->year);
      if (!entry) entry = FindByAuthor(paper.references, w->surname, w->year);
      break;
    case NamedWork::Kind::kArxiv:
      entry = FindContaining(own, w->arxiv_id);
      if (!entry) entry = FindContaining(paper.references, w->arxiv_id);
      break;
    case NamedWork::Kind::kTitle:
      break;
  }
  if (entry) w->reference = entry->text;
  if (!resolver) return w->kind != NamedWork::Kind::kTitle || title_case;
  if (w->kind == NamedWork::Kind::kTitle) {
    w->corpus_id = resolver->ResolveTitle(w->title, 0);
    if (w->corpus_id.empty() && title_case) w->corpus_id = resolver->ResolveReference(w->title);
    return title_case || !w->corpus_id.empty();
  }
  if (entry) w->corpus_id = resolver->ResolveReference(entry->text);
  return true;
}

}  // namespace review_internal

using review_internal::IsDigit;
using review_internal::Line;
using review_internal::SplitLines;

std::vector<ReferenceEntry> ParseReferenceEntries(std::string_view text) {
  std::vector<ReferenceEntry> out;
  for (const Line& l : SplitLines(text)) {
    std::string_view t = Trim(text.substr(l.start, l.end - l.start));
    if (StartsWith(t, "- ") || StartsWith(t, "* ")) t = Trim(t.substr(2));
    ReferenceEntry e;
    if (!t.empty() && t[0] == '[') {
      size_t close = t.find(']');
      bool numeric = close != std::string_view::npos && close >= 2 && close <= 5;
      for (size_t i = 1; numeric && i < close; ++i) numeric = IsDigit(t[i]);
      if (numeric) {
        e.number = std::stoi(std::string(t.substr(1, close - 1)));
        t = Trim(t.substr(close + 1));
      }
    } else {
      size_t i = 0;
      while (i < t.size() && i < 4 && IsDigit(t[i])) ++i;
      if (i > 0 && i < t.size() && t[i] == '.' && i + 1 < t.size() && t[i + 1] == ' ') {
        e.number = std::stoi(std::string(t.substr(0, i)));
        t = Trim(t.substr(i + 1));
      }
    }
    if (t.size() < 20) continue;
    e.text = std::string(t);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<ReferenceEntry> ReferencesFromFulltext(std::string_view fulltext) {
  // The sections as ingest finds them for every other stage: the first one
  // that is the references list, without its heading line.
  for (const Section& section : FindSections(fulltext, /*markdown=*/true)) {
    if (section.kind != SectionKind::kReferences) continue;
    size_t begin = fulltext.find('\n', section.start);
    if (begin == std::string_view::npos || begin > section.end) begin = section.end;
    return ParseReferenceEntries(fulltext.substr(begin, section.end - begin));
  }
  return {};
}

}  // namespace novelta::alignment
