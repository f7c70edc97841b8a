// A trained sentence classifier for claim extraction: a fastText supervised
// model with two labels (__label__1 states one of the paper's own
// contributions, __label__0 does not), read from the sentence's words and a
// few context tokens (field, position, section heading). It is combined with
// the cue rules (NewCombinedScorer) rather than replacing them: the rules
// know what a first-person contribution statement looks like, the classifier
// what the labelled corpora call a contribution sentence.
//
// Which model the extractor uses: ExtractorOptions::claims_model (see
// ScorerForModel). A missing or corrupt model falls back to the cue rules
// with one warning line on stderr.
#ifndef NOVELTA_PIPELINE_EXTRACT_SENTENCE_CLASSIFIER_H_
#define NOVELTA_PIPELINE_EXTRACT_SENTENCE_CLASSIFIER_H_

#include <memory>
#include <string>
#include <string_view>

#include "base/env.h"
#include "base/json.h"
#include "novelta/status.h"
#include "pipeline/extract/sentence_scorer.h"

namespace fasttext {
class FastText;
}

namespace novelta {

// The tokens a sentence is classified by, space-separated: its lower-cased
// words (numbers as "__num", at most 96), then context tokens: in an
// abstract, the field, the position and the neighbouring sentences' words; in
// the body, the field, the section heading's words and kind, the position in
// the section and (outside the introduction) in the body, and a body-only
// copy of the words.
// Training and prediction both go through it.
std::string ClassifierInputText(std::string_view sentence, const SentenceContext& ctx);

// Thread-safety: immutable after Load; Probability may be called concurrently
// (fastText prediction keeps its working state on the caller's stack).
class SentenceClassifier {
 public:
  // Loads a fastText model file (.bin or quantized .ftz). When a
  // manifest.json sits beside it and lists the model's SHA-256 ("model":
  // {"file", "sha256"}), the file must match it. Errors: NotFound (no file),
  // Corruption (checksum mismatch, truncated or unreadable model),
  // InvalidArgument (not a fastText supervised model with labels
  // __label__0 / __label__1), and whatever `env` reports when the model or
  // its manifest cannot be read (e.g. IOError).
  //
  // `env` is where the model and its manifest are looked up and read (the
  // model's bytes whole, then parsed from memory), so tests can inject
  // faults; it must outlive the call only. Default: Env::Default(). (The
  // manifest's checksum is still computed by Sha256File(path), outside it.)
  static StatusOr<std::unique_ptr<SentenceClassifier>> Load(const std::string& path,
                                                            Env* env = Env::Default());
  ~SentenceClassifier();
  SentenceClassifier(const SentenceClassifier&) = delete;
  SentenceClassifier& operator=(const SentenceClassifier&) = delete;

  // Probability in [0,1] that the sentence states one of the paper's own contributions.
  double Probability(std::string_view sentence, const SentenceContext& ctx) const;
  const std::string& path() const { return path_; }

 private:
  SentenceClassifier() = default;
  std::unique_ptr<fasttext::FastText> model_;
  std::string path_;
};

struct ClassifierTrainOptions {
  // fastText settings. Defaults: dim 32, epoch 10, lr 0.2, wordNgrams 2,
  // bucket 200000, minCount 2, seed 1; one thread, so that the same data
  // gives the same model.
  int dim = 32;
  int epoch = 10;
  double lr = 0.2;
  int word_ngrams = 2;
  int bucket = 200000;
  int min_count = 2;
  int seed = 1;
  // Character n-grams of words, shortest and longest (0: none). Defaults: 0, 0.
  int min_char_ngram = 0;
  int max_char_ngram = 0;
  // Product-quantize the model (.ftz): a few MB instead of tens. Default: true.
  bool quantize = true;
  // Quantization: sub-vector size, and rows kept (0: all; else the
  // `cutoff` rows of largest norm, then retrained). Defaults: 2, 100000
  // (2.7 MB instead of 4.7 MB for 0.004 F1 on the tuning sets).
  int dsub = 2;
  size_t cutoff = 100000;
};

// Trains on `examples_path` (fastText format: "__label__1 tokens...\n", one
// example a line, tokens from ClassifierInputText) and writes the model to
// `model_path`. Errors: InvalidArgument for bad settings or no examples,
// IOError when a file cannot be read or written.
Status TrainSentenceClassifier(const std::string& examples_path, const std::string& model_path,
                               const ClassifierTrainOptions& options);

// How the classifier's probability p and the cue rules' score r become one
// claim score: sigmoid(classifier * logit(p) + rules * logit(r) + neighbours
// * mean logit(p) of the sentences before and after + bias), with separate
// weights for abstracts and for the body (introduction and other sections).
// Contribution sentences come in runs (a method paragraph, a results
// paragraph), hence the neighbours. In the introduction (the body section a
// submission's claims are read from) three guards keep a claim the paper's
// own: a sentence without a sign that the paper speaks of its own work
// (HasOwnWorkCue) scores at most `body_foreign_cap`, so background the
// corpora label "contribution" (the research problem) is not a claim; no
// sentence scores above the larger of p and r, so neighbours and bias alone
// never make one; and no sentence scores below r: there the classifier only
// adds claims to what the rules find (first-person statements, announced
// contribution lists), it never removes one.
struct CombinationWeights {
  double abstract_classifier = 1.0;  // Default: 1.0
  double abstract_rules = 1.0;       // Default: 1.0
  double abstract_neighbours = 0.0;  // Default: 0.0
  double abstract_bias = 0.0;        // Default: 0.0
  double body_classifier = 1.0;      // Default: 1.0
  double body_rules = 1.0;           // Default: 1.0
  double body_neighbours = 0.0;      // Default: 0.0
  double body_bias = 0.0;            // Default: 0.0
  // Highest score of an introduction sentence without an own-work cue,
  // outside a contribution list. Default: 1.0 (no cap).
  double body_foreign_cap = 1.0;

  Json ToJson() const;
  // Missing fields keep their defaults; a non-number is InvalidArgument.
  static StatusOr<CombinationWeights> FromJson(const Json& j);
};

// What the combination is computed from, for one sentence.
struct SentenceEvidence {
  double classifier = 0;           // p
  double rules = 0;                // r
  double neighbours_logit = 0;     // mean logit(p) of the neighbours; 0 when it has none
  bool own_work_cue = false;       // HasOwnWorkCue(sentence)
};
// Classifier, rules and neighbour evidence for one sentence (three
// classifier calls when both neighbours are present).
SentenceEvidence GatherEvidence(const SentenceClassifier& classifier, const SentenceScorer& rules,
                                std::string_view sentence, const SentenceContext& ctx, std::string* cue);
// The combined score: what NewCombinedScorer computes; exposed so that the
// weights can be fitted quickly.
double CombineScores(const SentenceEvidence& e, const SentenceContext& ctx, const CombinationWeights& w);

// The classifier alone (cue: "classifier").
std::unique_ptr<SentenceScorer> NewClassifierScorer(std::shared_ptr<const SentenceClassifier> classifier);
// Classifier and cue rules together; the cue is the rules' cue, or
// "classifier" when the rules found none. Safe to call concurrently.
std::unique_ptr<SentenceScorer> NewCombinedScorer(std::shared_ptr<const SentenceClassifier> classifier,
                                                  const CombinationWeights& weights);

// The combination weights stored in the manifest.json beside `model_path`
// ("combination"); the defaults when there is no manifest.
StatusOr<CombinationWeights> LoadCombinationWeights(const std::string& model_path);

// The combined scorer for the model at `model_path` with the weights of its
// manifest. Errors as for SentenceClassifier::Load and LoadCombinationWeights.
StatusOr<std::unique_ptr<SentenceScorer>> LoadCombinedScorer(const std::string& model_path);

// The scorer for ExtractorOptions::claims_model: the combined scorer of the
// model at `path`; the cue rules when the path is "none" or empty, or (and
// `warning` says why) when the model cannot be loaded. Never null.
std::shared_ptr<const SentenceScorer> ScorerForModelPath(const std::string& path, std::string* warning);
// The model file an option value names: `model`, or for "" the path of the
// model shipped with novelta, baked in at configure time.
std::string ClaimsModelPath(const std::string& model);
// The same for an option value ("" the model shipped with novelta, its path
// baked in at configure time; "none" the cue rules), loaded once per process
// and path, a fallback's warning printed to stderr once. Never null.
std::shared_ptr<const SentenceScorer> ScorerForModel(const std::string& model);

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_EXTRACT_SENTENCE_CLASSIFIER_H_
