#include "corpora/arxiv_importer.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

#include "base/text.h"

namespace novelta {
namespace {

int MonthFromName(std::string_view name) {
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string lower = ToLowerAscii(name.substr(0, 3));
  for (int m = 0; m < 12; ++m)
    if (lower == kMonths[m]) return m + 1;
  return 0;
}

// "0704.0001" / "1501.00001" -> 2007-04 / 2015-01; "hep-th/9901001" -> 1999-01.
Date DateFromArxivId(const std::string& id) {
  std::string digits;
  size_t slash = id.find('/');
  if (slash != std::string::npos) {
    digits = id.substr(slash + 1, 4);
  } else if (id.size() >= 9 && id[4] == '.') {
    digits = id.substr(0, 4);
  }
  if (digits.size() != 4 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return Date();
  int yy = std::stoi(digits.substr(0, 2)), mm = std::stoi(digits.substr(2, 2));
  if (mm < 1 || mm > 12) return Date();
  return Date{yy >= 91 ? 1900 + yy : 2000 + yy, mm, 0};
}

}  // namespace

StatusOr<Date> ParseRfc2822Date(std::string_view text) {
  // "Mon, 2 Apr 2007 19:18:42 GMT": the weekday is optional.
  std::string s(Trim(text));
  if (auto comma = s.find(','); comma != std::string::npos) s = s.substr(comma + 1);
  std::istringstream in(s);
  int day = 0, year = 0;
  std::string month;
  if (!(in >> day >> month >> year) || day < 1 || day > 31 || year < 1000 || year > 9999)
    return Status::InvalidArgument("not an RFC 2822 date: '" + std::string(text) + "'");
  const int m = MonthFromName(month);
  if (m == 0) return Status::InvalidArgument("not an RFC 2822 date: '" + std::string(text) + "'");
  return Date{year, m, day};
}

bool ArxivInCategories(const Json& j, const std::vector<std::string>& prefixes) {
  if (prefixes.empty()) return true;
  auto it = j.find("categories");
  if (it == j.end() || !it->is_string()) return false;
  std::istringstream in(it->get<std::string>());
  std::string cat;
  while (in >> cat)
    for (const auto& p : prefixes)
      if (StartsWith(cat, p)) return true;
  return false;
}

StatusOr<CorpusRecord> ArxivRecordToCorpus(const Json& j, std::string_view what) {
  CorpusRecord r;
  auto id = j.find("id");
  if (id == j.end() || !id->is_string() || Trim(id->get<std::string>()).empty())
    return Status::InvalidArgument(std::string(what) + ": no arXiv 'id'");
  const std::string arxiv_id(Trim(id->get<std::string>()));
  r.id = "arxiv:" + arxiv_id;
  NOVELTA_ASSIGN_OR_RETURN(std::string title, OptionalString(j, "title", what));
  r.title = CollapseWhitespace(title);
  NOVELTA_ASSIGN_OR_RETURN(std::string abstract, OptionalString(j, "abstract", what));
  r.abstract = CollapseWhitespace(abstract);
  r.venue = "arxiv";
  r.source = "arxiv";

  // First version's date: when the paper appeared.
  auto versions = j.find("versions");
  if (versions != j.end() && versions->is_array() && !versions->empty() &&
      (*versions)[0].is_object()) {
    auto created = (*versions)[0].find("created");
    if (created != (*versions)[0].end() && created->is_string()) {
      auto d = ParseRfc2822Date(created->get<std::string>());
      if (d.ok()) r.date = *d;
    }
  }
  if (!r.date.known()) r.date = DateFromArxivId(arxiv_id);
  if (!r.date.known()) {
    NOVELTA_ASSIGN_OR_RETURN(std::string updated, OptionalString(j, "update_date", what));
    if (!updated.empty()) {
      auto d = Date::Parse(updated);
      if (!d.ok()) return Status::InvalidArgument(std::string(what) + ": bad 'update_date' '" + updated + "'");
      r.date = *d;
    }
  }
  return r;
}

Status ImportArxiv(const std::vector<std::string>& inputs, const std::string& out_path,
                   const ImportOptions& options, ImportStats* stats, Env* env) {
  NOVELTA_ASSIGN_OR_RETURN(auto writer, CorpusWriter::Create(out_path, env));
  Status write_error;
  NOVELTA_RETURN_IF_ERROR(ForEachJsonObject(
      inputs, "importing arXiv", options.progress, stats, [&](const Json& j, const std::string& where) {
        if (!write_error.ok()) return;
        auto r = ArxivRecordToCorpus(j, where);
        if (!r.ok()) {
          stats->Skip(r.status().message());
          return;
        }
        if (!ArxivInCategories(j, options.categories)) {
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
