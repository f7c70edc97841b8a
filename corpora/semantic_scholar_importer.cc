#include "corpora/semantic_scholar_importer.h"

#include <map>

#include "base/text.h"

namespace novelta {
namespace {

const Json* Field(const Json& j, const char* lower, const char* camel) {
  auto it = j.find(lower);
  if (it != j.end() && !it->is_null()) return &*it;
  it = j.find(camel);
  if (it != j.end() && !it->is_null()) return &*it;
  return nullptr;
}

// corpusid as an integer (the datasets) or a numeric string.
StatusOr<int64_t> CorpusId(const Json& j, std::string_view what) {
  const Json* id = Field(j, "corpusid", "corpusId");
  if (id != nullptr && id->is_number_integer() && id->get<int64_t>() >= 0) return id->get<int64_t>();
  if (id != nullptr && id->is_string()) {
    const std::string s(Trim(id->get<std::string>()));
    if (!s.empty() && s.size() < 19 && s.find_first_not_of("0123456789") == std::string::npos)
      return std::stoll(s);
  }
  return Status::InvalidArgument(std::string(what) + ": no valid 'corpusid'");
}

}  // namespace

bool SemanticScholarInFields(const Json& j, const std::vector<std::string>& fields) {
  if (fields.empty()) return true;
  auto matches = [&](const std::string& name) {
    for (const auto& f : fields)
      if (ToLowerAscii(name) == ToLowerAscii(f)) return true;
    return false;
  };
  if (const Json* s2 = Field(j, "s2fieldsofstudy", "s2FieldsOfStudy"); s2 && s2->is_array())
    for (const auto& f : *s2)
      if (f.is_object() && f.contains("category") && f["category"].is_string() &&
          matches(f["category"].get<std::string>()))
        return true;
  if (const Json* fos = Field(j, "fieldsofstudy", "fieldsOfStudy"); fos && fos->is_array())
    for (const auto& f : *fos)
      if (f.is_string() && matches(f.get<std::string>())) return true;
  return false;
}

StatusOr<CorpusRecord> SemanticScholarPaperToCorpus(const Json& j, std::string_view what,
                                                    int64_t* corpus_id) {
  NOVELTA_ASSIGN_OR_RETURN(*corpus_id, CorpusId(j, what));
  CorpusRecord r;
  r.id = "s2:" + std::to_string(*corpus_id);
  NOVELTA_ASSIGN_OR_RETURN(std::string title, OptionalString(j, "title", what));
  r.title = CollapseWhitespace(title);
  NOVELTA_ASSIGN_OR_RETURN(std::string abstract, OptionalString(j, "abstract", what));
  r.abstract = CollapseWhitespace(abstract);
  NOVELTA_ASSIGN_OR_RETURN(std::string venue, OptionalString(j, "venue", what));
  r.venue = CollapseWhitespace(venue);
  if (const Json* date = Field(j, "publicationdate", "publicationDate")) {
    if (!date->is_string()) return Status::InvalidArgument(std::string(what) + ": 'publicationdate' must be a string");
    auto d = Date::Parse(date->get<std::string>());
    if (!d.ok())
      return Status::InvalidArgument(std::string(what) + ": bad 'publicationdate' '" +
                                     date->get<std::string>() + "'");
    r.date = *d;
  }
  if (!r.date.known()) {
    if (auto y = j.find("year"); y != j.end() && y->is_number_integer()) r.date = Date::Year(y->get<int>());
  }
  r.source = "semanticscholar";
  return r;
}

Status ImportSemanticScholar(const std::vector<std::string>& papers,
                             const std::vector<std::string>& abstracts,
                             const std::string& out_path, const ImportOptions& options,
                             ImportStats* stats, Env* env) {
  NOVELTA_ASSIGN_OR_RETURN(auto writer, CorpusWriter::Create(out_path, env));
  // 1. Papers' metadata, by corpus id (later duplicates replace earlier ones).
  std::map<int64_t, std::pair<CorpusRecord, std::string>> pending;  // record, where
  NOVELTA_RETURN_IF_ERROR(ForEachJsonObject(
      papers, "reading S2 papers", options.progress, stats,
      [&](const Json& j, const std::string& where) {
        int64_t id = -1;
        auto r = SemanticScholarPaperToCorpus(j, where, &id);
        if (!r.ok()) {
          stats->Skip(r.status().message());
          return;
        }
        if (!SemanticScholarInFields(j, options.categories)) {
          ++stats->filtered;
          return;
        }
        pending[id] = {std::move(r).value(), where};
      },
      env));
  // 2. Abstracts: each completes its paper, which is written at once.
  Status write_error;
  NOVELTA_RETURN_IF_ERROR(ForEachJsonObject(
      abstracts, "joining S2 abstracts", options.progress, stats,
      [&](const Json& j, const std::string& where) {
        if (!write_error.ok()) return;
        auto id = CorpusId(j, where);
        if (!id.ok()) {
          stats->Skip(id.status().message());
          return;
        }
        auto text = OptionalString(j, "abstract", where);
        if (!text.ok()) {
          stats->Skip(text.status().message());
          return;
        }
        auto it = pending.find(*id);
        if (it == pending.end()) return;  // a paper filtered out or not in the papers shards
        CorpusRecord r = std::move(it->second.first);
        if (!Trim(*text).empty()) r.abstract = CollapseWhitespace(*text);
        pending.erase(it);
        write_error = WriteImported(std::move(r), where, options, writer.get(), stats);
      },
      env));
  NOVELTA_RETURN_IF_ERROR(write_error);
  // 3. Papers no abstract record named.
  for (auto& [id, rec] : pending)
    NOVELTA_RETURN_IF_ERROR(WriteImported(std::move(rec.first), rec.second, options, writer.get(), stats));
  return writer->Finish();
}

}  // namespace novelta
