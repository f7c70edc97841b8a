#include "index/paper_index.h"

#include <unordered_map>

#include "base/hash.h"
#include "base/text.h"

namespace novelta {

StatusOr<std::unique_ptr<PaperIndex>> PaperIndex::Open(const std::string& dir,
                                                       const PaperIndexOptions& options, Env* env) {
  if (!env->IsDirectory(dir)) return Status::NotFound(dir + ": no index directory there");
  const std::string manifest_path = dir + "/manifest.json";
  std::string manifest_text;
  Status s = env->ReadFile(manifest_path, &manifest_text, 16u << 20);
  if (s.IsNotFound())
    return Status::NotFound(dir + ": no manifest.json (not an index, or its build did not finish)");
  NOVELTA_RETURN_IF_ERROR(s);
  auto manifest = ParseJson(manifest_text, manifest_path);
  if (!manifest.ok()) return Status::Corruption(manifest.status().message());
  auto idx = std::unique_ptr<PaperIndex>(new PaperIndex());
  idx->manifest_ = std::move(manifest).value();
  idx->index_id_ = Sha256Hex(manifest_text);
  const Json& m = idx->manifest_;
  if (m.value("format", "") != "novelta-index")
    return Status::InvalidArgument(manifest_path + ": not a novelta index manifest");
  if (m.value("format_version", 0) != kIndexFormatVersion)
    return Status::InvalidArgument(manifest_path + ": index format version " +
                                   std::to_string(m.value("format_version", 0)) +
                                   " is not supported (expected " +
                                   std::to_string(kIndexFormatVersion) + "); rebuild the index");

  auto file_of = [&](const char* part, std::string* path) -> Status {
    if (!m.contains(part) || !m[part].is_object() || !m[part].contains("file"))
      return Status::Corruption(manifest_path + ": no '" + std::string(part) + "' entry");
    *path = dir + "/" + m[part]["file"].get<std::string>();
    if (!env->FileExists(*path)) return Status::Corruption(*path + ": missing");
    if (options.verify_checksums) {
      NOVELTA_ASSIGN_OR_RETURN(std::string sha, Sha256File(*path, env));
      if (sha != m[part].value("sha256", ""))
        return Status::Corruption(*path + ": checksum mismatch (the index is damaged or was "
                                  "half-written; rebuild it)");
    }
    return Status::OK();
  };
  std::string tok_path, emb_path, vec_path, db_path;
  NOVELTA_RETURN_IF_ERROR(file_of("tokenizer", &tok_path));
  NOVELTA_RETURN_IF_ERROR(file_of("embedder", &emb_path));
  NOVELTA_RETURN_IF_ERROR(file_of("vectors", &vec_path));
  NOVELTA_RETURN_IF_ERROR(file_of("papers", &db_path));

  std::string bytes;
  NOVELTA_RETURN_IF_ERROR(env->ReadFile(tok_path, &bytes));
  NOVELTA_ASSIGN_OR_RETURN(idx->tokenizer_, Tokenizer::FromSerialized(bytes));
  NOVELTA_RETURN_IF_ERROR(env->ReadFile(emb_path, &bytes));
  NOVELTA_ASSIGN_OR_RETURN(idx->embedder_, Embedder::Deserialize(bytes));
  bytes.clear();
  bytes.shrink_to_fit();
  NOVELTA_ASSIGN_OR_RETURN(idx->vectors_, VectorIndex::Load(vec_path, options.vectors));
  NOVELTA_ASSIGN_OR_RETURN(idx->store_, PaperStore::Open(db_path));

  const size_t n = idx->store_->size();
  if (idx->vectors_->size() != n)
    return Status::Corruption(dir + ": " + std::to_string(idx->vectors_->size()) +
                              " vectors but " + std::to_string(n) + " papers");
  if (idx->vectors_->dim() != idx->embedder_->dimensions())
    return Status::Corruption(dir + ": vector and embedder dimensions differ");
  idx->ids_.resize(n);
  idx->titles_.resize(n);
  idx->dates_.resize(n);
  std::vector<ReferenceResolver::Entry> entries;
  entries.reserve(n);
  idx->venue_of_.resize(n, 0);
  std::unordered_map<std::string, uint16_t> venue_ids;
  NOVELTA_RETURN_IF_ERROR(idx->store_->ForEachTitle(
      [&](int64_t row, const std::string& id, const std::string& title, const Date& date,
          const std::string& venue) {
        if (row < 0 || static_cast<size_t>(row) >= n) return;
        idx->ids_[row] = id;
        idx->titles_[row] = title;
        idx->dates_[row] = date;
        auto [it, inserted] = venue_ids.emplace(venue, static_cast<uint16_t>(idx->venues_.size()));
        if (inserted) {
          if (idx->venues_.size() == UINT16_MAX) {
            it->second = 0;  // beyond 65,535 distinct venues the rest read as unknown
          } else {
            idx->venues_.push_back(venue);
          }
        }
        idx->venue_of_[row] = it->second;
        entries.push_back({row, title, date.year});
      }));
  idx->resolver_ = std::make_unique<ReferenceResolver>(entries);
  idx->names_ = std::make_unique<NameIndex>(idx->titles_);
  return idx;
}

StatusOr<const SparseIndex*> PaperIndex::sparse_index() const {
  std::call_once(sparse_once_, [this] {
    auto built = SparseIndex::Build(*store_);
    if (built.ok()) sparse_ = std::move(built).value();
    else sparse_status_ = built.status();
  });
  if (!sparse_status_.ok()) return sparse_status_;
  return static_cast<const SparseIndex*>(sparse_.get());
}

SparseVector PaperIndex::Sparse(std::string_view text) const {
  return embedder_->TfIdf(tokenizer_->EncodeForMatching(text));
}

SparseVector PaperIndex::SparseFromPieces(const std::vector<int>& pieces) const {
  return embedder_->TfIdf(pieces);
}

void PaperIndex::Dense(std::string_view text, float* out) const {
  embedder_->Project(Sparse(text), out);
}

}  // namespace novelta
