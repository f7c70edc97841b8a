#include "pipeline/retrieve/query_builder.h"

#include <cctype>
#include <functional>
#include <string_view>

#include "base/sentence_splitter.h"
#include "base/text.h"
#include "pipeline/retrieve/work_detail.h"

namespace novelta {
namespace {

// Calls `fn` with each section of the full text before its references.
void ForEachOwnSection(const Submission& submission,
                       const std::function<void(const Section&, std::string_view)>& fn) {
  std::string_view text = submission.fulltext;
  for (const Section& section : submission.sections) {
    if (section.kind == SectionKind::kReferences) break;
    if (section.end > text.size() || section.start >= section.end) continue;
    fn(section, text.substr(section.start, section.end - section.start));
  }
}

// Paragraphs (blank-line separated) of `text` of at least 200 bytes that are
// not headings or tables.
void AddParagraphs(std::string_view text, std::vector<std::string>* out) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find("\n\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view p = Trim(text.substr(pos, end - pos));
    if (p.size() >= 200 && p[0] != '#' && p[0] != '|') out->emplace_back(p);
    pos = end + 2;
  }
}

// Whether a section's citing sentences name the specific works it uses or
// compares with: the body's sections, and the subsections of the
// introduction and related work (each on one line of work), but not the
// opening text of those two, searched as paragraphs.
bool CitesSpecificWork(const Section& section) {
  switch (section.kind) {
    case SectionKind::kBody:
    case SectionKind::kChecklist:
      return true;
    case SectionKind::kIntroduction:
    case SectionKind::kRelatedWork:
      return section.level > 1;
    default:
      return false;
  }
}

bool Cites(std::string_view s) {
  if (s.find("et al.") != std::string_view::npos) return true;
  for (size_t i = 0; i + 1 < s.size(); ++i)
    if (s[i] == '[' && std::isdigit(static_cast<unsigned char>(s[i + 1]))) return true;
  return false;
}

}  // namespace

std::string OwnText(const Submission& submission) {
  std::string text = submission.title + "\n" + submission.abstract + "\n" + submission.introduction;
  ForEachOwnSection(submission, [&](const Section&, std::string_view section) {
    text.append("\n").append(section);
  });
  return text;
}

std::vector<std::string> ContextParagraphs(const Submission& submission, int most) {
  std::vector<std::string> out;
  ForEachOwnSection(submission, [&](const Section& section, std::string_view text) {
    if (section.kind == SectionKind::kRelatedWork && section.level == 1) AddParagraphs(text, &out);
  });
  AddParagraphs(submission.introduction, &out);
  if (out.size() > static_cast<size_t>(std::max(0, most))) out.resize(std::max(0, most));
  return out;
}

std::vector<std::string> CitationSentences(const Submission& submission, int most) {
  std::vector<std::string> out;
  if (most <= 0) return out;
  ForEachOwnSection(submission, [&](const Section& section, std::string_view text) {
    if (!CitesSpecificWork(section)) return;
    for (const auto& span : SplitSentences(text)) {
      if (static_cast<int>(out.size()) >= most) return;
      std::string_view s = text.substr(span.start, span.end - span.start);
      if (s.size() >= 60 && s.size() <= 600 && Cites(s)) out.emplace_back(s);
    }
  });
  return out;
}

std::vector<RetrievalQuery> BuildQueries(const Submission& submission, const std::vector<Claim>& claims,
                                         const std::string& own_text, const NameIndex& names,
                                         const RetrievalOptions& options) {
  std::vector<RetrievalQuery> queries;
  queries.push_back({"paper", submission.title + ". " + submission.abstract, 1.0f});
  for (const Claim& claim : claims)
    queries.push_back({claim.id, claim.text, options.claim_query_weight, {}, true, QueryKind::kClaim});
  for (auto& paragraph : ContextParagraphs(submission, options.max_context_queries))
    queries.push_back({"context", std::move(paragraph), options.context_query_weight, {},
                       options.dense_context_queries, QueryKind::kContext});
  for (auto& sentence : CitationSentences(submission, options.max_citation_queries))
    queries.push_back({"citation", std::move(sentence), options.citation_query_weight, {}, false,
                       QueryKind::kCitation});
  if (options.named_query_weight > 0 && options.max_named_queries > 0) {
    auto mentions = names.Find(own_text);
    if (static_cast<int>(mentions.size()) > options.max_named_queries)
      mentions.resize(options.max_named_queries);
    for (auto& m : mentions)
      queries.push_back({std::string(kNamedMatchPrefix) + m.name, "", options.named_query_weight,
                         std::move(m.rows), true, QueryKind::kNamed});
  }
  return queries;
}

}  // namespace novelta
