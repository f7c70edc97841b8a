#include "pipeline/extract/claim_training.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "base/env.h"
#include "base/hash.h"
#include "pipeline/extract/claim_eval.h"

namespace novelta {
namespace {

// The labelled data under ClaimTrainingOptions::train_dir.
struct DataFiles {
  std::string cs_train, cs_dev, cs_test, ncg_train, ncg_test;
};

// The task of an NCG paper: "natural_language_inference/0" -> "natural_language_inference".
std::string TaskOf(const std::string& paper) { return paper.substr(0, paper.find('/')); }

// The NCG tasks held out for tuning: round(share x tasks) of them (at least
// one), those first in the order of a seeded hash of their names, so the
// choice depends neither on file order nor on the library's RNG. Whole tasks
// are held out because the test split's papers are from other tasks than the
// train split's: tuning on unseen tasks measures what the test set does.
StatusOr<std::set<std::string>> HeldOutTasks(const std::string& ncg_train, uint64_t seed, double share) {
  std::set<std::string> tasks;
  NOVELTA_RETURN_IF_ERROR(
      ForEachNcgSentence(ncg_train, [&](const LabelledSentence& s) { tasks.insert(TaskOf(s.group)); }));
  std::vector<std::pair<std::string, std::string>> order;
  for (const std::string& t : tasks) order.push_back({Sha256Hex(std::to_string(seed) + ":" + t), t});
  std::sort(order.begin(), order.end());
  size_t n = std::max<size_t>(1, static_cast<size_t>(std::lround(share * order.size())));
  std::set<std::string> held;
  for (size_t k = 0; k < n && k < order.size(); ++k) held.insert(order[k].second);
  return held;
}

// One scored sentence of a tuning set, for fitting the weights.
struct Scored {
  SentenceEvidence e;
  SentenceContext ctx;  // without the neighbour views (not kept)
  bool positive = false;
  bool heading = false;
};

double F1Of(const std::vector<Scored>& set, const CombinationWeights& w, double threshold) {
  ClassificationScore s;
  for (const Scored& x : set)
    CountDecision(!x.heading && CombineScores(x.e, x.ctx, w) >= threshold, x.positive, &s);
  s.Finish();
  return s.f1;
}

// Grid search over four weights: a coarse grid, then a finer one around its
// best point. Ties keep the first point found, so the result is deterministic.
void FitFour(CombinationWeights* w, double* a, double* b, double* c, double* d,
             const std::function<double(const CombinationWeights&)>& objective) {
  auto search = [&](const std::vector<double>& as, const std::vector<double>& bs, const std::vector<double>& cs,
                    const std::vector<double>& ds) {
    CombinationWeights best = *w;
    double best_f1 = -1;
    for (double x : as)
      for (double y : bs)
        for (double z : cs)
          for (double v : ds) {
            *a = x, *b = y, *c = z, *d = v;
            double f1 = objective(*w);
            if (f1 > best_f1 + 1e-12) best_f1 = f1, best = *w;
          }
    *w = best;
  };
  auto range = [](double from, double to, double step) {
    std::vector<double> v;
    for (int k = 0; from + k * step <= to + 1e-9; ++k) v.push_back(from + k * step);
    return v;
  };
  search(range(0, 2, 0.5), range(0, 2, 0.5), range(0, 1, 0.25), range(-6, 6, 0.5));
  auto around = [&](double center, double step, double lo) {
    std::vector<double> v;
    for (int k = -2; k <= 2; ++k)
      if (center + k * step >= lo - 1e-9) v.push_back(center + k * step);
    return v;
  };
  search(around(*a, 0.125, 0), around(*b, 0.125, 0), around(*c, 0.125, 0), around(*d, 0.125, -100));
}

Json ScoreJson(const ClassificationScore& s) {
  auto round4 = [](double x) { return std::round(x * 10000) / 10000; };
  return Json{{"f1", round4(s.f1)}, {"precision", round4(s.precision)}, {"recall", round4(s.recall)},
              {"n", s.n},           {"tp", s.tp},                       {"fp", s.fp},
              {"fn", s.fn}};
}

// Rules, classifier and combination on one set, through the evaluation code itself.
StatusOr<Json> EvaluateAll(const std::string& path, bool ncg, std::shared_ptr<const SentenceClassifier> classifier,
                           const CombinationWeights& w) {
  auto rules = NewCueRuleScorer();
  auto alone = NewClassifierScorer(classifier);
  auto combined = NewCombinedScorer(classifier, w);
  Json out;
  for (auto [name, scorer] : std::initializer_list<std::pair<const char*, const SentenceScorer*>>{
           {"rules", rules.get()}, {"classifier", alone.get()}, {"combined", combined.get()}}) {
    auto s = ncg ? EvaluateOnNcg(*scorer, path) : EvaluateOnCsAbstruct(*scorer, path);
    NOVELTA_RETURN_IF_ERROR(s.status());
    out[name] = ScoreJson(*s);
  }
  return out;
}

std::string UtcNow() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A progress line on stderr when the options ask for them.
void Log(const ClaimTrainingOptions& o, const std::string& line) {
  if (o.verbose) std::fprintf(stderr, "train-claims: %s\n", line.c_str());
}

// The settings are usable and the five data files exist.
StatusOr<DataFiles> FindDataFiles(Env* env, const ClaimTrainingOptions& o) {
  if (o.train_dir.empty() || o.out_dir.empty())
    return Status::InvalidArgument("claims training: the train and output folders are required");
  if (!(o.ncg_holdout > 0 && o.ncg_holdout < 1))
    return Status::InvalidArgument("claims training: the NCG held-out share must be in (0, 1)");
  DataFiles d{o.train_dir + "/csabstruct/train.jsonl", o.train_dir + "/csabstruct/dev.jsonl",
              o.train_dir + "/csabstruct/test.jsonl", o.train_dir + "/ncg/train.jsonl.gz",
              o.train_dir + "/ncg/test.jsonl.gz"};
  for (const std::string* f : {&d.cs_train, &d.cs_dev, &d.cs_test, &d.ncg_train, &d.ncg_test})
    if (!env->FileExists(*f)) return Status::NotFound("claims training: " + *f + ": no such file");
  return d;
}

// Phase 1. The training examples — CSAbstruct train and the NCG train papers
// outside the held-out tasks, which it chooses into `held_tasks` — shuffled
// with a seeded generator whose sequence the standard fixes, written to
// `examples_path` in fastText format. Returns the counts for the manifest.
StatusOr<Json> WriteExamples(Env* env, const ClaimTrainingOptions& o, const DataFiles& d,
                             const std::string& examples_path, std::set<std::string>* held_tasks) {
  std::vector<std::string> examples;
  Json counts;
  auto add = [&](const LabelledSentence& s) {
    if (s.heading) return;
    std::string text = ClassifierInputText(s.text, s.ctx);
    examples.push_back(std::string(s.positive ? "__label__1 " : "__label__0 ") + text);
  };
  size_t before = 0;
  NOVELTA_RETURN_IF_ERROR(ForEachCsAbstructSentence(d.cs_train, add));
  counts["csabstruct_train"] = examples.size() - before;
  before = examples.size();
  NOVELTA_ASSIGN_OR_RETURN(*held_tasks, HeldOutTasks(d.ncg_train, o.split_seed, o.ncg_holdout));
  std::set<std::string> held_out_papers, train_papers;
  NOVELTA_RETURN_IF_ERROR(ForEachNcgSentence(d.ncg_train, [&](const LabelledSentence& s) {
    if (held_tasks->count(TaskOf(s.group)) > 0) {
      held_out_papers.insert(s.group);
      return;
    }
    train_papers.insert(s.group);
    add(s);
  }));
  counts["ncg_train"] = examples.size() - before;
  counts["ncg_train_papers"] = train_papers.size();
  counts["ncg_heldout_papers"] = held_out_papers.size();
  counts["ncg_heldout_tasks"] = Json(std::vector<std::string>(held_tasks->begin(), held_tasks->end()));
  if (held_out_papers.empty() || train_papers.empty())
    return Status::InvalidArgument("claims training: the NCG held-out share leaves no papers on one side; "
                                   "change --ncg-holdout or --split-seed");
  std::mt19937_64 rng(o.classifier.seed);
  for (size_t i = examples.size(); i > 1; --i) {
    size_t j = static_cast<size_t>(rng() % i);
    std::swap(examples[i - 1], examples[j]);
  }
  {
    std::string all;
    for (const std::string& e : examples) all += e + "\n";
    NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(examples_path, all));
  }
  Log(o, std::to_string(examples.size()) + " examples, " + std::to_string(train_papers.size()) +
             " NCG papers for training, " + std::to_string(held_out_papers.size()) + " held out");
  return counts;
}

// Phase 2. fastText on the examples (removed afterwards), writing the model to
// `model_path`, then the model loaded back. `train_seconds` receives how long
// fastText took.
StatusOr<std::shared_ptr<const SentenceClassifier>> TrainModel(Env* env, const ClaimTrainingOptions& o,
                                                               const std::string& examples_path,
                                                               const std::string& model_path,
                                                               double* train_seconds) {
  // A manifest left by an earlier run would pin the old model's checksum.
  if (env->FileExists(o.out_dir + "/manifest.json"))
    NOVELTA_RETURN_IF_ERROR(env->RemoveFile(o.out_dir + "/manifest.json"));
  const auto train_start = std::chrono::steady_clock::now();
  Status trained = TrainSentenceClassifier(examples_path, model_path, o.classifier);
  *train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - train_start).count();
  (void)env->RemoveFile(examples_path);
  NOVELTA_RETURN_IF_ERROR(trained);
  Log(o, "trained in " + std::to_string(*train_seconds) + " s");
  NOVELTA_ASSIGN_OR_RETURN(std::unique_ptr<SentenceClassifier> loaded, SentenceClassifier::Load(model_path));
  return std::shared_ptr<const SentenceClassifier>(std::move(loaded));
}

// The tuning sets, scored once: CSAbstruct dev and the held-out NCG papers.
struct TuningSets {
  std::vector<Scored> cs_dev, ncg_dev;
};

StatusOr<TuningSets> ScoreTuningSets(const DataFiles& d, const std::set<std::string>& held_tasks,
                                     const SentenceClassifier& classifier) {
  auto rules = NewCueRuleScorer();
  auto scored = [&](std::vector<Scored>* out) {
    return [&, out](const LabelledSentence& s) {
      Scored x;
      x.heading = s.heading;
      x.positive = s.positive;
      if (!s.heading) x.e = GatherEvidence(classifier, *rules, s.text, s.ctx, nullptr);
      x.ctx = s.ctx;
      x.ctx.previous = x.ctx.next = std::string_view();
      out->push_back(std::move(x));
    };
  };
  TuningSets sets;
  NOVELTA_RETURN_IF_ERROR(ForEachCsAbstructSentence(d.cs_dev, scored(&sets.cs_dev)));
  auto visit = scored(&sets.ncg_dev);
  NOVELTA_RETURN_IF_ERROR(ForEachNcgSentence(d.ncg_train, [&](const LabelledSentence& s) {
    if (held_tasks.count(TaskOf(s.group)) > 0) visit(s);
  }));
  return sets;
}

// Phase 3. The combination weights: the defaults with the options' cap on
// foreign introduction sentences, and when asked, fitted on the tuning sets
// (the body on NCG alone, which has one; the abstract on the mean F1 of both).
CombinationWeights FitCombination(const ClaimTrainingOptions& o, const TuningSets& sets, double threshold) {
  CombinationWeights w;
  w.body_foreign_cap = o.body_foreign_cap;
  if (!o.fit_combination) return w;
  auto body = [&](const CombinationWeights& t) { return F1Of(sets.ncg_dev, t, threshold); };
  auto both = [&](const CombinationWeights& t) {
    return (F1Of(sets.cs_dev, t, threshold) + F1Of(sets.ncg_dev, t, threshold)) / 2;
  };
  auto fit_body = [&] { FitFour(&w, &w.body_classifier, &w.body_rules, &w.body_neighbours, &w.body_bias, body); };
  auto fit_abstract = [&] {
    FitFour(&w, &w.abstract_classifier, &w.abstract_rules, &w.abstract_neighbours, &w.abstract_bias, both);
  };
  fit_body();
  fit_abstract();
  fit_body();
  Log(o, "combination " + w.ToJson().dump());
  return w;
}

// Tuning-set figures of the rules, the classifier and the combination (the
// same formula as the scorer; checked against the evaluation code on the
// test sets).
Json TuningScores(const std::vector<Scored>& set, const CombinationWeights& w, double threshold) {
  Json j;
  for (auto [name, kind] : std::initializer_list<std::pair<const char*, int>>{
           {"rules", 0}, {"classifier", 1}, {"combined", 2}}) {
    ClassificationScore s;
    for (const Scored& x : set) {
      double v = kind == 0 ? x.e.rules : kind == 1 ? x.e.classifier : CombineScores(x.e, x.ctx, w);
      CountDecision(!x.heading && v >= threshold, x.positive, &s);
    }
    s.Finish();
    j[name] = ScoreJson(s);
  }
  return j;
}

// The data files, each with its role and SHA-256, for the manifest.
StatusOr<Json> DataJson(const DataFiles& d, const std::string& train_dir) {
  Json data = Json::array();
  for (auto [role, path] : std::initializer_list<std::pair<const char*, const std::string*>>{
           {"train", &d.cs_train}, {"tuning", &d.cs_dev}, {"test", &d.cs_test},
           {"train + tuning (held-out tasks)", &d.ncg_train}, {"test", &d.ncg_test}}) {
    NOVELTA_ASSIGN_OR_RETURN(std::string sha, Sha256File(*path));
    std::string rel = std::filesystem::path(*path).lexically_relative(train_dir).string();
    data.push_back(Json{{"file", rel}, {"role", role}, {"sha256", sha}});
  }
  return data;
}

// The training settings, for the manifest.
Json SettingsJson(const ClaimTrainingOptions& o, double threshold) {
  const ClassifierTrainOptions& c = o.classifier;
  return Json{{"fasttext", "0.9.2 (Debian libfasttext)"},
              {"loss", "softmax"},
              {"dim", c.dim},
              {"epoch", c.epoch},
              {"lr", c.lr},
              {"word_ngrams", c.word_ngrams},
              {"bucket", c.word_ngrams > 1 ? c.bucket : 0},
              {"min_count", c.min_count},
              {"char_ngrams", false},
              {"threads", 1},
              {"seed", c.seed},
              {"quantize", c.quantize},
              {"dsub", c.dsub},
              {"cutoff", c.cutoff},
              {"ncg_holdout", o.ncg_holdout},
              {"split_seed", o.split_seed},
              {"threshold", threshold}};
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

StatusOr<Json> TrainClaimModel(const ClaimTrainingOptions& o) {
  Env* env = Env::Default();
  NOVELTA_ASSIGN_OR_RETURN(DataFiles d, FindDataFiles(env, o));
  NOVELTA_RETURN_IF_ERROR(env->CreateDirs(o.out_dir));
  const auto started = std::chrono::steady_clock::now();

  // 1. Examples.
  const std::string examples_path = o.out_dir + "/.examples.txt";
  std::set<std::string> held_tasks;
  NOVELTA_ASSIGN_OR_RETURN(Json counts, WriteExamples(env, o, d, examples_path, &held_tasks));

  // 2. fastText.
  const std::string model_name = o.classifier.quantize ? "claims.ftz" : "claims.bin";
  const std::string model_path = o.out_dir + "/" + model_name;
  double train_seconds = 0;
  NOVELTA_ASSIGN_OR_RETURN(std::shared_ptr<const SentenceClassifier> classifier,
                           TrainModel(env, o, examples_path, model_path, &train_seconds));

  // 3. Combination weights on the tuning sets.
  NOVELTA_ASSIGN_OR_RETURN(TuningSets tuning, ScoreTuningSets(d, held_tasks, *classifier));
  const double threshold = ExtractorOptions{}.min_score;
  const CombinationWeights w = FitCombination(o, tuning, threshold);
  Json scores;
  scores["csabstruct_dev"] = TuningScores(tuning.cs_dev, w, threshold);
  scores["ncg_heldout"] = TuningScores(tuning.ncg_dev, w, threshold);

  // 4. Test sets, once.
  if (o.evaluate_test) {
    NOVELTA_ASSIGN_OR_RETURN(scores["csabstruct_test"], EvaluateAll(d.cs_test, false, classifier, w));
    NOVELTA_ASSIGN_OR_RETURN(scores["ncg_test"], EvaluateAll(d.ncg_test, true, classifier, w));
  }

  // 5. Manifest.
  uint64_t model_bytes = 0;
  NOVELTA_RETURN_IF_ERROR(env->FileSize(model_path, &model_bytes));
  NOVELTA_ASSIGN_OR_RETURN(std::string model_sha, Sha256File(model_path));
  NOVELTA_ASSIGN_OR_RETURN(Json data, DataJson(d, o.train_dir));
  Json manifest;
  manifest["format"] = "novelta-claims-model/1";
  manifest["model"] = Json{{"file", model_name}, {"sha256", model_sha}, {"bytes", model_bytes}};
  manifest["features"] =
      "ClassifierInputText/1: words (numbers as __num); abstract: field, position, neighbouring sentences' "
      "words; body: field, section heading words and kind, position in section and body, body-only word copies";
  manifest["data"] = data;
  manifest["examples"] = counts;
  manifest["settings"] = SettingsJson(o, threshold);
  manifest["combination"] = w.ToJson();
  manifest["scores"] = scores;
  manifest["train_seconds"] = std::round(train_seconds * 10) / 10;
  manifest["total_seconds"] = std::round(SecondsSince(started) * 10) / 10;
  manifest["date"] = UtcNow();
  NOVELTA_RETURN_IF_ERROR(env->WriteFileAtomic(o.out_dir + "/manifest.json", manifest.dump(2) + "\n"));
  return manifest;
}

}  // namespace novelta
