// CorpusPriorWorkResolver: resolves titles and reference entries named in
// reviews to papers of the prior-work corpus, by title (see
// index/reference_resolver.h for the matching rules).
//
// Only ids, titles and years are kept in memory (about 15 MB for the 95k-paper
// corpus); loading streams the JSON Lines file.
//
// Thread-safety: immutable after Load; the Resolve methods may be called concurrently.
#ifndef NOVELTA_ALIGNMENT_CORPUS_RESOLVER_H_
#define NOVELTA_ALIGNMENT_CORPUS_RESOLVER_H_

#include <memory>
#include <string>
#include <vector>

#include "novelta/status.h"
#include "index/reference_resolver.h"
#include "alignment/review_reader.h"

namespace novelta::alignment {

class CorpusPriorWorkResolver : public PriorWorkResolver {
 public:
  struct Paper {
    std::string id;
    std::string title;
    int year = 0;
  };

  // Reads a corpus JSON Lines file (plain or gzip): {"id","title","year",...}
  // per line. Lines without a string id and title are skipped and counted;
  // a malformed JSON line fails with its line number.
  static StatusOr<std::unique_ptr<CorpusPriorWorkResolver>> Load(const std::string& path);
  // From papers already in memory (tests, callers that hold the corpus).
  explicit CorpusPriorWorkResolver(std::vector<Paper> papers);

  std::string ResolveTitle(std::string_view title, int year) const override;
  std::string ResolveReference(std::string_view reference) const override;

  size_t size() const { return papers_.size(); }
  size_t skipped_lines() const { return skipped_lines_; }

 private:
  std::vector<Paper> papers_;
  std::unique_ptr<ReferenceResolver> resolver_;
  size_t skipped_lines_ = 0;
};

}  // namespace novelta::alignment

#endif  // NOVELTA_ALIGNMENT_CORPUS_RESOLVER_H_
