#include "pipeline/extract/claim_extractor.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <utility>

#include "base/sentence_splitter.h"
#include "base/text.h"
#include "pipeline/extract/claim_filter.h"
#include "pipeline/extract/sentence_classifier.h"

namespace novelta {
namespace {

// Bytes of a Markdown list marker ("- ", "* ", "+ ", "• ", "1. ", "1) ", "(1) ",
// "(a) ", "(i) ") at the start of `s`, including the space after it; 0 when none.
size_t ListMarkerLen(std::string_view s) {
  size_t j = 0;
  if (s.empty()) return 0;
  if (s[0] == '-' || s[0] == '*' || s[0] == '+') {
    j = 1;
  } else if (StartsWith(s, "\xE2\x80\xA2")) {  // •
    j = 3;
  } else if (std::isdigit(static_cast<unsigned char>(s[0]))) {
    while (j < s.size() && j < 3 && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j >= s.size() || (s[j] != '.' && s[j] != ')')) return 0;
    ++j;
  } else if (s[0] == '(') {
    j = 1;
    while (j < s.size() && j < 6 && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
    if (j == 1 || j >= s.size() || s[j] != ')') return 0;
    ++j;
  } else {
    return 0;
  }
  if (j >= s.size() || (s[j] != ' ' && s[j] != '\t')) return 0;
  while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
  return j;
}

// True when a sentence announces a list of contributions ("Our main
// contributions are as follows:", "In summary, we make the following contributions:").
bool AnnouncesContributionList(std::string_view sentence) {
  std::string lower = ToLowerAscii(Trim(sentence));
  if (lower.find("contribution") == std::string::npos) return false;
  return (!lower.empty() && lower.back() == ':') || lower.find("as follows") != std::string::npos ||
         lower.find("following") != std::string::npos || lower.find("summarized") != std::string::npos ||
         lower.find("summarize") != std::string::npos;
}

struct Candidate {
  Claim claim;
  int field_order = 0;  // abstract before introduction
};

}  // namespace

ClaimExtractor::ClaimExtractor(ExtractorOptions options, std::shared_ptr<const SentenceScorer> scorer)
    : options_(std::move(options)), scorer_(std::move(scorer)) {
  if (!scorer_) scorer_ = ScorerForModel(options_.claims_model);
}

ExtractionResult ClaimExtractor::Extract(const Submission& submission) const {
  std::vector<Candidate> candidates;
  size_t not_claims = 0;
  auto scan_field = [&](const std::string& field_name, const std::string& text, int order) {
    std::vector<SentenceSpan> spans = SplitSentences(text);
    bool in_list = false;
    size_t previous_end = 0;
    // The introduction field is the introduction section (the reader cut it there).
    const std::string section = field_name == "introduction" ? "introduction" : "";
    size_t section_index = 0;
    for (size_t index = 0; index < spans.size(); ++index) {
      SentenceSpan span = spans[index];
      std::string_view sentence(text.data() + span.start, span.end - span.start);
      size_t marker = ListMarkerLen(sentence);
      if (in_list && marker == 0) {
        // A list item's later sentences stay in the list; a new line without
        // a marker ends it.
        std::string_view gap(text.data() + previous_end, span.start - previous_end);
        if (gap.find('\n') != std::string_view::npos) in_list = false;
      }
      previous_end = span.end;
      bool announces = AnnouncesContributionList(sentence);
      // A heading inside the introduction starts one of its subsections
      // ("1.1 Our contributions"): the position restarts, the section stays
      // the introduction, whose guards (sentence_classifier.h) keep applying.
      if (!sentence.empty() && sentence[0] == '#') section_index = 0;
      if (sentence.empty() || sentence[0] == '#' || sentence[0] == '|') {
        in_list = false;
        continue;
      }
      SentenceContext ctx;
      ctx.field = field_name;
      ctx.index = index;
      ctx.count = spans.size();
      ctx.in_contribution_list = in_list;
      ctx.section = field_name == "abstract" ? "" : section;
      ctx.section_index = section_index++;
      if (index > 0)
        ctx.previous = std::string_view(text.data() + spans[index - 1].start, spans[index - 1].end - spans[index - 1].start);
      if (index + 1 < spans.size())
        ctx.next = std::string_view(text.data() + spans[index + 1].start, spans[index + 1].end - spans[index + 1].start);
      if (announces) {
        in_list = true;
        // "Our contributions are as follows:" announces claims, it states none.
        std::string_view trimmed = Trim(sentence);
        if (!trimmed.empty() && trimmed.back() == ':') continue;
      }
      // The claim is the sentence without its list marker.
      span.start += marker;
      sentence.remove_prefix(marker);
      if (sentence.empty() || sentence.size() > options_.max_claim_bytes) continue;
      std::string cue;
      double score = scorer_->Score(sentence, ctx, &cue);
      if (!(score >= options_.min_score)) continue;
      if (options_.drop_non_claims && WhyNotAClaim(sentence) != NonClaimReason::kNone) {
        ++not_claims;
        continue;
      }
      Candidate c;
      c.field_order = order;
      c.claim.text = std::string(sentence);
      c.claim.span = Span{field_name, span.start, span.end};
      c.claim.cue = cue;
      c.claim.score = score;
      candidates.push_back(std::move(c));
    }
  };
  scan_field("abstract", submission.abstract, 0);
  if (options_.use_introduction && !submission.introduction.empty())
    scan_field("introduction", submission.introduction, 1);

  // The same sentence in the abstract and the introduction is one claim.
  std::vector<Candidate> unique;
  std::unordered_map<std::string, size_t> seen;
  for (Candidate& c : candidates) {
    std::string key = ToLowerAscii(CollapseWhitespace(c.claim.text));
    auto it = seen.find(key);
    if (it != seen.end()) {
      Candidate& kept = unique[it->second];
      kept.claim.score = std::max(kept.claim.score, c.claim.score);
      continue;
    }
    seen.emplace(std::move(key), unique.size());
    unique.push_back(std::move(c));
  }

  ExtractionResult result;
  result.not_claims = not_claims;
  std::vector<Claim> claims;
  for (Candidate& c : unique) {
    c.claim.type = ClassifyClaimType(c.claim.text);
    claims.push_back(std::move(c.claim));
  }
  if (options_.merge_restatements) {
    const size_t before = claims.size();
    claims = MergeRestatements(std::move(claims));
    result.merged = before - claims.size();
  }
  // Past the limit the strongest claims stay, in text order (abstract first).
  if (claims.size() > options_.max_claims) {
    std::vector<size_t> order(claims.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return claims[a].score > claims[b].score; });
    order.resize(options_.max_claims);
    std::sort(order.begin(), order.end());
    result.dropped_past_limit = claims.size() - options_.max_claims;
    std::vector<Claim> kept;
    for (size_t i : order) kept.push_back(std::move(claims[i]));
    claims = std::move(kept);
  }
  for (Claim& claim : claims) {
    claim.id = "c" + std::to_string(result.claims.size() + 1);
    claim.facets = ExtractFacets(claim.text);
    result.claims.push_back(std::move(claim));
  }
  return result;
}

}  // namespace novelta
