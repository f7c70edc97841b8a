// The prior-work corpus format and its streaming reader.
//
// A corpus is JSON Lines (plain or gzip), one paper per line — see
// corpora/README.md:
//   {"id": "...", "title": "...", "abstract": "...", "year": 2024, "venue": "iclr", "source": "..."}
// `id` and `title` are required; `abstract` may be empty (the paper can still
// be retrieved by title, but gives no quotable evidence); a paper's date is
// `date` ("YYYY-MM-DD", "YYYY-MM") when present, else `year`.
//
// Thread-safety: ReadCorpus is reentrant.
#ifndef NOVELTA_CORPORA_CORPUS_READER_H_
#define NOVELTA_CORPORA_CORPUS_READER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/json.h"
#include "novelta/status.h"
#include "novelta/date.h"

namespace novelta {

struct CorpusRecord {
  std::string id;
  std::string title;
  std::string abstract;
  Date date;
  std::string venue;
  std::string source;
};

struct CorpusReadStats {
  uint64_t lines = 0;     // non-blank lines seen
  uint64_t records = 0;   // records handed to the sink
  uint64_t skipped = 0;   // bad records skipped
  std::vector<std::string> first_errors;  // the first few skip reasons, "file:LINE: why"
};

// Parses one corpus record. Errors name `what` and the field.
StatusOr<CorpusRecord> ParseCorpusRecord(const Json& j, std::string_view what);

// Streams the records of `path` to `sink` in file order. Bad lines (invalid
// JSON, missing id or title, bad date) are skipped and counted in `stats`.
// Returns non-OK only when the file cannot be read at all. `progress`, when
// set, is called now and then with (bytes consumed, records so far).
Status ReadCorpus(const std::string& path, const std::function<void(CorpusRecord&&)>& sink,
                  CorpusReadStats* stats,
                  const std::function<void(uint64_t, uint64_t)>& progress = nullptr);

}  // namespace novelta

#endif  // NOVELTA_CORPORA_CORPUS_READER_H_
