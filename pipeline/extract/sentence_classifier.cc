#include "pipeline/extract/sentence_classifier.h"

#include <fasttext/fasttext.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <utility>
#include <vector>

#include "base/env.h"
#include "base/hash.h"
#include "base/model_cache.h"
#include "base/text.h"
#include "pipeline/extract/cue_rule_scorer.h"

#ifndef NOVELTA_CLAIMS_MODEL_PATH
#define NOVELTA_CLAIMS_MODEL_PATH ""
#endif

namespace novelta {
namespace {

constexpr size_t kMaxWords = 96;
constexpr size_t kMaxBodyWords = 60;
constexpr size_t kMaxNeighbourWords = 30;
// fastText's file signature (fasttext.cc: FASTTEXT_FILEFORMAT_MAGIC_INT32).
constexpr int32_t kFastTextMagic = 793712314;
// Signature, settings block and the smallest dictionary header.
constexpr uint64_t kMinModelBytes = 128;

bool HasDigit(const std::string& w) {
  return std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double Logit(double p) {
  p = std::clamp(p, 1e-4, 1.0 - 1e-4);
  return std::log(p / (1.0 - p));
}

// Position of a sentence after its section heading, as a few coarse buckets.
const char* SectionPositionToken(size_t i) {
  if (i == 0) return "__si0";
  if (i == 1) return "__si1";
  if (i <= 3) return "__si2";
  if (i <= 7) return "__si4";
  return "__si8";
}

// The kind of a section from words of its heading; "other" when none matches.
const char* SectionType(std::string_view section) {
  static const std::vector<std::pair<const char*, const char*>> kinds = {
      {"introduction", "intro"}, {"related", "related"}, {"background", "related"}, {"prior", "related"},
      {"conclusion", "conclusion"}, {"future", "conclusion"}, {"discussion", "conclusion"},
      {"hyper", "setup"}, {"implementation", "setup"}, {"setup", "setup"}, {"setting", "setup"},
      {"training", "setup"}, {"details", "setup"}, {"baseline", "baselines"}, {"compar", "baselines"},
      {"ablation", "ablation"}, {"result", "results"}, {"performance", "results"}, {"analysis", "analysis"},
      {"experiment", "experiments"}, {"evaluation", "experiments"}, {"dataset", "data"}, {"data", "data"},
      {"corpus", "data"}, {"model", "method"}, {"method", "method"}, {"approach", "method"},
      {"architecture", "method"}, {"framework", "method"}, {"task", "task"}, {"problem", "task"}};
  std::string lower = ToLowerAscii(section);
  if (lower.empty()) return "none";
  for (const auto& [key, kind] : kinds)
    if (lower.find(key) != std::string::npos) return kind;
  return "other";
}

}  // namespace

std::string ClassifierInputText(std::string_view sentence, const SentenceContext& ctx) {
  std::string out;
  out.reserve(sentence.size() + 64);
  size_t n = 0;
  for (std::string& w : WordTokens(sentence)) {
    if (n++ == kMaxWords) break;
    if (!out.empty()) out += ' ';
    out += HasDigit(w) ? std::string("__num") : w;
  }
  auto add = [&out](std::string_view token) {
    if (!out.empty()) out += ' ';
    out += token;
  };
  if (ctx.field == "abstract") {
    add("__fabs");
    // Relative position in five buckets, and the first / last sentence.
    double rel = ctx.count > 1 ? static_cast<double>(ctx.index) / (ctx.count - 1) : 0.5;
    add("__p" + std::to_string(std::min(4, static_cast<int>(rel * 5))));
    if (ctx.index == 0) add("__pfirst");
    if (ctx.count > 0 && ctx.index + 1 == ctx.count) add("__plast");
  } else {
    // The body: the heading of the section says more than the position in a
    // long field, whose length depends on where the text was cut.
    add("__fbody");
    std::vector<std::string> words = WordTokens(ctx.section);
    if (words.empty()) add("__s_none");
    for (size_t k = 0; k < words.size() && k < 6; ++k)
      if (!HasDigit(words[k])) add("__s_" + words[k]);
    add(SectionPositionToken(ctx.section_index));
    add(std::string("__t_") + SectionType(ctx.section));
    // Where a section other than the introduction sits in the body (results
    // come late, the model early).
    if (ctx.section != "introduction" && ctx.count > 1)
      add("__bp" + std::to_string(std::min(4, static_cast<int>(5.0 * ctx.index / ctx.count))));
    // The body's own copy of the words: a linear model cannot otherwise give
    // a word one weight in abstracts and another in the body.
    size_t m = 0;
    for (const std::string& w : WordTokens(sentence)) {
      if (m++ == kMaxBodyWords) break;
      add("__bw_" + (HasDigit(w) ? std::string("__num") : w));
    }
  }
  if (ctx.field == "abstract") {
    // An abstract's neighbouring sentences tell background from method.
    for (auto [text, prefix] : {std::pair<std::string_view, const char*>{ctx.previous, "__pw_"},
                                std::pair<std::string_view, const char*>{ctx.next, "__nw_"}}) {
      size_t m = 0;
      for (const std::string& w : WordTokens(text)) {
        if (m++ == kMaxNeighbourWords) break;
        if (!HasDigit(w)) add(prefix + w);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Loading and prediction.

SentenceClassifier::~SentenceClassifier() = default;

StatusOr<std::unique_ptr<SentenceClassifier>> SentenceClassifier::Load(const std::string& path, Env* env) {
  if (!env->FileExists(path) || env->IsDirectory(path))
    return Status::NotFound("claims model " + path + ": no such file");
  // A manifest beside the model pins its checksum: a damaged or swapped file
  // is refused instead of scoring garbage.
  std::string manifest_path = (std::filesystem::path(path).parent_path() / "manifest.json").string();
  if (env->FileExists(manifest_path)) {
    std::string text;
    NOVELTA_RETURN_IF_ERROR(env->ReadFile(manifest_path, &text, 1 << 20));
    NOVELTA_ASSIGN_OR_RETURN(Json manifest, ParseJson(text, manifest_path));
    const std::string name = std::filesystem::path(path).filename().string();
    if (manifest.is_object() && manifest.contains("model") && manifest["model"].is_object() &&
        manifest["model"].value("file", "") == name && manifest["model"].contains("sha256")) {
      NOVELTA_ASSIGN_OR_RETURN(std::string sha, Sha256File(path));
      if (!manifest["model"]["sha256"].is_string() || manifest["model"]["sha256"].get<std::string>() != sha)
        return Status::Corruption("claims model " + path + ": SHA-256 does not match " + manifest_path);
    }
  }
  // The model's bytes come through the Env (where faults are injected) and
  // fastText reads them from memory.
  std::string bytes;
  NOVELTA_RETURN_IF_ERROR(env->ReadFile(path, &bytes).WithPrefix("claims model"));
  // fastText does not check what it reads: a file too short for the
  // settings block would leave its fields unset. (The manifest checksum is
  // the real guard against damage.)
  const uint64_t size = bytes.size();
  std::istringstream in(bytes, std::ios::in | std::ios::binary);
  int32_t magic = 0, version = 0;
  in.read(reinterpret_cast<char*>(&magic), sizeof magic);
  in.read(reinterpret_cast<char*>(&version), sizeof version);
  if (!in || magic != kFastTextMagic)
    return Status::InvalidArgument("claims model " + path + ": not a fastText model");
  if (version != 12)
    return Status::InvalidArgument("claims model " + path + ": fastText format version " +
                                   std::to_string(version) + ", expected 12");
  if (size < kMinModelBytes) return Status::Corruption("claims model " + path + ": truncated");
  std::unique_ptr<SentenceClassifier> c(new SentenceClassifier());
  c->path_ = path;
  c->model_ = std::make_unique<fasttext::FastText>();
  try {
    c->model_->loadModel(in);
  } catch (const std::exception& e) {
    return Status::Corruption("claims model " + path + ": " + e.what());
  }
  // A truncated file leaves the stream failed (fastText does not check).
  if (in.fail()) return Status::Corruption("claims model " + path + ": truncated");
  in.peek();
  if (!in.eof()) return Status::Corruption("claims model " + path + ": trailing bytes after the model");
  if (c->model_->getArgs().model != fasttext::model_name::sup ||
      c->model_->getLabelId("__label__1") < 0 || c->model_->getLabelId("__label__0") < 0)
    return Status::InvalidArgument("claims model " + path +
                                   ": not a classifier with labels __label__0 and __label__1");
  return c;
}

double SentenceClassifier::Probability(std::string_view sentence, const SentenceContext& ctx) const {
  // The trailing newline gives the end-of-sentence token the model saw in training.
  std::istringstream in(ClassifierInputText(sentence, ctx) + "\n");
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  try {
    model_->predictLine(in, predictions, 2, 0.0);
  } catch (const std::exception&) {
    return 0.0;
  }
  double positive = 0, negative = 0;
  for (const auto& [p, label] : predictions) {
    if (label == "__label__1") positive = p;
    else if (label == "__label__0") negative = p;
  }
  if (positive + negative <= 0) return 0.0;
  return std::clamp(positive / (positive + negative), 0.0, 1.0);
}

// ---------------------------------------------------------------------------
// Training.

Status TrainSentenceClassifier(const std::string& examples_path, const std::string& model_path,
                               const ClassifierTrainOptions& o) {
  if (o.dim < 1 || o.dim > 1000 || o.epoch < 1 || o.epoch > 1000 || !(o.lr > 0) || o.lr > 10 ||
      o.word_ngrams < 1 || o.word_ngrams > 5 || o.bucket < 0 || o.min_count < 1 || o.dsub < 1 ||
      o.min_char_ngram < 0 || o.max_char_ngram < 0 || o.max_char_ngram > 10 ||
      (o.max_char_ngram > 0 && (o.min_char_ngram < 1 || o.min_char_ngram > o.max_char_ngram)))
    return Status::InvalidArgument("claims training: a setting is out of range");
  if (o.quantize && o.dim % o.dsub != 0)
    return Status::InvalidArgument("claims training: dim must be a multiple of dsub");
  uint64_t size = 0;
  NOVELTA_RETURN_IF_ERROR(Env::Default()->FileSize(examples_path, &size));
  if (size == 0) return Status::InvalidArgument("claims training: no examples in " + examples_path);
  fasttext::Args args;
  args.input = examples_path;
  args.output = model_path;
  args.model = fasttext::model_name::sup;
  args.loss = fasttext::loss_name::softmax;
  args.dim = o.dim;
  args.epoch = o.epoch;
  args.lr = o.lr;
  args.wordNgrams = o.word_ngrams;
  const bool subwords = o.max_char_ngram > 0;
  args.bucket = o.word_ngrams > 1 || subwords ? o.bucket : 0;
  args.minCount = o.min_count;
  args.minn = subwords ? o.min_char_ngram : 0;
  args.maxn = subwords ? o.max_char_ngram : 0;
  args.thread = 1;  // one thread: the same data gives the same model
  args.seed = o.seed;
  args.verbose = 0;
  fasttext::FastText ft;
  try {
    ft.train(args);
    if (o.quantize) {
      fasttext::Args q = args;
      q.qout = false;
      q.qnorm = false;
      q.dsub = static_cast<size_t>(o.dsub);
      q.cutoff = o.cutoff;
      q.retrain = o.cutoff > 0;
      ft.quantize(q);
    }
    ft.saveModel(model_path);
  } catch (const std::exception& e) {
    return Status::IOError("claims training: " + std::string(e.what()));
  }
  if (!Env::Default()->FileExists(model_path))
    return Status::IOError("claims training: " + model_path + " was not written");
  return Status::OK();
}

// ---------------------------------------------------------------------------
// Scorers.

Json CombinationWeights::ToJson() const {
  return Json{{"abstract_classifier", abstract_classifier}, {"abstract_rules", abstract_rules},
              {"abstract_neighbours", abstract_neighbours}, {"abstract_bias", abstract_bias},
              {"body_classifier", body_classifier},         {"body_rules", body_rules},
              {"body_neighbours", body_neighbours},         {"body_bias", body_bias},
              {"body_foreign_cap", body_foreign_cap}};
}

StatusOr<CombinationWeights> CombinationWeights::FromJson(const Json& j) {
  CombinationWeights w;
  if (!j.is_object()) return Status::InvalidArgument("combination weights must be an object");
  for (auto [name, field] : std::initializer_list<std::pair<const char*, double*>>{
           {"abstract_classifier", &w.abstract_classifier},
           {"abstract_rules", &w.abstract_rules},
           {"abstract_neighbours", &w.abstract_neighbours},
           {"abstract_bias", &w.abstract_bias},
           {"body_classifier", &w.body_classifier},
           {"body_rules", &w.body_rules},
           {"body_neighbours", &w.body_neighbours},
           {"body_bias", &w.body_bias},
           {"body_foreign_cap", &w.body_foreign_cap}}) {
    auto it = j.find(name);
    if (it == j.end()) continue;
    if (!it->is_number()) return Status::InvalidArgument(std::string("combination weight '") + name +
                                                          "' must be a number");
    *field = it->get<double>();
  }
  return w;
}

SentenceEvidence GatherEvidence(const SentenceClassifier& classifier, const SentenceScorer& rules,
                                std::string_view sentence, const SentenceContext& ctx, std::string* cue) {
  SentenceEvidence e;
  e.classifier = classifier.Probability(sentence, ctx);
  e.rules = rules.Score(sentence, ctx, cue);
  e.own_work_cue = HasOwnWorkCue(sentence);
  // The neighbours are classified in the sentence's own context, one step away.
  double sum = 0;
  int n = 0;
  for (int side : {-1, 1}) {
    std::string_view text = side < 0 ? ctx.previous : ctx.next;
    if (Trim(text).empty() || (side < 0 && ctx.index == 0)) continue;
    SentenceContext near = ctx;
    near.previous = near.next = std::string_view();
    near.index = side < 0 ? ctx.index - 1 : ctx.index + 1;
    near.section_index = side < 0 ? (ctx.section_index > 0 ? ctx.section_index - 1 : 0) : ctx.section_index + 1;
    sum += Logit(classifier.Probability(text, near));
    ++n;
  }
  e.neighbours_logit = n > 0 ? sum / n : 0.0;
  return e;
}

double CombineScores(const SentenceEvidence& e, const SentenceContext& ctx, const CombinationWeights& w) {
  if (ctx.field == "abstract")
    return Sigmoid(w.abstract_classifier * Logit(e.classifier) + w.abstract_rules * Logit(e.rules) +
                   w.abstract_neighbours * e.neighbours_logit + w.abstract_bias);
  double score = Sigmoid(w.body_classifier * Logit(e.classifier) + w.body_rules * Logit(e.rules) +
                         w.body_neighbours * e.neighbours_logit + w.body_bias);
  bool introduction = ctx.section.empty() || ctx.section == "introduction";
  if (!introduction) return score;
  // In the introduction the corpora also label the research problem and
  // other background "contribution"; a claim must be the paper's own.
  if (!ctx.in_contribution_list && !e.own_work_cue) score = std::min(score, w.body_foreign_cap);
  // Neighbours and bias alone do not make a claim of a sentence neither the
  // classifier nor the rules believe in ("The rest of the paper is organised
  // as follows" after a contribution statement).
  score = std::min(score, std::max(e.classifier, e.rules));
  // The classifier only adds introduction claims, never removes what the
  // rules find: a first-person contribution statement ("we establish upper
  // and lower bounds ...") is a claim whatever the corpora's labels say of
  // introductions, and the rules also see announced contribution lists,
  // which the corpora never mark.
  return std::max(score, e.rules);
}

namespace {

class ClassifierScorer : public SentenceScorer {
 public:
  explicit ClassifierScorer(std::shared_ptr<const SentenceClassifier> c) : classifier_(std::move(c)) {}
  double Score(std::string_view sentence, const SentenceContext& ctx, std::string* cue) const override {
    if (cue) *cue = "classifier";
    return classifier_->Probability(sentence, ctx);
  }

 private:
  std::shared_ptr<const SentenceClassifier> classifier_;
};

class CombinedScorer : public SentenceScorer {
 public:
  CombinedScorer(std::shared_ptr<const SentenceClassifier> c, const CombinationWeights& w)
      : classifier_(std::move(c)), rules_(NewCueRuleScorer()), w_(w) {}

  double Score(std::string_view sentence, const SentenceContext& ctx, std::string* cue) const override {
    std::string rule_cue;
    SentenceEvidence e = GatherEvidence(*classifier_, *rules_, sentence, ctx, &rule_cue);
    double score = CombineScores(e, ctx, w_);
    if (cue) *cue = rule_cue.empty() || rule_cue == "position" ? std::string("classifier") : rule_cue;
    return score;
  }

 private:
  std::shared_ptr<const SentenceClassifier> classifier_;
  std::unique_ptr<SentenceScorer> rules_;
  CombinationWeights w_;
};

}  // namespace

std::unique_ptr<SentenceScorer> NewClassifierScorer(std::shared_ptr<const SentenceClassifier> classifier) {
  return std::make_unique<ClassifierScorer>(std::move(classifier));
}

std::unique_ptr<SentenceScorer> NewCombinedScorer(std::shared_ptr<const SentenceClassifier> classifier,
                                                  const CombinationWeights& weights) {
  return std::make_unique<CombinedScorer>(std::move(classifier), weights);
}

StatusOr<CombinationWeights> LoadCombinationWeights(const std::string& model_path) {
  std::string manifest_path = (std::filesystem::path(model_path).parent_path() / "manifest.json").string();
  Env* env = Env::Default();
  if (!env->FileExists(manifest_path)) return CombinationWeights{};
  std::string text;
  NOVELTA_RETURN_IF_ERROR(env->ReadFile(manifest_path, &text, 1 << 20));
  NOVELTA_ASSIGN_OR_RETURN(Json manifest, ParseJson(text, manifest_path));
  if (!manifest.is_object() || !manifest.contains("combination")) return CombinationWeights{};
  auto w = CombinationWeights::FromJson(manifest["combination"]);
  if (!w.ok()) return w.status().WithPrefix(manifest_path + ": ");
  return w;
}

StatusOr<std::unique_ptr<SentenceScorer>> LoadCombinedScorer(const std::string& model_path) {
  NOVELTA_ASSIGN_OR_RETURN(std::unique_ptr<SentenceClassifier> classifier, SentenceClassifier::Load(model_path));
  NOVELTA_ASSIGN_OR_RETURN(CombinationWeights weights, LoadCombinationWeights(model_path));
  return NewCombinedScorer(std::shared_ptr<const SentenceClassifier>(std::move(classifier)), weights);
}

std::shared_ptr<const SentenceScorer> ScorerForModelPath(const std::string& path, std::string* warning) {
  warning->clear();
  if (path.empty() || path == "none") return std::shared_ptr<const SentenceScorer>(NewCueRuleScorer());
  auto scorer = LoadCombinedScorer(path);
  if (!scorer.ok()) {
    *warning = "novelta: warning: " + scorer.status().message() + "; claims are extracted by cue rules alone";
    return std::shared_ptr<const SentenceScorer>(NewCueRuleScorer());
  }
  return std::shared_ptr<const SentenceScorer>(std::move(scorer).value());
}

std::string ClaimsModelPath(const std::string& model) {
  return model.empty() ? std::string(NOVELTA_CLAIMS_MODEL_PATH) : model;
}

std::shared_ptr<const SentenceScorer> ScorerForModel(const std::string& model) {
  return LoadOncePerPath<SentenceScorer>(ClaimsModelPath(model), ScorerForModelPath);
}

}  // namespace novelta
