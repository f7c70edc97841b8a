// LineReader: streams the lines of a plain or gzip-compressed text file
// (JSON Lines corpora, datasets), without loading it whole. The file is read
// through Env (so tests can inject faults) and inflated with zlib's stream
// API; concatenated gzip members are read as one text.
//
// Thread-safety: one reader per thread.
#ifndef NOVELTA_BASE_LINE_READER_H_
#define NOVELTA_BASE_LINE_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/env.h"
#include "novelta/status.h"

namespace novelta {

class LineReader {
 public:
  // Lines longer than this are reported as errors instead of being loaded. Default: 64 MiB.
  static constexpr size_t kDefaultMaxLineBytes = 64u << 20;

  // Opens `path`; gzip is detected from the content, not the name.
  static StatusOr<std::unique_ptr<LineReader>> Open(const std::string& path,
                                                     size_t max_line_bytes = kDefaultMaxLineBytes,
                                                     Env* env = Env::Default());
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Reads the next line without its trailing "\n" / "\r\n". Returns false at
  // the end of the file or on error; check status() to tell them apart.
  // A line over the limit is skipped and reported through `*too_long`.
  bool Next(std::string* line, bool* too_long = nullptr);
  // 1-based number of the line last returned.
  uint64_t line_number() const { return line_number_; }
  // Compressed bytes consumed so far (for progress against the file size).
  uint64_t bytes_consumed() const;
  const Status& status() const { return status_; }
  const std::string& path() const { return path_; }

 private:
  struct Source;  // the file, and the inflater when it is gzip
  LineReader(std::unique_ptr<Source> source, std::string path, size_t max_line_bytes);
  std::unique_ptr<Source> source_;
  std::vector<char> text_;  // decompressed text not yet returned: [pos_, len_)
  size_t pos_ = 0, len_ = 0;
  std::string path_;
  size_t max_line_bytes_;
  uint64_t line_number_ = 0;
  Status status_;
};

}  // namespace novelta

#endif  // NOVELTA_BASE_LINE_READER_H_
