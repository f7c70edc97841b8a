// What makes a reviewer distrust a report, counted over an evaluation: claims
// that are boilerplate (availability lines, list lead-ins, captions, pointers)
// or restate another claim, how many claims carry evidence, whether that
// evidence comes from works the paper really builds on (its references,
// withheld from the pipeline), and whether the works a name brought in are
// ones the paper cites. The "trust" block of metrics.json and report.html.
//
// Thread-safety: plain values and pure functions.
#ifndef NOVELTA_EVALUATION_TRUST_H_
#define NOVELTA_EVALUATION_TRUST_H_

#include <string>
#include <unordered_set>

#include "base/json.h"
#include "novelta/model.h"

namespace novelta {

struct TrustCounts {
  size_t papers = 0;
  size_t claims = 0;
  // Claims that are boilerplate by WhyNotAClaim's availability, list
  // lead-in, caption and pointer rules, or that hold a URL.
  size_t boilerplate_claims = 0;
  // Pairs of claims of one report whose words overlap at least 0.8
  // (ClaimOverlap): restatements the extractor did not fold.
  size_t near_duplicate_pairs = 0;
  size_t claims_with_evidence = 0;
  size_t evidence_quotes = 0;
  // In papers whose references resolve to corpus works (the gold set): their
  // quotes, and how many come from a work the paper cites.
  size_t quotes_in_papers_with_references = 0;
  size_t quotes_from_cited_works = 0;
  // Listed related works a named query brought in; in papers with resolved
  // references, how many of those the paper cites.
  size_t named_matches = 0;
  size_t named_matches_in_papers_with_references = 0;
  size_t named_matches_cited = 0;

  void Add(const TrustCounts& other);
  // The counts and their shares, as metrics.json's "trust".
  Json ToJson() const;
};

// The counts of one report; `cited` are the ids of the corpus works the
// paper's references resolve to (empty when unknown).
TrustCounts CountTrust(const NoveltyReport& report, const std::unordered_set<std::string>& cited);

}  // namespace novelta

#endif  // NOVELTA_EVALUATION_TRUST_H_
