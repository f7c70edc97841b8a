#include "evaluation/trust.h"

#include <gtest/gtest.h>

namespace novelta {
namespace {

AssessedClaim ClaimWith(const std::string& text, std::vector<std::string> evidence_from = {}) {
  AssessedClaim ac;
  ac.claim.text = text;
  for (auto& id : evidence_from) {
    Evidence e;
    e.prior_id = id;
    ac.verdict.evidence.push_back(e);
  }
  return ac;
}

PriorWork Work(const std::string& id, std::vector<std::string> matched_by) {
  PriorWork w;
  w.id = id;
  w.matched_by = std::move(matched_by);
  return w;
}

TEST(TrustTest, CountsWhatAReviewerWouldDistrust) {
  NoveltyReport r;
  r.claims = {ClaimWith("Our code is available at https://github.com/example/code."),
              ClaimWith("We propose a sparse attention kernel for video diffusion transformers.", {"a", "b"}),
              ClaimWith("We propose a sparse attention kernel for video diffusion transformers at scale."),
              ClaimWith("We prove a matching lower bound on the regret of delayed bandits.", {"c"})};
  AssessedClaim whole = ClaimWith("The abstract, code at https://example.org, and more.");
  whole.claim.cue = "whole abstract";
  r.claims.push_back(whole);
  r.related_work = {Work("a", {"paper"}), Work("n1", {"named:LoRA"}), Work("n2", {"named:MEC", "c1"})};
  TrustCounts t = CountTrust(r, {"a", "c", "n1"});
  EXPECT_EQ(t.claims, 5u);
  EXPECT_EQ(t.boilerplate_claims, 1u);    // the availability line, not the whole-abstract stand-in
  EXPECT_EQ(t.near_duplicate_pairs, 1u);  // the two kernel claims
  EXPECT_EQ(t.claims_with_evidence, 2u);
  EXPECT_EQ(t.evidence_quotes, 3u);
  EXPECT_EQ(t.quotes_in_papers_with_references, 3u);
  EXPECT_EQ(t.quotes_from_cited_works, 2u);
  EXPECT_EQ(t.named_matches, 2u);
  EXPECT_EQ(t.named_matches_cited, 1u);

  // Without resolved references nothing counts as cited, and shares are null.
  TrustCounts unknown = CountTrust(r, {});
  EXPECT_EQ(unknown.quotes_in_papers_with_references, 0u);
  EXPECT_TRUE(unknown.ToJson()["share_of_evidence_from_cited_works"].is_null());

  t.Add(unknown);
  Json j = t.ToJson();
  EXPECT_EQ(j["papers"], 2);
  EXPECT_EQ(j["claims"], 10);
  EXPECT_DOUBLE_EQ(j["share_of_evidence_from_cited_works"].get<double>(), 0.6667);
}

}  // namespace
}  // namespace novelta
