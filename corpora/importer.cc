#include "corpora/importer.h"

#include <zlib.h>

#include <cstdio>
#include <filesystem>

#include "base/env.h"
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

StatusOr<std::unique_ptr<CorpusWriter>> CorpusWriter::Create(const std::string& path) {
  auto w = std::unique_ptr<CorpusWriter>(new CorpusWriter());
  w->path_ = path;
  w->tmp_path_ = path + ".tmp-" + std::to_string(Env::Default()->NowMicros());
  if (EndsWith(path, ".gz")) {
    w->gz_ = gzopen(w->tmp_path_.c_str(), "wb6");
    if (w->gz_ == nullptr) return Status::IOError(path + ": cannot create the output file");
  } else {
    w->file_ = std::fopen(w->tmp_path_.c_str(), "wb");
    if (w->file_ == nullptr) return Status::IOError(path + ": cannot create the output file");
  }
  return w;
}

CorpusWriter::~CorpusWriter() {
  if (gz_ != nullptr) gzclose(static_cast<gzFile>(gz_));
  if (file_ != nullptr) std::fclose(file_);
  if (!finished_) std::remove(tmp_path_.c_str());
}

Status CorpusWriter::Write(const CorpusRecord& r) {
  std::string line = DumpJson(CorpusRecordToJson(r));
  line += '\n';
  bool ok = gz_ != nullptr
                ? gzwrite(static_cast<gzFile>(gz_), line.data(), static_cast<unsigned>(line.size())) ==
                      static_cast<int>(line.size())
                : std::fwrite(line.data(), 1, line.size(), file_) == line.size();
  if (!ok) return Status::IOError(path_ + ": write failed (disk full?)");
  return Status::OK();
}

Status CorpusWriter::Finish() {
  bool ok = true;
  if (gz_ != nullptr) ok = gzclose(static_cast<gzFile>(gz_)) == Z_OK;
  if (file_ != nullptr) ok = std::fclose(file_) == 0 && ok;
  gz_ = nullptr;
  file_ = nullptr;
  if (!ok) return Status::IOError(path_ + ": cannot finish writing (disk full?)");
  NOVELTA_RETURN_IF_ERROR(Env::Default()->RenameFile(tmp_path_, path_));
  finished_ = true;
  return Status::OK();
}

Status ForEachJsonObject(const std::vector<std::string>& paths, const std::string& label,
                         bool progress, ImportStats* stats,
                         const std::function<void(const Json&, const std::string& where)>& fn) {
  uint64_t total_bytes = 0;
  for (const auto& path : paths) {
    uint64_t size = 0;
    NOVELTA_RETURN_IF_ERROR(Env::Default()->FileSize(path, &size));
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
