#include "corpora/importer.h"

#include <zlib.h>


#include "base/line_reader.h"
#include "base/progress.h"
#include "base/text.h"

namespace novelta {

void ImportStats::Skip(std::string why) {
  ++skipped;
  if (first_errors.size() < 10) first_errors.push_back(std::move(why));
}

Json CorpusRecordToJson(const CorpusRecord& r) {
  Json j = {{"id", r.id}, {"title", r.title}};
  if (!r.abstract.empty()) j["abstract"] = r.abstract;
  if (r.date.known()) {
    if (r.date.month > 0) j["date"] = r.date.ToString();
    j["year"] = r.date.year;
  }
  if (!r.venue.empty()) j["venue"] = r.venue;
  if (!r.source.empty()) j["source"] = r.source;
  return j;
}

// The gzip stream of a ".gz" output: zlib's deflate with gzip's header and
// trailer, at level 6 with zlib's default window, memory and strategy (what
// gzopen(path, "wb6") wrote). Input gathers in a buffer and is compressed a
// buffer at a time; the compressed bytes are appended to the file.
class CorpusWriter::Gzip {
 public:
  Gzip() { ok_ = deflateInit2(&zs_, 6, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK; }
  ~Gzip() {
    if (ok_) deflateEnd(&zs_);
  }
  bool ok() const { return ok_; }

  Status Add(std::string_view data, WritableFile* file, const std::string& path) {
    in_.append(data);
    if (in_.size() < kInputBuffer) return Status::OK();
    return Deflate(Z_NO_FLUSH, file, path);
  }
  // Compresses what is left and ends the stream.
  Status Finish(WritableFile* file, const std::string& path) { return Deflate(Z_FINISH, file, path); }

 private:
  static constexpr size_t kInputBuffer = 64 << 10;

  Status Deflate(int flush, WritableFile* file, const std::string& path) {
    zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
    zs_.avail_in = static_cast<uInt>(in_.size());
    char out[1 << 14];
    int rc;
    do {
      zs_.next_out = reinterpret_cast<Bytef*>(out);
      zs_.avail_out = sizeof(out);
      rc = deflate(&zs_, flush);
      if (rc == Z_STREAM_ERROR) return Status::Internal(path + ": gzip compression failed");
      const size_t n = sizeof(out) - zs_.avail_out;
      if (n > 0) NOVELTA_RETURN_IF_ERROR(file->Append(std::string_view(out, n)));
    } while (zs_.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    in_.clear();
    return Status::OK();
  }

  z_stream zs_{};
  bool ok_ = false;
  std::string in_;
};

StatusOr<std::unique_ptr<CorpusWriter>> CorpusWriter::Create(const std::string& path, Env* env) {
  auto w = std::unique_ptr<CorpusWriter>(new CorpusWriter());
  w->env_ = env;
  w->path_ = path;
  w->tmp_path_ = path + ".tmp-" + std::to_string(env->NowMicros());
  Status s = env->NewWritableFile(w->tmp_path_, &w->file_);
  if (!s.ok()) return s.WithPrefix(path + ": cannot create the output file");
  if (EndsWith(path, ".gz")) {
    w->gzip_ = std::make_unique<Gzip>();
    if (!w->gzip_->ok()) return Status::Internal(path + ": cannot start gzip compression");
  }
  return w;
}

CorpusWriter::~CorpusWriter() {
  if (finished_) return;
  gzip_.reset();
  if (file_ != nullptr) file_->Close();
  file_.reset();
  if (env_ != nullptr) env_->RemoveFile(tmp_path_);
}

Status CorpusWriter::Write(const CorpusRecord& r) {
  std::string line = DumpJson(CorpusRecordToJson(r));
  line += '\n';
  Status s = gzip_ != nullptr ? gzip_->Add(line, file_.get(), path_) : file_->Append(line);
  if (!s.ok()) return s.WithPrefix(path_ + ": write failed");
  return Status::OK();
}

Status CorpusWriter::Finish() {
  if (file_ == nullptr) return Status::FailedPrecondition(path_ + ": finished twice");
  Status s = gzip_ != nullptr ? gzip_->Finish(file_.get(), path_) : Status::OK();
  Status closed = file_->Close();
  if (s.ok()) s = closed;
  gzip_.reset();
  file_.reset();
  if (!s.ok()) return s.WithPrefix(path_ + ": cannot finish writing");
  NOVELTA_RETURN_IF_ERROR(env_->RenameFile(tmp_path_, path_));
  finished_ = true;
  return Status::OK();
}

Status ForEachJsonObject(const std::vector<std::string>& paths, const std::string& label,
                         bool progress, ImportStats* stats,
                         const std::function<void(const Json&, const std::string& where)>& fn,
                         Env* env) {
  uint64_t total_bytes = 0;
  for (const auto& path : paths) {
    uint64_t size = 0;
    NOVELTA_RETURN_IF_ERROR(env->FileSize(path, &size));
    total_bytes += size;
  }
  Progress bar(label, total_bytes, "bytes", progress && Progress::StderrIsTerminal());
  for (const auto& path : paths) {
    NOVELTA_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path));
    std::string line;
    bool too_long = false;
    uint64_t last = 0;
    while (reader->Next(&line, &too_long)) {
      const std::string where = path + ":" + std::to_string(reader->line_number());
      if (too_long) {
        ++stats->lines;
        stats->Skip(where + ": line too long");
        continue;
      }
      if (Trim(line).empty()) continue;
      ++stats->lines;
      auto j = ParseJson(line, where);
      if (!j.ok()) {
        stats->Skip(j.status().message());
        continue;
      }
      if (!j->is_object()) {
        stats->Skip(where + ": not a JSON object");
        continue;
      }
      fn(*j, where);
      if ((stats->lines & 1023) == 0) {
        bar.Add(reader->bytes_consumed() - last);
        last = reader->bytes_consumed();
      }
    }
    NOVELTA_RETURN_IF_ERROR(reader->status());
    bar.Add(reader->bytes_consumed() - last);
  }
  return Status::OK();
}

Status WriteImported(CorpusRecord r, const std::string& where, const ImportOptions& options,
                     CorpusWriter* writer, ImportStats* stats) {
  // The corpus reader must accept what an importer writes: check with its rules.
  auto checked = ParseCorpusRecord(CorpusRecordToJson(r), where);
  if (!checked.ok()) {
    stats->Skip(checked.status().message());
    return Status::OK();
  }
  if (checked->abstract.empty()) {
    if (options.require_abstract) {
      ++stats->filtered;
      return Status::OK();
    }
    ++stats->without_abstract;
  }
  NOVELTA_RETURN_IF_ERROR(writer->Write(*checked));
  ++stats->written;
  return Status::OK();
}

StatusOr<std::string> OptionalString(const Json& j, std::string_view field, std::string_view what) {
  auto it = j.find(std::string(field));
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string())
    return Status::InvalidArgument(std::string(what) + ": field '" + std::string(field) +
                                   "' must be a string");
  return it->get<std::string>();
}

}  // namespace novelta
