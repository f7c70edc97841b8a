#include "base/line_reader.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace novelta {

StatusOr<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path,
                                                        size_t max_line_bytes) {
  errno = 0;
  gzFile gz = gzopen(path.c_str(), "rb");
  if (gz == nullptr) {
    std::string why = errno != 0 ? std::strerror(errno) : "cannot open";
    if (errno == ENOENT) return Status::NotFound(path + ": " + why);
    return Status::IOError(path + ": " + why);
  }
  gzbuffer(gz, 1 << 17);
  return std::unique_ptr<LineReader>(new LineReader(gz, path, max_line_bytes));
}

LineReader::LineReader(void* gz, std::string path, size_t max_line_bytes)
    : gz_(gz), path_(std::move(path)), max_line_bytes_(max_line_bytes) {}

LineReader::~LineReader() { gzclose(static_cast<gzFile>(gz_)); }

uint64_t LineReader::bytes_consumed() const {
  z_off_t off = gzoffset(static_cast<gzFile>(gz_));
  return off < 0 ? 0 : static_cast<uint64_t>(off);
}

bool LineReader::Next(std::string* line, bool* too_long) {
  if (too_long) *too_long = false;
  if (!status_.ok()) return false;
  gzFile gz = static_cast<gzFile>(gz_);
  line->clear();
  char buf[1 << 16];
  bool got_any = false;
  bool overflow = false;
  while (true) {
    char* r = gzgets(gz, buf, sizeof(buf));
    if (r == nullptr) {
      int err = 0;
      const char* msg = gzerror(gz, &err);
      // Z_BUF_ERROR here means the gzip stream broke off: a truncated file.
      if (err != Z_OK) {
        std::string why = err == Z_BUF_ERROR ? "truncated gzip file" : (msg ? msg : "read error");
        status_ = Status::Corruption(path_ + ": line " + std::to_string(line_number_ + 1) + ": " + why);
        return false;
      }
      if (!got_any) return false;
      break;
    }
    got_any = true;
    size_t n = std::strlen(buf);
    bool ended = n > 0 && buf[n - 1] == '\n';
    if (!overflow) {
      if (line->size() + n > max_line_bytes_) {
        overflow = true;
        line->clear();
      } else {
        line->append(buf, n);
      }
    }
    if (ended) break;
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
