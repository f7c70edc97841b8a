// The data model shared by every stage: what goes in (Submission), what stage 1
// finds (Claim), what stage 2 retrieves (PriorWork), what stage 3 decides
// (Evidence, ClaimVerdict) and what comes out (NoveltyReport). Each has a JSON
// form (see docs/report.schema.json); ToJson/FromJson round-trip exactly.
//
// Part of the public API (with status.h, date.h, options.h and assessor.h).
//
// Thread-safety: plain values.
#ifndef NOVELTA_MODEL_H_
#define NOVELTA_MODEL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "novelta/date.h"
#include "novelta/status.h"

namespace novelta {

// What a section of a paper's full text is, from its heading.
enum class SectionKind {
  kFront,          // before the abstract: title, authors, affiliations
  kAbstract,
  kIntroduction,   // the introduction and its subsections
  kRelatedWork,    // related work, background, prior or previous work
  kBody,           // any other section of the paper's own text: method, experiments, ...
  kReferences,     // the references list
  kChecklist,      // a venue's checklist
  kAppendix,       // appendices and supplementary material
};
const char* SectionKindName(SectionKind k);  // "front", "abstract", ...

// One section of a full text: a heading and what follows it up to the next
// heading. Found once, when the submission is read (pipeline/ingest).
struct Section {
  SectionKind kind = SectionKind::kBody;
  std::string heading;  // as written, without Markdown marks ("3.2 Main Results"); empty for the front
  // 1: a section of its own; 2: a subsection of the section before it
  // ("3.2" under "3"), whose kind it takes unless its heading names another.
  int level = 1;
  size_t start = 0;     // byte offsets [start, end) into the full text, heading line included
  size_t end = 0;
};

// A paper submitted for assessment.
struct Submission {
  std::string id;        // the input's own id, else derived from the file name
  std::string title;
  std::string abstract;
  std::string introduction;           // from the full text when it has one
  std::string fulltext;               // empty when only title and abstract are known
  // The sections of `fulltext`, in order (empty without a full text). Readers
  // fill them in; the assessor finds them itself when a caller left them
  // empty. Whoever changes `fulltext` clears them or finds them again.
  std::vector<Section> sections;
  std::vector<std::string> references;  // raw entries of the references list
  std::vector<std::string> authors;
  std::vector<std::string> keywords;
  Date submitted;        // the submission date; prior work must be dated before it
  std::string source;    // where it came from: a file name, "request", "file.jsonl:12"
  std::string format;    // "json", "markdown", "text", "pdf"
};
nlohmann::json ToJson(const Submission& s);
StatusOr<Submission> SubmissionFromJson(const nlohmann::json& j, std::string_view what);

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
  // Where the paper restates the same contribution (abstract, introduction,
  // contribution list), each restatement folded into this one claim.
  std::vector<Span> also_at;
  std::string cue;     // what marked it as a claim: "we propose", "classifier", ...
  double score = 0;    // extractor's confidence that it is a claim, in [0,1]
};
nlohmann::json ToJson(const Claim& c);  // a report's claim without its verdict

// What the pipeline knows of a prior work beyond the report (its passages,
// how retrieval found it); defined in pipeline/retrieve/work_detail.h.
struct WorkDetail;

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
  // Set by stage 2, read by stages 2 and 3; not serialised (null when read
  // from JSON). Copies of a PriorWork share it.
  std::shared_ptr<WorkDetail> detail;
};
nlohmann::json ToJson(const PriorWork& p);

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
  // The evidence model's estimate, in [0,1], that a reviewer would cite this
  // passage when judging the claim (0 when no model was used).
  double relevance = 0;
  std::vector<std::string> shared_terms;  // content words the claim and quote share
};

enum class Verdict { kNovel, kPartiallyAnticipated, kAnticipated };
const char* VerdictName(Verdict v);  // "novel", "partially_anticipated", "anticipated"
StatusOr<Verdict> ParseVerdict(std::string_view name);

struct ClaimVerdict {
  Verdict verdict = Verdict::kNovel;
  double confidence = 0;       // in [0,1]
  double max_similarity = 0;   // similarity of the closest passage compared, shown or not
  std::vector<Evidence> evidence;  // most relevant first; empty when no passage is close enough
  int compared_works = 0;      // related works whose passages were compared with the claim
  // The prior work of the closest passage compared, quoted or not ("" when
  // none was compared): what a reviewer would check first.
  std::string nearest_prior_id;
  // Why, in one sentence: written by the LLM engine; "" from the offline one.
  std::string rationale;
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

// Which engine made a report's claims and its comparison, and what the
// optional LLM engine spent and discarded (docs/llm.md).
struct EngineReport {
  std::string name = "offline";  // the engine asked for: "offline" or "llm"
  std::string model;             // the LLM's model ("" offline)
  // What actually made each part: "llm", or "offline" (the default engine,
  // or the fallback when the LLM's answer failed for good).
  std::string claims_by = "offline";
  std::string comparison_by = "offline";
  std::map<std::string, std::string> prompts;  // prompt name -> "VERSION sha256:HEX"
  int64_t calls = 0;              // answers asked for (cache hits included)
  int64_t cache_hits = 0;
  int64_t prompt_tokens = 0;      // spent by calls that reached the model
  int64_t completion_tokens = 0;
  int claims_dropped = 0;         // claims whose quote is not verbatim in the submission
  int quotes_dropped = 0;         // evidence quotes not verbatim in the passage they name
  int verdicts_without_evidence = 0;  // anticipation verdicts left with no verified quote: made novel
  int sentences_dropped = 0;      // reasoning sentences citing what was not shown or verified
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
  EngineReport engine;
};
nlohmann::json ToJson(const EngineReport& e);
EngineReport EngineFromJson(const nlohmann::json& j);  // fields missing or mistyped read as defaults
nlohmann::json ToJson(const NoveltyReport& r);
StatusOr<NoveltyReport> ReportFromJson(const nlohmann::json& j);

}  // namespace novelta

#endif  // NOVELTA_MODEL_H_
