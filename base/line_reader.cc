#include "base/line_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace novelta {
namespace {

constexpr size_t kChunk = 1 << 17;

bool IsGzipMagic(std::string_view b) {
  return b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1f && static_cast<unsigned char>(b[1]) == 0x8b;
}

}  // namespace

struct LineReader::Source {
  std::unique_ptr<SequentialFile> file;
  std::vector<char> raw = std::vector<char>(kChunk);
  std::string_view pending;  // bytes read from the file, not yet passed on
  bool file_ended = false;
  bool gzip = false;
  bool in_member = false;  // inside a gzip member: its end not yet seen
  bool trailing = false;   // past the last member: the rest is ignored, as gzip does
  z_stream zs{};
  uint64_t read_bytes = 0;

  ~Source() {
    if (gzip) inflateEnd(&zs);
  }

  Status Fill() {
    std::string_view got;
    NOVELTA_RETURN_IF_ERROR(file->Read(raw.size(), &got, raw.data()));
    if (got.empty()) file_ended = true;
    read_bytes += got.size();
    pending = got;
    return Status::OK();
  }

  // Detects gzip from the first bytes of the file.
  Status Start() {
    NOVELTA_RETURN_IF_ERROR(Fill());
    if (!IsGzipMagic(pending)) return Status::OK();
    gzip = true;
    if (inflateInit2(&zs, 15 + 16) != Z_OK) return Status::ResourceExhausted("cannot start zlib");
    in_member = true;
    return Status::OK();
  }

  // Up to `cap` bytes of text into `out`; *n = 0 at the end. Corruption
  // (with the reason alone) when the gzip data is bad or breaks off.
  Status Read(char* out, size_t cap, size_t* n) {
    *n = 0;
    while (*n == 0) {
      if (pending.empty() && !file_ended) NOVELTA_RETURN_IF_ERROR(Fill());
      if (!gzip || trailing) {
        if (trailing) pending = {};
        const size_t k = std::min(cap, pending.size());
        if (k > 0) std::memcpy(out, pending.data(), k);  // an empty view's data() may be null
        pending.remove_prefix(k);
        *n = k;
        return Status::OK();
      }
      if (pending.empty()) {  // the file ended
        if (in_member) return Status::Corruption("truncated gzip file");
        return Status::OK();
      }
      bool new_member = false;
      if (!in_member) {  // another member follows, or trailing bytes
        inflateReset(&zs);
        in_member = new_member = true;
      }
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(pending.data()));
      zs.avail_in = static_cast<uInt>(pending.size());
      zs.next_out = reinterpret_cast<Bytef*>(out);
      zs.avail_out = static_cast<uInt>(cap);
      const int rc = inflate(&zs, Z_NO_FLUSH);
      pending.remove_prefix(pending.size() - zs.avail_in);
      *n = cap - zs.avail_out;
      if (rc == Z_STREAM_END) {
        in_member = false;
      } else if (rc == Z_DATA_ERROR && new_member && zs.total_out == 0) {
        trailing = true;  // not a gzip member: ignored, as gzip ignores trailing garbage
        in_member = false;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Status::Corruption(zs.msg != nullptr ? zs.msg : "bad gzip data");
      }
    }
    return Status::OK();
  }
};

StatusOr<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path, size_t max_line_bytes,
                                                        Env* env) {
  auto source = std::make_unique<Source>();
  NOVELTA_RETURN_IF_ERROR(env->NewSequentialFile(path, &source->file));
  Status started = source->Start();
  if (!started.ok()) return started;
  return std::unique_ptr<LineReader>(new LineReader(std::move(source), path, max_line_bytes));
}

LineReader::LineReader(std::unique_ptr<Source> source, std::string path, size_t max_line_bytes)
    : source_(std::move(source)), text_(kChunk), path_(std::move(path)), max_line_bytes_(max_line_bytes) {}

LineReader::~LineReader() = default;

uint64_t LineReader::bytes_consumed() const { return source_->read_bytes - source_->pending.size(); }

bool LineReader::Next(std::string* line, bool* too_long) {
  if (too_long) *too_long = false;
  if (!status_.ok()) return false;
  line->clear();
  bool got_any = false;
  bool overflow = false;
  while (true) {
    if (pos_ == len_) {
      size_t n = 0;
      Status s = source_->Read(text_.data(), text_.size(), &n);
      if (!s.ok()) {
        status_ = s.IsCorruption()
                      ? Status::Corruption(path_ + ": line " + std::to_string(line_number_ + 1) + ": " + s.message())
                      : s;
        return false;
      }
      pos_ = 0;
      len_ = n;
      if (n == 0) {
        if (!got_any) return false;
        break;
      }
    }
    got_any = true;
    const char* start = text_.data() + pos_;
    const size_t avail = len_ - pos_;
    const char* nl = static_cast<const char*>(std::memchr(start, '\n', avail));
    const size_t take = nl != nullptr ? static_cast<size_t>(nl - start) + 1 : avail;
    if (!overflow) {
      if (line->size() + take > max_line_bytes_) {
        overflow = true;
        line->clear();
      } else {
        line->append(start, take);
      }
    }
    pos_ += take;
    if (nl != nullptr) break;
  }
  ++line_number_;
  if (overflow) {
    if (too_long) *too_long = true;
    line->clear();
    return true;
  }
  if (!line->empty() && line->back() == '\n') line->pop_back();
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

}  // namespace novelta
