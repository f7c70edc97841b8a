#include "alignment/corpus_resolver.h"

#include "base/json.h"
#include "base/line_reader.h"
#include "base/text.h"

namespace novelta::alignment {

CorpusPriorWorkResolver::CorpusPriorWorkResolver(std::vector<Paper> papers)
    : papers_(std::move(papers)) {
  std::vector<ReferenceResolver::Entry> entries;
  entries.reserve(papers_.size());
  for (size_t i = 0; i < papers_.size(); ++i)
    entries.push_back({static_cast<int64_t>(i), papers_[i].title, papers_[i].year});
  resolver_ = std::make_unique<ReferenceResolver>(entries);
}

StatusOr<std::unique_ptr<CorpusPriorWorkResolver>> CorpusPriorWorkResolver::Load(
    const std::string& path) {
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path));
  std::vector<Paper> papers;
  size_t skipped = 0;
  std::string line;
  bool too_long = false;
  while (reader->Next(&line, &too_long)) {
    if (too_long) {
      ++skipped;
      continue;
    }
    if (Trim(line).empty()) continue;
    std::string what = path + ":" + std::to_string(reader->line_number());
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(line, what));
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string() || !j.contains("title") ||
        !j["title"].is_string()) {
      ++skipped;
      continue;
    }
    Paper p;
    p.id = j["id"].get<std::string>();
    p.title = j["title"].get<std::string>();
    if (j.contains("year") && j["year"].is_number_integer()) p.year = j["year"].get<int>();
    papers.push_back(std::move(p));
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  auto resolver = std::make_unique<CorpusPriorWorkResolver>(std::move(papers));
  resolver->skipped_lines_ = skipped;
  return resolver;
}

std::string CorpusPriorWorkResolver::ResolveTitle(std::string_view title, int year) const {
  auto m = resolver_->ResolveTitle(title, year);
  return m.found() ? papers_[m.row].id : std::string();
}

std::string CorpusPriorWorkResolver::ResolveReference(std::string_view reference) const {
  auto m = resolver_->Resolve(reference);
  return m.found() ? papers_[m.row].id : std::string();
}

}  // namespace novelta::alignment
