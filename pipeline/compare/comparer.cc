#include "pipeline/compare/comparer.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "base/sentence_splitter.h"
#include "base/text.h"
#include "pipeline/compare/novelty_score.h"
#include "pipeline/compare/reasoning.h"
#include "pipeline/extract/claim_extractor.h"
#include "pipeline/extract/claim_filter.h"
#include "pipeline/retrieve/work_detail.h"

namespace novelta {

struct Comparer::Work {
  struct Passage {
    size_t start = 0, end = 0;  // byte span in the abstract
    int index = 0;              // 0-based sentence
    SparseVector sparse;
    std::vector<float> dense;
    bool own_work = false;
    bool not_a_claim = false;
    std::set<std::string> phrases;  // adjacent content-word pairs
    std::set<std::string> stems;    // content words
  };
  size_t index = 0;  // into related_work
  const PriorWork* work = nullptr;
  SparseVector sparse;  // title + abstract
  std::vector<float> dense;
  float closeness_lexical = 0;
  float closeness_dense = 0;
  bool named_only = false;
  int years_before = 0;
  bool references_known = false;  // the submission has a references list
  std::set<std::string> title_stems;
  std::set<std::string> names;  // name tokens of the title and abstract
  std::vector<Passage> passages;
};

// What the evidence features need of a claim's words.
struct ClaimWords {
  std::set<std::string> stems;  // content words
  std::set<std::string> phrases;
  std::vector<std::string> object;  // content words of what it proposes
  std::vector<std::string> names;   // names it mentions ("DPO", "LoRA")
};

namespace {

std::set<std::string> Phrases(const std::vector<std::string>& stems) {
  std::set<std::string> out;
  for (size_t i = 0; i + 1 < stems.size(); ++i) out.insert(stems[i] + " " + stems[i + 1]);
  return out;
}

ClaimWords WordsOf(const Claim& claim) {
  ClaimWords w;
  const std::vector<std::string> stems = ContentStems(claim.text);
  w.stems.insert(stems.begin(), stems.end());
  w.phrases = Phrases(stems);
  auto object = claim.facets.find("object");
  if (object != claim.facets.end())
    for (const auto& phrase : object->second)
      for (auto& s : ContentStems(phrase)) w.object.push_back(std::move(s));
  for (auto& t : NameTokens(claim.text))
    if (t.token.size() >= 2 && LooksCoined(t.token)) w.names.push_back(std::move(t.token));
  return w;
}

// The share of `words` found in `in`.
template <typename Words, typename Set>
float ShareIn(const Words& words, const Set& in) {
  if (words.empty()) return 0;
  size_t found = 0;
  for (const auto& w : words) found += in.count(w) > 0;
  return static_cast<float>(found) / words.size();
}

std::vector<std::string> SharedTerms(std::string_view a, std::string_view b) {
  std::set<std::string> in_a;
  for (auto& w : WordTokens(a))
    if (w.size() >= 3 && !IsStopword(w)) in_a.insert(w);
  std::vector<std::string> shared;
  std::set<std::string> seen;
  for (auto& w : WordTokens(b))
    if (in_a.count(w) && seen.insert(w).second) shared.push_back(w);
  if (shared.size() > 12) shared.resize(12);
  return shared;
}

float DenseDot(const std::vector<float>& a, const std::vector<float>& b) {
  float s = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) s += a[i] * b[i];
  return s;
}

// What two L2-normalised sparse vectors share: the dot product, the share of
// each one's squared mass on the shared features, and how many features.
struct Overlap {
  float dot = 0, mass_a = 0, mass_b = 0;
  int shared = 0;
};
Overlap SparseOverlap(const SparseVector& a, const SparseVector& b) {
  Overlap o;
  size_t i = 0, j = 0;
  while (i < a.entries.size() && j < b.entries.size()) {
    if (a.entries[i].first < b.entries[j].first) {
      ++i;
    } else if (a.entries[i].first > b.entries[j].first) {
      ++j;
    } else {
      const float x = a.entries[i].second, y = b.entries[j].second;
      o.dot += x * y;
      o.mass_a += x * x;
      o.mass_b += y * y;
      ++o.shared;
      ++i;
      ++j;
    }
  }
  return o;
}

}  // namespace

bool EvidenceIsVerbatim(const Evidence& e, const std::string& abstract) {
  return e.quote_end > e.quote_start && e.quote_end <= abstract.size() && !e.quote.empty() &&
         abstract.compare(e.quote_start, e.quote_end - e.quote_start, e.quote) == 0;
}

Comparer::Comparer(const PaperIndex* index, CompareOptions options)
    : index_(index), options_(std::move(options)), model_(EvidenceModelFor(options_.evidence_model)) {}

std::vector<Comparer::Work> Comparer::Works(const NoveltyReport& report) const {
  const std::vector<PriorWork>& related = report.related_work;
  const size_t n = std::min<size_t>(related.size(), std::max(0, options_.candidate_papers));
  const int dim = index_->dimensions();
  const Submission& sub = report.submission;
  const SparseVector sub_sparse = index_->Sparse(sub.title + ". " + sub.abstract);
  std::vector<float> sub_dense(dim);
  index_->DenseFromSparse(sub_sparse, sub_dense.data());
  const int year = report.cutoff.known() ? report.cutoff.year : sub.submitted.year;
  std::vector<Work> out;
  for (size_t w = 0; w < n; ++w) {
    const PriorWork& prior = related[w];
    Work work;
    work.index = w;
    work.work = &prior;
    static const WorkDetail kNone;
    const WorkDetail& detail = prior.detail ? *prior.detail : kNone;
    std::vector<SentenceSpan> spans = detail.passages;
    if (spans.empty()) spans = SplitSentences(prior.abstract);
    // The index's stored pieces of each passage spare tokenizing it again.
    const bool stored = !detail.passages.empty() && detail.passage_pieces.size() == spans.size();
    if (stored) {
      std::vector<int> pieces = index_->tokenizer().EncodeForMatching(prior.title);
      for (const auto& p : detail.passage_pieces) pieces.insert(pieces.end(), p.begin(), p.end());
      work.sparse = index_->SparseFromPieces(pieces);
    } else {
      work.sparse = index_->Sparse(prior.title + ". " + prior.abstract);
    }
    work.dense.resize(dim);
    index_->DenseFromSparse(work.sparse, work.dense.data());
    work.closeness_lexical = SparseDot(sub_sparse, work.sparse);
    work.closeness_dense = DenseDot(sub_dense, work.dense);
    work.named_only = FoundOnlyByName(prior);
    work.references_known = !sub.references.empty();
    work.years_before = year > 0 && prior.year > 0 ? std::max(0, year - prior.year) : 0;
    for (auto& t : ContentStems(prior.title)) work.title_stems.insert(std::move(t));
    for (auto& t : NameTokens(prior.title)) work.names.insert(std::move(t.token));
    for (auto& t : NameTokens(prior.abstract)) work.names.insert(std::move(t.token));
    for (size_t k = 0; k < spans.size(); ++k) {
      const SentenceSpan& s = spans[k];
      if (s.end <= s.start || s.end > prior.abstract.size()) continue;
      Work::Passage p;
      p.start = s.start;
      p.end = s.end;
      p.index = static_cast<int>(k);
      std::string_view text(prior.abstract.data() + s.start, s.end - s.start);
      p.sparse = stored ? index_->SparseFromPieces(detail.passage_pieces[k]) : index_->Sparse(text);
      if (p.sparse.empty()) continue;
      p.dense.resize(dim);
      index_->DenseFromSparse(p.sparse, p.dense.data());
      p.own_work = HasOwnWorkCue(text);
      p.not_a_claim = WhyNotAClaim(text) != NonClaimReason::kNone;
      const auto stems = ContentStems(text);
      p.phrases = Phrases(stems);
      p.stems.insert(stems.begin(), stems.end());
      work.passages.push_back(std::move(p));
    }
    out.push_back(std::move(work));
  }
  return out;
}

std::vector<ScoredPassage> Comparer::Score(const Claim& claim, const std::vector<Work>& works) const {
  const SparseVector cs = index_->Sparse(claim.text);
  std::vector<float> cd(index_->dimensions());
  index_->DenseFromSparse(cs, cd.data());
  // Dense cosines are measured against their background: the mean cosine of
  // the claim with all candidate passages. In a low-dimensional space two
  // unrelated texts can share a sizeable cosine; only the excess over that
  // background says the passage is about the same thing.
  std::vector<ScoredPassage> out;
  std::vector<float> dense;
  double background = 0;
  for (const Work& w : works)
    for (const auto& p : w.passages) {
      dense.push_back(DenseDot(cd, p.dense));
      background += dense.back();
    }
  if (!dense.empty()) background = std::clamp(background / dense.size(), 0.0, 0.95);
  const double lw = options_.passage_lexical_share;
  const ClaimWords words = WordsOf(claim);
  size_t k = 0;
  for (const Work& w : works) {
    const float work_claim = SparseDot(cs, w.sparse);
    const float names_found = ShareIn(words.names, w.names);
    const float title_in_claim = ShareIn(w.title_stems, words.stems);
    for (const auto& p : w.passages) {
      ScoredPassage sp;
      sp.work = w.index;
      sp.start = p.start;
      sp.end = p.end;
      EvidenceSignals& s = sp.signals;
      const Overlap o = SparseOverlap(cs, p.sparse);
      s.lexical = o.dot;
      s.dense_excess = static_cast<float>(std::max(0.0, (dense[k++] - background) / (1 - background)));
      s.similarity = static_cast<float>(std::clamp(lw * s.lexical + (1 - lw) * s.dense_excess, 0.0, 1.0));
      s.claim_coverage = o.mass_a;
      s.passage_coverage = o.mass_b;
      s.shared_pieces = o.shared;
      for (const auto& ph : words.phrases) s.shared_phrases += p.phrases.count(ph) > 0;
      s.object_coverage = ShareIn(words.object, p.stems);
      s.names_found = names_found;
      s.passage_index = p.index;
      s.passages = static_cast<int>(w.passages.size());
      s.own_work = p.own_work;
      s.not_a_claim = p.not_a_claim;
      s.passage_bytes = static_cast<int>(p.end - p.start);
      s.work_rank = static_cast<int>(w.index);
      s.work_score = static_cast<float>(w.work->score);
      s.work_closeness_lexical = w.closeness_lexical;
      s.work_closeness_dense = w.closeness_dense;
      s.work_claim_lexical = work_claim;
      s.title_in_claim = title_in_claim;
      s.cited = w.references_known ? (w.work->cited ? 1.f : 0.f)
                                 : std::clamp(static_cast<float>(w.work->score), 0.f, 1.f);
      s.named_only = w.named_only;
      s.years_before = w.years_before;
      s.claim_type = claim.type;
      s.claim_bytes = static_cast<int>(claim.text.size());
      out.push_back(std::move(sp));
    }
  }
  // Each passage's place among the claim's candidates.
  std::vector<size_t> order(out.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return out[a].signals.similarity > out[b].signals.similarity;
  });
  const float best = order.empty() ? 0.f : out[order[0]].signals.similarity;
  for (size_t r = 0; r < order.size(); ++r) {
    out[order[r]].signals.rank_in_claim = static_cast<int>(r);
    out[order[r]].signals.similarity_gap = out[order[r]].signals.similarity - best;
  }
  if (model_ != nullptr)
    for (auto& sp : out) sp.relevance = model_->Probability(sp.signals);
  return out;
}

ClaimVerdict Comparer::Judge(const Claim& claim, const std::vector<PriorWork>& related,
                             const std::vector<Work>& works) const {
  ClaimVerdict v;
  v.compared_works = static_cast<int>(works.size());
  std::vector<ScoredPassage> scored = Score(claim, works);
  // Rank by the evidence model's probability, or by similarity without one.
  auto key = [&](const ScoredPassage& p) { return model_ ? p.relevance : p.signals.similarity; };
  std::stable_sort(scored.begin(), scored.end(), [&](const ScoredPassage& a, const ScoredPassage& b) {
    return key(a) != key(b) ? key(a) > key(b) : a.work < b.work;
  });
  if (!scored.empty()) v.nearest_prior_id = related[scored.front().work].id;
  double best_relevance = 0;
  for (const auto& p : scored) {
    v.max_similarity = std::max<double>(v.max_similarity, p.signals.similarity);
    best_relevance = std::max(best_relevance, p.relevance);
  }
  // At most one passage per work; with a model, only those a reviewer would cite.
  std::set<size_t> quoted;
  for (const auto& p : scored) {
    if (static_cast<int>(v.evidence.size()) >= options_.evidence_per_claim) break;
    if (model_ != nullptr && p.relevance < options_.evidence_threshold) break;
    if (!quoted.insert(p.work).second) continue;
    const PriorWork& w = related[p.work];
    Evidence e;
    e.prior_id = w.id;
    e.title = w.title;
    e.year = w.year;
    e.venue = w.venue;
    e.quote_start = p.start;
    e.quote_end = p.end;
    e.quote = w.abstract.substr(p.start, p.end - p.start);
    e.similarity = p.signals.similarity;
    e.relevance = p.relevance;
    e.shared_terms = SharedTerms(claim.text, e.quote);
    if (!EvidenceIsVerbatim(e, w.abstract)) continue;  // never show a quote we cannot verify
    v.evidence.push_back(std::move(e));
  }
  const double top = v.evidence.empty() ? 0.0 : v.evidence.front().similarity;
  const double hi = options_.anticipated_threshold, lo = options_.partial_threshold;
  if (model_ != nullptr) {
    // A verdict other than novel only on evidence shown; its confidence is
    // the chance that evidence is what a reviewer would cite, and a novel
    // verdict's the chance that no compared passage is.
    if (v.evidence.empty()) {
      v.verdict = Verdict::kNovel;
      v.confidence = 1 - best_relevance;
    } else {
      const Evidence& e = v.evidence.front();
      v.verdict = e.similarity >= hi && e.relevance >= options_.anticipated_relevance
                      ? Verdict::kAnticipated
                      : Verdict::kPartiallyAnticipated;
      v.confidence = e.relevance;
    }
    return v;
  }
  double margin;  // distance to the nearest decision boundary
  if (top >= hi) {
    v.verdict = Verdict::kAnticipated;
    margin = top - hi;
  } else if (top >= lo) {
    v.verdict = Verdict::kPartiallyAnticipated;
    margin = std::min(top - lo, hi - top);
  } else {
    v.verdict = Verdict::kNovel;
    margin = lo - top;
  }
  // Far from a boundary -> confident; on it -> a coin toss.
  v.confidence = std::clamp(0.5 + margin / (2 * 0.15), 0.5, 1.0);
  if (v.evidence.empty()) v.confidence = 0.5;  // nothing to compare against
  return v;
}

ClaimVerdict Comparer::CompareClaim(const Claim& claim, const NoveltyReport& report) const {
  return Judge(claim, report.related_work, Works(report));
}

std::vector<std::vector<ScoredPassage>> Comparer::ScorePassages(const NoveltyReport& report) const {
  const auto works = Works(report);
  std::vector<std::vector<ScoredPassage>> out;
  for (const auto& ac : report.claims) out.push_back(Score(ac.claim, works));
  return out;
}

void Comparer::Assess(NoveltyReport* report) const {
  const auto works = Works(*report);
  for (auto& ac : report->claims) ac.verdict = Judge(ac.claim, report->related_work, works);
  Conclude(report, options_);
  WriteReasoning(report, options_);
}

}  // namespace novelta
