#include "corpora/corpus_reader.h"

#include "base/line_reader.h"
#include "base/text.h"

namespace novelta {

StatusOr<CorpusRecord> ParseCorpusRecord(const Json& j, std::string_view what) {
  if (!j.is_object()) return Status::InvalidArgument(std::string(what) + ": expected a JSON object");
  CorpusRecord r;
  NOVELTA_RETURN_IF_ERROR(GetString(j, "id", what, &r.id, false));
  if (r.id.empty() && j.contains("id") && j["id"].is_number_integer())
    r.id = std::to_string(j["id"].get<int64_t>());
  if (r.id.empty()) return Status::InvalidArgument(std::string(what) + ": missing field 'id'");
  NOVELTA_RETURN_IF_ERROR(GetString(j, "title", what, &r.title, true));
  NOVELTA_RETURN_IF_ERROR(GetString(j, "abstract", what, &r.abstract, false));
  NOVELTA_RETURN_IF_ERROR(GetString(j, "venue", what, &r.venue, false));
  NOVELTA_RETURN_IF_ERROR(GetString(j, "source", what, &r.source, false));
  r.title = CollapseWhitespace(SanitizeUtf8(r.title));
  if (r.title.empty()) return Status::InvalidArgument(std::string(what) + ": empty title");
  r.abstract = SanitizeUtf8(Trim(r.abstract));
  std::string date;
  NOVELTA_RETURN_IF_ERROR(GetString(j, "date", what, &date, false));
  if (!date.empty()) {
    auto d = Date::Parse(date);
    if (!d.ok()) return d.status().WithPrefix(std::string(what) + ": field 'date'");
    r.date = *d;
  } else {
    int64_t year = 0;
    NOVELTA_RETURN_IF_ERROR(GetInt(j, "year", what, &year, false));
    if (year != 0 && (year < 1000 || year > 9999))
      return Status::InvalidArgument(std::string(what) + ": field 'year' out of range");
    r.date = Date::Year(static_cast<int>(year));
  }
  return r;
}

Status ReadCorpus(const std::string& path, const std::function<void(CorpusRecord&&)>& sink,
                  CorpusReadStats* stats, const std::function<void(uint64_t, uint64_t)>& progress) {
  NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path));
  std::string line;
  bool too_long = false;
  auto skip = [&](const std::string& why) {
    ++stats->skipped;
    if (stats->first_errors.size() < 10) stats->first_errors.push_back(why);
  };
  while (reader->Next(&line, &too_long)) {
    std::string where = path + ":" + std::to_string(reader->line_number());
    if (too_long) {
      ++stats->lines;
      skip(where + ": line too long");
      continue;
    }
    if (Trim(line).empty()) continue;
    ++stats->lines;
    auto j = ParseJson(line, where);
    if (!j.ok()) {
      skip(j.status().message());
      continue;
    }
    auto rec = ParseCorpusRecord(*j, where);
    if (!rec.ok()) {
      skip(rec.status().message());
      continue;
    }
    ++stats->records;
    sink(std::move(rec).value());
    if (progress && (stats->records & 1023) == 0) progress(reader->bytes_consumed(), stats->records);
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  if (progress) progress(reader->bytes_consumed(), stats->records);
  if (stats->lines == 0) return Status::InvalidArgument(path + ": corpus is empty");
  return Status::OK();
}

}  // namespace novelta
