// What the corpus importers share: options, counts, and a writer of the
// corpus format (corpora/README.md).
//
// Each importer (arxiv_importer.h, openalex_importer.h,
// semantic_scholar_importer.h) streams its inputs line by line — plain or
// gzip JSON Lines — so a dump of millions of papers never has to fit in
// memory, converts every record to a CorpusRecord, checks it against the
// corpus reader's own rules, and writes it out. Bad records are skipped and
// counted, never fatal; only an unreadable input or output fails an import.
//
// Thread-safety: an import runs on the calling thread; separate imports may
// run concurrently.
#ifndef NOVELTA_CORPORA_IMPORTER_H_
#define NOVELTA_CORPORA_IMPORTER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/json.h"
#include "novelta/status.h"
#include "corpora/corpus_reader.h"

namespace novelta {

struct ImportOptions {
  // Keep only papers in these categories: arXiv category prefixes ("cs.",
  // "stat.ML") or Semantic Scholar fields of study ("Computer Science");
  // OpenAlex: the primary topic's field or domain ("Computer Science").
  // Empty keeps everything. Default: empty.
  std::vector<std::string> categories;
  // Skip papers without an abstract (they give no quotable evidence). Default: false.
  bool require_abstract = false;
  // Show progress bars (only drawn when stderr is a terminal). Default: true.
  bool progress = true;
};

struct ImportStats {
  uint64_t lines = 0;             // non-blank input lines
  uint64_t written = 0;           // corpus records written
  uint64_t skipped = 0;           // bad records (invalid JSON, no id or title, ...)
  uint64_t filtered = 0;          // valid but outside `categories` / without abstract
  uint64_t without_abstract = 0;  // written with an empty abstract
  std::vector<std::string> first_errors;  // the first ten skip reasons, "file:LINE: why"
  void Skip(std::string why);
};

// The corpus JSON object of a record (fields left empty are omitted).
Json CorpusRecordToJson(const CorpusRecord& r);

// Writes corpus records as JSON Lines, gzip-compressed when the path ends in
// ".gz", through `env` (Env::NewWritableFile; default Env::Default()), whose
// errors it returns with the output path prefixed. The file appears complete
// or not at all: records go to a temporary file beside it, renamed into
// place by Finish().
class CorpusWriter {
 public:
  static StatusOr<std::unique_ptr<CorpusWriter>> Create(const std::string& path, Env* env = Env::Default());
  ~CorpusWriter();  // removes the temporary file if Finish() was not reached
  Status Write(const CorpusRecord& r);
  Status Finish();

 private:
  class Gzip;  // the deflate stream of a ".gz" output (importer.cc)
  CorpusWriter() = default;
  Env* env_ = nullptr;
  std::string path_, tmp_path_;
  std::unique_ptr<WritableFile> file_;
  std::unique_ptr<Gzip> gzip_;  // null: plain output
  bool finished_ = false;
};

// Streams the JSON objects of several JSON Lines files to `fn`, counting
// lines and skipping (with a reason) lines that are not JSON objects.
// `fn` gets the object and "file:LINE" for error messages. A progress bar
// named `label` follows the bytes read, the files' sizes taken from `env`
// (default Env::Default()). Fails only when a file cannot be read.
Status ForEachJsonObject(const std::vector<std::string>& paths, const std::string& label,
                         bool progress, ImportStats* stats,
                         const std::function<void(const Json&, const std::string& where)>& fn,
                         Env* env = Env::Default());

// Validates `r` with the corpus reader's rules (ParseCorpusRecord of its
// JSON), applies `options`, and writes it; counts the outcome in `stats`.
Status WriteImported(CorpusRecord r, const std::string& where, const ImportOptions& options,
                     CorpusWriter* writer, ImportStats* stats);

// Helpers for the source formats.
// A string field, or "" when absent or null; a non-string value is an error.
StatusOr<std::string> OptionalString(const Json& j, std::string_view field, std::string_view what);

}  // namespace novelta

#endif  // NOVELTA_CORPORA_IMPORTER_H_
