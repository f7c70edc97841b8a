#include "evaluation/trust.h"

#include <cmath>

#include "pipeline/extract/claim_filter.h"
#include "pipeline/retrieve/work_detail.h"

namespace novelta {
namespace {

bool IsBoilerplate(const Claim& c) {
  // With no contribution statement found, the whole abstract stands in as
  // one claim: whatever it holds (a URL, say), it is not a boilerplate line.
  if (c.cue == "whole abstract") return false;
  switch (WhyNotAClaim(c.text)) {
    case NonClaimReason::kAvailability:
    case NonClaimReason::kListLeadIn:
    case NonClaimReason::kCaption:
    case NonClaimReason::kPointer:
      return true;
    default:
      return c.text.find("http://") != std::string::npos || c.text.find("https://") != std::string::npos;
  }
}

Json Share(size_t part, size_t whole) {
  if (whole == 0) return nullptr;
  return std::round(10000.0 * part / whole) / 10000;
}

}  // namespace

void TrustCounts::Add(const TrustCounts& o) {
  papers += o.papers;
  claims += o.claims;
  boilerplate_claims += o.boilerplate_claims;
  near_duplicate_pairs += o.near_duplicate_pairs;
  claims_with_evidence += o.claims_with_evidence;
  evidence_quotes += o.evidence_quotes;
  quotes_in_papers_with_references += o.quotes_in_papers_with_references;
  quotes_from_cited_works += o.quotes_from_cited_works;
  named_matches += o.named_matches;
  named_matches_in_papers_with_references += o.named_matches_in_papers_with_references;
  named_matches_cited += o.named_matches_cited;
}

Json TrustCounts::ToJson() const {
  return {{"papers", papers},
          {"claims", claims},
          {"boilerplate_claims", boilerplate_claims},
          {"near_duplicate_claim_pairs", near_duplicate_pairs},
          {"claims_with_evidence", claims_with_evidence},
          {"share_of_claims_with_evidence", Share(claims_with_evidence, claims)},
          {"evidence_quotes", evidence_quotes},
          {"evidence_quotes_in_papers_with_references", quotes_in_papers_with_references},
          {"evidence_quotes_from_cited_works", quotes_from_cited_works},
          {"share_of_evidence_from_cited_works", Share(quotes_from_cited_works, quotes_in_papers_with_references)},
          {"named_matches", named_matches},
          {"named_matches_in_papers_with_references", named_matches_in_papers_with_references},
          {"named_matches_cited", named_matches_cited},
          {"share_of_named_matches_cited", Share(named_matches_cited, named_matches_in_papers_with_references)},
          {"note",
           "references are withheld from the pipeline; 'cited' compares with the works the paper's own "
           "references resolve to"}};
}

TrustCounts CountTrust(const NoveltyReport& report, const std::unordered_set<std::string>& cited) {
  TrustCounts t;
  t.papers = 1;
  t.claims = report.claims.size();
  const bool known = !cited.empty();
  for (size_t i = 0; i < report.claims.size(); ++i) {
    const AssessedClaim& ac = report.claims[i];
    t.boilerplate_claims += IsBoilerplate(ac.claim);
    for (size_t j = 0; j < i; ++j)
      t.near_duplicate_pairs += ClaimOverlap(ac.claim.text, report.claims[j].claim.text) >= 0.8;
    if (!ac.verdict.evidence.empty()) ++t.claims_with_evidence;
    for (const Evidence& e : ac.verdict.evidence) {
      ++t.evidence_quotes;
      if (!known) continue;
      ++t.quotes_in_papers_with_references;
      t.quotes_from_cited_works += cited.count(e.prior_id) > 0;
    }
  }
  for (const PriorWork& w : report.related_work) {
    if (!FoundByName(w)) continue;
    ++t.named_matches;
    if (!known) continue;
    ++t.named_matches_in_papers_with_references;
    t.named_matches_cited += cited.count(w.id) > 0;
  }
  return t;
}

}  // namespace novelta
