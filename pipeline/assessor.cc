#include "pipeline/assessor.h"

#include <omp.h>

#include <algorithm>
#include <cctype>
#include <functional>

#include "base/env.h"
#include "base/sentence_splitter.h"
#include "base/text.h"
#include "index/paper_index.h"
#include "index/retriever.h"
#include "pipeline/rerank/related_reranker.h"

namespace novelta {
namespace {

// Calls `fn` with each section of a Markdown full text (split at headings)
// and its first line in lower case, up to its references or bibliography:
// the submission's own words, never the works it cites.
void ForEachBodySection(std::string_view fulltext,
                        const std::function<void(const std::string&, std::string_view)>& fn) {
  size_t pos = 0;
  while (pos < fulltext.size()) {
    size_t next = fulltext.find("\n#", pos);
    if (next == std::string_view::npos) next = fulltext.size();
    std::string_view section = fulltext.substr(pos, next - pos);
    size_t eol = section.find('\n');
    std::string title = ToLowerAscii(section.substr(0, eol == std::string_view::npos ? 0 : eol));
    if (title.find("reference") != std::string::npos || title.find("bibliograph") != std::string::npos)
      break;
    fn(title, section);
    pos = next + 1;
  }
}

class PipelineAssessor : public Assessor {
 public:
  PipelineAssessor(std::shared_ptr<const PaperIndex> index, const AssessorOptions& options)
      : options_(options),
        index_(std::move(index)),
        extractor_(options.extract),
        retriever_(index_.get()),
        comparer_(index_.get(), options.compare),
        reranker_(options.rerank ? DefaultRelatedReranker() : nullptr) {}

  StatusOr<NoveltyReport> Assess(const Submission& submission,
                                 const AssessParams& params) const override {
    Env* env = Env::Default();
    omp_set_num_threads(std::max(1, options_.search_threads));
    const uint64_t t0 = env->MonotonicMicros();
    NoveltyReport report;
    report.submission = submission;
    report.index_id = index_->index_id();
    NOVELTA_ASSIGN_OR_RETURN(report.claims, Extract(submission, &report.warnings));
    const uint64_t t1 = env->MonotonicMicros();

    NOVELTA_ASSIGN_OR_RETURN(report.related_work, Retrieve(submission, report.claims, params,
                                                           &report.cutoff));
    const uint64_t t2 = env->MonotonicMicros();
    comparer_.Assess(&report);
    const uint64_t t3 = env->MonotonicMicros();
    report.timing_ms = {{"extract", (t1 - t0) / 1e3},
                        {"retrieve", (t2 - t1) / 1e3},
                        {"compare", (t3 - t2) / 1e3},
                        {"total", (t3 - t0) / 1e3}};
    return report;
  }

  StatusOr<std::vector<Claim>> ExtractClaims(const Submission& submission) const override {
    std::vector<std::string> warnings;
    std::vector<AssessedClaim> claims;
    NOVELTA_ASSIGN_OR_RETURN(claims, Extract(submission, &warnings));
    std::vector<Claim> out;
    for (auto& c : claims) out.push_back(std::move(c.claim));
    return out;
  }

  StatusOr<std::vector<PriorWork>> FindRelated(const Submission& submission,
                                               const AssessParams& params) const override {
    omp_set_num_threads(std::max(1, options_.search_threads));
    std::vector<std::string> warnings;
    NOVELTA_ASSIGN_OR_RETURN(auto claims, Extract(submission, &warnings));
    Date cutoff;
    return Retrieve(submission, claims, params, &cutoff);
  }

  IndexSummary index_summary() const override {
    IndexSummary s;
    s.index_id = index_->index_id();
    s.n_papers = index_->size();
    s.dimensions = index_->dimensions();
    s.built_at = index_->manifest().value("created_at", "");
    return s;
  }

 private:
  StatusOr<std::vector<AssessedClaim>> Extract(const Submission& submission,
                                               std::vector<std::string>* warnings) const {
    const std::string what = submission.source.empty() ? submission.id : submission.source;
    NOVELTA_RETURN_IF_ERROR(ValidateSubmission(submission, what.empty() ? "submission" : what,
                                               options_.limits));
    ExtractionResult extraction = extractor_.Extract(submission);
    std::vector<AssessedClaim> claims;
    for (auto& c : extraction.claims) claims.push_back({std::move(c), {}});
    if (extraction.dropped_past_limit > 0)
      warnings->push_back("kept the " + std::to_string(claims.size()) +
                          " strongest claims; " + std::to_string(extraction.dropped_past_limit) +
                          " more were dropped past the claim limit");
    if (claims.empty()) {
      // No explicit contribution statement: assess the abstract as one claim,
      // so the report still compares what the paper is about.
      AssessedClaim ac;
      ac.claim.id = "c1";
      ac.claim.text = submission.abstract;
      ac.claim.type = ClassifyClaimType(submission.abstract);
      ac.claim.span = {"abstract", 0, submission.abstract.size()};
      ac.claim.cue = "whole abstract";
      ac.claim.score = 0.0;
      claims.push_back(std::move(ac));
      warnings->push_back("no explicit contribution statement found; the abstract is assessed "
                          "as a single claim");
    }
    return claims;
  }

  StatusOr<std::vector<PriorWork>> Retrieve(const Submission& submission,
                                            const std::vector<AssessedClaim>& claims,
                                            const AssessParams& params, Date* cutoff) const {
    if (params.top_k <= 0 || params.top_k > 1000)
      return Status::InvalidArgument("top_k must be between 1 and 1000");
    RetrievalOptions ro;
    ro.top_k = params.top_k;
    const int listed = std::max(options_.max_related, params.top_k);
    const bool pool = reranker_ != nullptr || options_.record_rerank_features;
    ro.max_results = pool ? std::max(listed, options_.rerank_pool) : listed;
    ro.cutoff = params.cutoff.known() ? params.cutoff : submission.submitted;
    ro.exclude_title = submission.title;
    ro.cited_rows = retriever_.ResolveReferences(submission.references);
    ro.hybrid = options_.hybrid;
    ro.lexical_weight = options_.lexical_weight;
    ro.sum_over_queries = options_.sum_over_queries;
    *cutoff = ro.cutoff;
    std::vector<RetrievalQuery> queries;
    queries.push_back({"paper", submission.title + ". " + submission.abstract, 1.0f});
    for (const auto& ac : claims)
      queries.push_back({ac.claim.id, ac.claim.text, options_.claim_query_weight, {}, true,
                         QueryKind::kClaim});
    for (auto& paragraph : ContextParagraphs(submission))
      queries.push_back({"context", std::move(paragraph), options_.context_query_weight, {},
                         options_.dense_context_queries, QueryKind::kContext});
    for (auto& sentence : CitationSentences(submission))
      queries.push_back({"citation", std::move(sentence), options_.citation_query_weight, {},
                         false, QueryKind::kCitation});
    const std::string own_text = BodyText(submission);
    if (options_.named_query_weight > 0 && options_.max_named_queries > 0) {
      auto mentions = index_->names().Find(own_text);
      if (static_cast<int>(mentions.size()) > options_.max_named_queries)
        mentions.resize(options_.max_named_queries);
      for (auto& m : mentions)
        queries.push_back({"named:" + m.name, "", options_.named_query_weight, std::move(m.rows),
                           true, QueryKind::kNamed});
    }
    // A pool is narrowed before its abstracts are read.
    ro.read_papers = !pool;
    NOVELTA_ASSIGN_OR_RETURN(std::vector<PriorWork> related, retriever_.Retrieve(queries, ro));
    if (pool) {
      RerankContext context;
      context.own_text = own_text;
      context.year = ro.cutoff.known() ? ro.cutoff.year : 0;
      context.has_body = !submission.fulltext.empty() || !submission.introduction.empty();
      auto features = RerankFeatures(context, related);
      if (options_.record_rerank_features)
        for (size_t i = 0; i < related.size(); ++i) related[i].rerank_features = features[i];
      if (reranker_ != nullptr) reranker_->Rerank(features, &related);
      if (reranker_ != nullptr && static_cast<int>(related.size()) > listed) related.resize(listed);
      NOVELTA_RETURN_IF_ERROR(retriever_.ReadPapers(&related));
    }
    return related;
  }

  // The submission's own words: title, abstract, introduction and the full
  // text up to its references (names in the references list are not mentions).
  static std::string BodyText(const Submission& submission) {
    std::string text = submission.title + "\n" + submission.abstract + "\n" + submission.introduction;
    ForEachBodySection(submission.fulltext, [&](const std::string&, std::string_view section) {
      text.append("\n").append(section);
    });
    return text;
  }

  static bool IsContextSection(const std::string& title) {
    return title.find("related") != std::string::npos || title.find("background") != std::string::npos ||
           title.find("prior work") != std::string::npos || title.find("previous work") != std::string::npos;
  }

  // Sentences that cite, from the full text's sections other than the
  // context ones (searched as paragraphs already) and the introduction:
  // where a method or experiment names the work it uses or compares with.
  std::vector<std::string> CitationSentences(const Submission& submission) const {
    std::vector<std::string> out;
    if (options_.max_citation_queries <= 0) return out;
    const size_t most = static_cast<size_t>(options_.max_citation_queries);
    ForEachBodySection(submission.fulltext, [&](const std::string& title, std::string_view section) {
      if (IsContextSection(title) || title.find("introduction") != std::string::npos) return;
      for (const auto& span : SplitSentences(section)) {
        if (out.size() >= most) return;
        std::string_view s = section.substr(span.start, span.end - span.start);
        if (s.size() < 60 || s.size() > 600) continue;  // fragments; tables run together
        bool cites = s.find("et al.") != std::string_view::npos;
        for (size_t i = 0; !cites && i + 1 < s.size(); ++i)
          cites = s[i] == '[' && std::isdigit(static_cast<unsigned char>(s[i + 1]));
        if (cites) out.emplace_back(s);
      }
    });
    return out;
  }

  // The paragraphs that describe the work a submission builds on: those of its
  // related-work / background sections first, then its introduction's.
  std::vector<std::string> ContextParagraphs(const Submission& submission) const {
    std::vector<std::string> related, intro;
    auto add_paragraphs = [](std::string_view text, std::vector<std::string>* out) {
      size_t pos = 0;
      while (pos < text.size()) {
        size_t end = text.find("\n\n", pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view p = Trim(text.substr(pos, end - pos));
        // Headings, captions and one-liners carry too little to search with.
        if (p.size() >= 200 && p[0] != '#' && p[0] != '|') out->emplace_back(p);
        pos = end + 2;
      }
    };
    ForEachBodySection(submission.fulltext, [&](const std::string& title, std::string_view section) {
      if (IsContextSection(title)) add_paragraphs(section, &related);
    });
    add_paragraphs(submission.introduction, &intro);
    std::vector<std::string> out;
    for (auto* list : {&related, &intro})
      for (auto& p : *list)
        if (static_cast<int>(out.size()) < options_.max_context_queries) out.push_back(std::move(p));
    return out;
  }

  AssessorOptions options_;
  std::shared_ptr<const PaperIndex> index_;
  ClaimExtractor extractor_;
  Retriever retriever_;
  Comparer comparer_;
  std::shared_ptr<const RelatedReranker> reranker_;  // null: merged order
};

}  // namespace

StatusOr<std::unique_ptr<Assessor>> OpenAssessor(const std::string& index_dir,
                                                 const AssessorOptions& options) {
  PaperIndexOptions io;
  io.verify_checksums = options.verify_index;
  NOVELTA_ASSIGN_OR_RETURN(auto index, PaperIndex::Open(index_dir, io));
  return NewAssessor(std::shared_ptr<const PaperIndex>(std::move(index)), options);
}

std::unique_ptr<Assessor> NewAssessor(std::shared_ptr<const PaperIndex> index,
                                      const AssessorOptions& options) {
  // Hybrid retrieval needs the word index, built in memory on first use (about
  // 2 s for 95k papers): build it now rather than in the first assessment.
  // Its error, if any, is reported by that assessment.
  if (options.hybrid) (void)index->sparse_index();
  return std::unique_ptr<Assessor>(new PipelineAssessor(std::move(index), options));
}

}  // namespace novelta
