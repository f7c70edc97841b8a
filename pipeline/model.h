// The data model shared by every stage: what goes in (Submission), what stage 1
// finds (Claim), what stage 2 retrieves (PriorWork), what stage 3 decides
// (Evidence, ClaimVerdict) and what comes out (NoveltyReport). Each has a JSON
// form (see docs/report.schema.json); ToJson/FromJson round-trip exactly.
//
// Thread-safety: plain values.
#ifndef NOVELTA_PIPELINE_MODEL_H_
#define NOVELTA_PIPELINE_MODEL_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/sentence_splitter.h"
#include "base/status.h"

namespace novelta {

// A calendar date, possibly known only to the month or year (0 = unknown part).
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  bool known() const { return year > 0; }
  // Accepts "2025-05-15", "2025-05", "2025"; the empty string gives an unknown date.
  static StatusOr<Date> Parse(std::string_view text);
  static Date Year(int year) { return Date{year, 0, 0}; }
  // "2025-05-15", "2025-05", "2025", or "" when unknown.
  std::string ToString() const;
  bool operator==(const Date& o) const { return year == o.year && month == o.month && day == o.day; }
};

// True when a work dated `work` counts as prior to a submission dated `submission`.
// Parts that are unknown on either side are resolved conservatively: a work
// from the submission's own year (or month) whose exact date is unknown is NOT
// prior. A work with no date at all is not prior; with no submission date,
// every dated work is.
bool IsPrior(const Date& work, const Date& submission);

// A paper submitted for assessment.
struct Submission {
  std::string id;        // the input's own id, else derived from the file name
  std::string title;
  std::string abstract;
  std::string introduction;           // from the full text when it has one
  std::string fulltext;               // empty when only title and abstract are known
  std::vector<std::string> references;  // raw entries of the references list
  std::vector<std::string> authors;
  std::vector<std::string> keywords;
  Date submitted;        // the submission date; prior work must be dated before it
  std::string source;    // where it came from: a file name, "request", "file.jsonl:12"
  std::string format;    // "json", "markdown", "text", "pdf"
};
Json ToJson(const Submission& s);
StatusOr<Submission> SubmissionFromJson(const Json& j, std::string_view what);

enum class ClaimType { kMethod, kTask, kDataset, kResult, kTheory, kAnalysis };
const char* ClaimTypeName(ClaimType t);  // "method", "task", ...
StatusOr<ClaimType> ParseClaimType(std::string_view name);

// Where a piece of text sits: byte offsets [start, end) into a field of the submission.
struct Span {
  std::string field;  // "title", "abstract", "introduction" or "fulltext"
  size_t start = 0;
  size_t end = 0;
};

// A contribution the submission claims for itself (stage 1).
struct Claim {
  std::string id;    // "c1", "c2", ... in order of appearance
  std::string text;  // exactly the text under `span`
  ClaimType type = ClaimType::kMethod;
  // Facets of the claim, each a list of phrases: "object" (what is proposed or
  // shown), "task", "dataset", "metric", "method" (named methods and acronyms).
  std::map<std::string, std::vector<std::string>> facets;
  Span span;
  std::string cue;     // what marked it as a claim: "we propose", "classifier", ...
  double score = 0;    // extractor's confidence that it is a claim, in [0,1]
};

// Which part of a submission a retrieval query was made from.
enum class QueryKind { kPaper, kClaim, kContext, kCitation, kNamed };
constexpr int kQueryKinds = 5;

// What stage 2 saw of one prior paper across the submission's queries: the
// features a reranker weighs. Not serialised.
struct RetrievalSignals {
  // Per QueryKind, the sum of the paper's weighted per-query scores.
  float by_kind[kQueryKinds] = {0, 0, 0, 0, 0};
  int queries = 0;        // queries that ranked it in their top_k
  int best_rank = -1;     // its best 0-based position in any query's ranking
  // Its 0-based rank in the whole-paper query's lexical (BM25) and dense
  // rankings before fusion; -1: not among their candidates.
  int paper_lexical_rank = -1;
  int paper_dense_rank = -1;
  int merged_rank = -1;   // 0-based position in the merged list before reranking
};

// A paper from the corpus related to the submission (stage 2).
struct PriorWork {
  std::string id;
  std::string title;
  std::string abstract;
  int year = 0;
  std::string venue;
  double score = 0;                     // retrieval score, higher is closer
  bool cited = false;                   // the submission's references list cites it
  std::vector<std::string> matched_by;  // "paper" and/or claim ids whose query found it
  int64_t row = -1;                     // position in the index; not serialised
  std::vector<SentenceSpan> passages;   // sentence spans of `abstract`; not serialised
  // Per passage, its pieces when the index stores them (else empty); not serialised.
  std::vector<std::vector<int>> passage_pieces;
  RetrievalSignals signals;             // not serialised
  // The reranker's features (AssessorOptions::record_rerank_features); not serialised.
  std::vector<float> rerank_features;
};

// A verbatim passage of a prior paper that bears on a claim (stage 3).
struct Evidence {
  std::string prior_id;
  std::string title;
  int year = 0;
  std::string venue;
  std::string quote;         // exact substring of the prior paper's abstract
  size_t quote_start = 0;    // byte offsets of `quote` in that abstract
  size_t quote_end = 0;
  double similarity = 0;     // claim-to-quote similarity in [0,1]
  std::vector<std::string> shared_terms;  // content words the claim and quote share
};

enum class Verdict { kNovel, kPartiallyAnticipated, kAnticipated };
const char* VerdictName(Verdict v);  // "novel", "partially_anticipated", "anticipated"
StatusOr<Verdict> ParseVerdict(std::string_view name);

struct ClaimVerdict {
  Verdict verdict = Verdict::kNovel;
  double confidence = 0;       // in [0,1]
  double max_similarity = 0;   // similarity of the closest evidence
  std::vector<Evidence> evidence;  // closest first
};

struct AssessedClaim {
  Claim claim;
  ClaimVerdict verdict;
};

enum class Conclusion { kNovel, kIncremental, kNotNovel };
const char* ConclusionName(Conclusion c);  // "novel", "incremental", "not_novel"
StatusOr<Conclusion> ParseConclusion(std::string_view name);

// One sentence of the written reasoning, with the claims and prior works it rests on.
struct ReasoningSentence {
  std::string text;
  std::vector<std::string> claim_ids;
  std::vector<std::string> prior_ids;
};

struct NoveltyReport {
  static constexpr const char* kSchemaVersion = "1.0";

  Submission submission;  // serialised as id, title, submitted, source, format only
  Date cutoff;            // prior work was restricted to before this date
  std::vector<AssessedClaim> claims;
  std::vector<PriorWork> related_work;  // closest first
  Conclusion conclusion = Conclusion::kNovel;
  double novelty_score = 0;  // in [0,1]; 1 = nothing close in prior work
  std::string reasoning;     // the sentences of `reasoning_sentences`, joined
  std::vector<ReasoningSentence> reasoning_sentences;
  std::vector<std::string> warnings;  // e.g. claims dropped past the claim limit
  std::map<std::string, double> timing_ms;  // "extract", "retrieve", "compare", "total"
  std::string index_id;      // manifest hash of the index used
};
Json ToJson(const NoveltyReport& r);
StatusOr<NoveltyReport> ReportFromJson(const Json& j);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_MODEL_H_
