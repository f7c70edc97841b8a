#include "novelta/model.h"

#include "base/json.h"

#include <gtest/gtest.h>

namespace novelta {
namespace {

TEST(DateTest, ParsesFullPartialAndRejectsGarbage) {
  auto d = Date::Parse("2025-05-15");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->year, 2025);
  EXPECT_EQ(d->month, 5);
  EXPECT_EQ(d->day, 15);
  EXPECT_EQ(d->ToString(), "2025-05-15");
  EXPECT_EQ(Date::Parse("2024")->ToString(), "2024");
  EXPECT_EQ(Date::Parse("2024-03")->ToString(), "2024-03");
  EXPECT_EQ(Date::Parse("2025-05-15T10:00:00Z")->ToString(), "2025-05-15");
  EXPECT_FALSE(Date::Parse("")->known());
  for (const char* bad : {"15/05/2025", "2025-13-01", "20x5", "2025-05-15junk", "99"})
    EXPECT_FALSE(Date::Parse(bad).ok()) << bad;
}

TEST(DateTest, PriorIsConservativeWhenOnlyTheYearIsKnown) {
  Date sub = *Date::Parse("2025-05-15");
  EXPECT_TRUE(IsPrior(Date::Year(2024), sub));
  EXPECT_FALSE(IsPrior(Date::Year(2025), sub));  // same year, exact date unknown
  EXPECT_FALSE(IsPrior(Date::Year(2026), sub));
  EXPECT_TRUE(IsPrior(*Date::Parse("2025-05-14"), sub));
  EXPECT_FALSE(IsPrior(*Date::Parse("2025-05-15"), sub));
  EXPECT_FALSE(IsPrior(*Date::Parse("2025-05"), sub));
  EXPECT_TRUE(IsPrior(*Date::Parse("2025-04"), sub));
  EXPECT_FALSE(IsPrior(Date(), sub));
  EXPECT_TRUE(IsPrior(Date::Year(2030), Date()));
}

TEST(SubmissionTest, ReadsEvalFormatFields) {
  Json j = {{"id", "004uTlSufe"}, {"title", "T"}, {"abstract", "A"},
            {"authors", {"X", "Y"}}, {"submitted", "2025-05-15"}, {"fulltext", nullptr}};
  auto s = SubmissionFromJson(j, "x.json");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->id, "004uTlSufe");
  EXPECT_EQ(s->authors.size(), 2u);
  EXPECT_EQ(s->submitted.ToString(), "2025-05-15");
  EXPECT_TRUE(s->fulltext.empty());
  auto again = SubmissionFromJson(ToJson(*s), "again");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->title, "T");

  auto bad = SubmissionFromJson({{"title", 5}}, "x.json");
  EXPECT_EQ(bad.status().message(), "x.json: field 'title' must be a string");
  auto bad_date = SubmissionFromJson({{"submitted", "May 2025"}}, "x.json");
  EXPECT_FALSE(bad_date.ok());
  EXPECT_NE(bad_date.status().message().find("submitted"), std::string::npos);
  EXPECT_FALSE(SubmissionFromJson(Json::array(), "x.json").ok());
  auto year_only = SubmissionFromJson({{"year", 2024}}, "y");
  EXPECT_EQ(year_only->submitted.ToString(), "2024");
}

TEST(ReportTest, JsonRoundTripIsExact) {
  NoveltyReport r;
  r.submission.id = "p1";
  r.submission.title = "A title";
  r.submission.submitted = *Date::Parse("2025-05-15");
  r.submission.format = "json";
  r.cutoff = r.submission.submitted;
  AssessedClaim ac;
  ac.claim.id = "c1";
  ac.claim.text = "We propose X.";
  ac.claim.type = ClaimType::kMethod;
  ac.claim.facets["object"] = {"X"};
  ac.claim.span = {"abstract", 10, 23};
  ac.claim.cue = "we propose";
  ac.claim.score = 0.9;
  ac.verdict.verdict = Verdict::kPartiallyAnticipated;
  ac.verdict.confidence = 0.6;
  ac.verdict.max_similarity = 0.5;
  Evidence e;
  e.prior_id = "w1";
  e.title = "Prior";
  e.year = 2020;
  e.quote = "X is known.";
  e.quote_start = 0;
  e.quote_end = 11;
  e.similarity = 0.5;
  e.shared_terms = {"x"};
  ac.verdict.evidence.push_back(e);
  r.claims.push_back(ac);
  PriorWork p;
  p.id = "w1";
  p.title = "Prior";
  p.year = 2020;
  p.venue = "icml";
  p.score = 0.7;
  p.cited = true;
  p.matched_by = {"paper", "c1"};
  r.related_work.push_back(p);
  r.conclusion = Conclusion::kIncremental;
  r.novelty_score = 0.4;
  r.reasoning = "One. Two.";
  r.reasoning_sentences = {{"One.", {"c1"}, {"w1"}}, {"Two.", {}, {}}};
  r.warnings = {"w"};
  r.timing_ms = {{"total", 3.5}};
  r.index_id = "abc";

  Json j = ToJson(r);
  EXPECT_EQ(j["claims"][0]["verdict"], "partially_anticipated");
  EXPECT_EQ(j["claims"][0]["evidence"][0]["prior_id"], "w1");
  EXPECT_EQ(j["related_work"][0]["cited"], true);
  EXPECT_EQ(j["conclusion"], "incremental");
  auto back = ReportFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), j);
}

TEST(ClaimTest, JsonIsTheReportClaimWithoutTheVerdict) {
  Claim c;
  c.id = "c2";
  c.text = "We show Y.";
  c.type = ClaimType::kResult;
  c.facets["metric"] = {"accuracy", "F1"};
  c.span = {"introduction", 4, 14};
  c.also_at = {{"abstract", 0, 9}};
  c.cue = "we show";
  c.score = 0.75;
  EXPECT_EQ(DumpJson(ToJson(c)),
            R"({"also_at":[{"end":9,"field":"abstract","start":0}],)"
            R"("cue":"we show","extraction_score":0.75,"facets":{"metric":["accuracy","F1"]},"id":"c2",)"
            R"("span":{"end":14,"field":"introduction","start":4},"text":"We show Y.","type":"result"})");
  NoveltyReport r;
  AssessedClaim ac;
  ac.claim = c;
  r.claims.push_back(ac);
  Json in_report = ToJson(r)["claims"][0];
  for (const char* field : {"verdict", "confidence", "max_similarity", "compared_works", "nearest_prior_id",
                            "evidence"})
    in_report.erase(field);
  EXPECT_EQ(in_report, ToJson(c));
}

TEST(PriorWorkTest, JsonLeavesOutTheRowAndDetail) {
  PriorWork p;
  p.id = "w2";
  p.title = "Prior \"work\"";
  p.abstract = "It does Y.";
  p.year = 2019;
  p.venue = "acl";
  p.score = 0.25;
  p.matched_by = {"c2"};
  p.row = 17;
  EXPECT_EQ(DumpJson(ToJson(p)),
            R"({"abstract":"It does Y.","cited":false,"id":"w2","matched_by":["c2"],"score":0.25,)"
            R"("title":"Prior \"work\"","venue":"acl","year":2019})");
  NoveltyReport r;
  r.related_work.push_back(p);
  EXPECT_EQ(ToJson(r)["related_work"][0], ToJson(p));
}

TEST(ReportTest, RejectsUnknownEnumsWithTheAllowedValues) {
  Json j = {{"conclusion", "maybe"}};
  auto r = ReportFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("novel, incremental, not_novel"), std::string::npos);
}

}  // namespace
}  // namespace novelta
