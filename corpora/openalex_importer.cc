#include "corpora/openalex_importer.h"

#include "base/text.h"

namespace novelta {

StatusOr<std::string> AbstractFromInvertedIndex(const Json& inverted, std::string_view what) {
  if (inverted.is_null()) return std::string();
  if (!inverted.is_object())
    return Status::InvalidArgument(std::string(what) + ": 'abstract_inverted_index' must be an object");
  std::vector<const std::string*> slots;
  for (auto it = inverted.begin(); it != inverted.end(); ++it) {
    if (!it.value().is_array())
      return Status::InvalidArgument(std::string(what) +
                                     ": 'abstract_inverted_index' positions must be arrays");
    for (const auto& p : it.value()) {
      if (!p.is_number_integer() || p.get<int64_t>() < 0 || p.get<int64_t>() > kMaxInvertedIndexPosition)
        return Status::InvalidArgument(std::string(what) +
                                       ": 'abstract_inverted_index' has a bad position (expected 0.." +
                                       std::to_string(kMaxInvertedIndexPosition) + ")");
      const size_t pos = p.get<size_t>();
      if (pos >= slots.size()) slots.resize(pos + 1, nullptr);
      slots[pos] = &it.key();
    }
  }
  std::string out;
  for (const std::string* w : slots) {
    if (w == nullptr) continue;  // a gap: OpenAlex drops some tokens
    if (!out.empty()) out += ' ';
    out += *w;
  }
  return CollapseWhitespace(out);
}

bool OpenAlexInCategories(const Json& j, const std::vector<std::string>& names) {
  if (names.empty()) return true;
  auto topic = j.find("primary_topic");
  if (topic == j.end() || !topic->is_object()) return false;
  for (const char* level : {"field", "subfield", "domain"}) {
    auto it = topic->find(level);
    if (it == topic->end() || !it->is_object()) continue;
    auto name = it->find("display_name");
    if (name == it->end() || !name->is_string()) continue;
    for (const auto& n : names)
      if (ToLowerAscii(name->get<std::string>()) == ToLowerAscii(n)) return true;
  }
  return false;
}

StatusOr<CorpusRecord> OpenAlexWorkToCorpus(const Json& j, std::string_view what) {
  CorpusRecord r;
  NOVELTA_ASSIGN_OR_RETURN(std::string id, OptionalString(j, "id", what));
  if (Trim(id).empty()) return Status::InvalidArgument(std::string(what) + ": no OpenAlex 'id'");
  // "https://openalex.org/W123" -> "W123".
  if (auto slash = id.rfind('/'); slash != std::string::npos) id = id.substr(slash + 1);
  r.id = "openalex:" + std::string(Trim(id));
  NOVELTA_ASSIGN_OR_RETURN(std::string title, OptionalString(j, "title", what));
  if (Trim(title).empty()) {
    NOVELTA_ASSIGN_OR_RETURN(title, OptionalString(j, "display_name", what));
  }
  r.title = CollapseWhitespace(title);
  auto inv = j.find("abstract_inverted_index");
  if (inv != j.end()) {
    NOVELTA_ASSIGN_OR_RETURN(r.abstract, AbstractFromInvertedIndex(*inv, what));
  }
  NOVELTA_ASSIGN_OR_RETURN(std::string date, OptionalString(j, "publication_date", what));
  if (!date.empty()) {
    auto d = Date::Parse(date);
    if (!d.ok())
      return Status::InvalidArgument(std::string(what) + ": bad 'publication_date' '" + date + "'");
    r.date = *d;
  } else if (auto y = j.find("publication_year"); y != j.end() && y->is_number_integer()) {
    r.date = Date::Year(y->get<int>());
  }
  if (auto loc = j.find("primary_location"); loc != j.end() && loc->is_object()) {
    if (auto src = loc->find("source"); src != loc->end() && src->is_object()) {
      auto name = OptionalString(*src, "display_name", what);
      if (name.ok()) r.venue = CollapseWhitespace(*name);
    }
  }
  r.source = "openalex";
  return r;
}

Status ImportOpenAlex(const std::vector<std::string>& inputs, const std::string& out_path,
                      const ImportOptions& options, ImportStats* stats, Env* env) {
  NOVELTA_ASSIGN_OR_RETURN(auto writer, CorpusWriter::Create(out_path, env));
  Status write_error;
  NOVELTA_RETURN_IF_ERROR(ForEachJsonObject(
      inputs, "importing OpenAlex", options.progress, stats,
      [&](const Json& j, const std::string& where) {
        if (!write_error.ok()) return;
        auto r = OpenAlexWorkToCorpus(j, where);
        if (!r.ok()) {
          stats->Skip(r.status().message());
          return;
        }
        auto retracted = j.find("is_retracted");
        const bool is_retracted = retracted != j.end() && retracted->is_boolean() && retracted->get<bool>();
        if (!OpenAlexInCategories(j, options.categories) || is_retracted) {
          ++stats->filtered;
          return;
        }
        write_error = WriteImported(std::move(r).value(), where, options, writer.get(), stats);
      },
      env));
  NOVELTA_RETURN_IF_ERROR(write_error);
  return writer->Finish();
}

}  // namespace novelta
