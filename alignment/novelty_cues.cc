// The word lists of the review reader; see novelty_cues.h.
#include "alignment/novelty_cues.h"

#include <algorithm>
#include <unordered_set>

#include "base/text.h"

namespace novelta::alignment::review_internal {
namespace {

std::vector<std::string> Words(const char* phrase) { return WordTokens(phrase); }

}  // namespace

const std::vector<Cue>& Cues() {
  static const std::vector<Cue> cues = [] {
    std::vector<Cue> c;
    auto pos = [&](const char* p) { c.push_back({Words(p), CueKind::kPositive, 0, false}); };
    auto neg = [&](const char* p, int strength, bool needs_ref = false) {
      c.push_back({Words(p), CueKind::kNegative, strength, needs_ref});
    };
    auto topic = [&](const char* p) { c.push_back({Words(p), CueKind::kTopic, 0, false}); };
    auto noun = [&](const char* p) { c.push_back({Words(p), CueKind::kNoveltyNoun, 0, false}); };

    for (const char* p : {"novel", "original", "innovative", "pioneering", "groundbreaking",
                          "unexplored", "underexplored", "under explored", "understudied",
                          "new idea", "new ideas", "new perspective", "new insight", "new insights",
                          "new direction", "new paradigm", "new angle", "fresh perspective",
                          "fresh idea", "fresh look", "creative", "not been explored",
                          "not been studied", "not been addressed", "not been considered",
                          "not been investigated", "not yet been explored", "rarely explored",
                          "first to", "first work", "first paper", "first study", "first attempt",
                          "first time", "first approach", "first method", "first framework",
                          "first systematic", "first comprehensive", "first benchmark",
                          "first dataset", "first effort", "first known", "first theoretical",
                          "first principled", "first unified", "first rigorous"})
      pos(p);
    for (const char* p : {"incremental", "incrementally", "marginally novel", "marginally new",
                          "derivative",
                          "straightforward extension", "straightforward combination",
                          "straightforward application", "straightforward adaptation",
                          "straightforward generalization", "simple extension",
                          "simple combination", "natural extension", "direct extension",
                          "direct application", "minor extension", "minor modification",
                          "minor modifications", "minor improvement", "trivial extension",
                          "combination of existing", "combines existing", "combining existing",
                          "well studied",
                          "well explored", "extensively studied", "widely studied",
                          "extensively explored", "widely explored"})
      neg(p, 1);
    for (const char* p : {"well known", "well established", "similar to", "closely related to", "resembles", "reminiscent of",
                          "variant of", "extension of", "builds heavily on", "builds upon",
                          "relies heavily on", "overlap with", "overlaps with",
                          "significant overlap", "heavily inspired", "inspired by",
                          "adaptation of", "application of"})
      neg(p, 1, /*needs_ref=*/true);
    for (const char* p : {"is new", "entirely new", "completely new", "genuinely new",
                          "truly new", "fundamentally new"})
      pos(p);
    for (const char* p : {"not entirely new", "not completely new", "not particularly new",
                          "not totally new", "not very new", "not that new", "not fully new",
                          "not really new"})
      neg(p, 1);
    for (const char* p : {"not new", "t new", "nothing new", "already proposed", "already explored",
                          "already studied", "already known", "already exists", "already exist",
                          "already established", "already shown", "already done",
                          "already investigated", "already introduced", "already been proposed",
                          "already been explored", "already been studied", "already been done",
                          "already been introduced", "already been shown", "already been investigated",
                          "already been addressed", "already been considered", "already been published",
                          "already been established", "already been reported", "already been developed",
                          "already been discussed", "already been known", "already been widely",
                          "already been extensively", "already been well", "already been used in",
                          "already been applied",
                          "previously proposed", "previously explored", "previously studied",
                          "previously introduced", "previously shown", "been done before",
                          "been proposed before", "been explored before", "been studied before",
                          "been shown before", "essentially the same", "identical to",
                          "the same as", "same idea", "rebranding", "re branding"})
      neg(p, 2);
    for (const char* p : {"prior work", "prior works", "previous work", "previous works",
                          "existing work", "existing works", "earlier work", "earlier works",
                          "related work", "related works", "concurrent work", "concurrent works",
                          "recent work", "recent works", "prior art", "prior methods",
                          "previous methods", "existing methods", "prior approaches",
                          "previous approaches", "existing approaches", "prior studies",
                          "previous studies", "existing studies", "prior literature",
                          "existing literature", "the literature"})
      topic(p);
    for (const char* p : {"novelty", "novelties", "originality", "innovation", "innovations",
                          "innovativeness", "contribution", "contributions", "incrementality"})
      noun(p);
    return c;
  }();
  return cues;
}

const std::unordered_map<std::string, std::vector<const Cue*>>& CuesByFirstWord() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string, std::vector<const Cue*>>();
    for (const auto& c : Cues()) (*m)[c.words[0]].push_back(&c);
    for (auto& [word, list] : *m)
      std::stable_sort(list.begin(), list.end(), [](const Cue* x, const Cue* y) {
        return x->words.size() > y->words.size();
      });
    return m;
  }();
  return *index;
}

bool IsNegator(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "not", "no", "never", "hardly", "barely", "scarcely", "t", "cannot", "nor", "neither",
      "lack", "lacks", "lacking", "without",
      "isn", "aren", "wasn", "doesn", "don", "didn", "hasn", "haven"};
  return k.count(w) > 0;
}

bool IsSoftener(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "particularly", "very", "entirely", "totally", "completely", "that", "so", "especially",
      "really", "fully", "terribly", "extremely", "too", "highly", "quite", "sufficiently"};
  return k.count(w) > 0;
}

int ModifierPolarity(std::string_view w, int* strength) {
  static const std::unordered_set<std::string_view> kNeg1 = {
      "limited", "minor", "low", "little", "modest", "questionable", "unclear", "weak",
      "insufficient", "restricted", "concern", "concerns", "concerned", "doubt", "doubts",
      "doubtful", "overstated", "overclaimed", "thin", "moderate", "small", "narrow", "weakness",
      "weaknesses", "lacks", "lack", "lacking", "missing", "incremental", "marginal"};
  static const std::unordered_set<std::string_view> kNeg2 = {"lack", "lacks", "lacking", "no",
                                                             "missing"};
  static const std::unordered_set<std::string_view> kPos = {
      "high", "strong", "significant", "clear", "considerable", "good", "great", "sufficient",
      "solid", "notable", "substantial", "convinced", "convincing", "evident", "clearly",
      "substantive", "important", "valuable", "impressive", "genuine", "meaningful", "strength",
      "strengths"};
  if (kNeg2.count(w)) {
    *strength = 2;
    return -1;
  }
  if (kNeg1.count(w)) {
    *strength = 1;
    return -1;
  }
  if (kPos.count(w)) return 1;
  return 0;
}

bool IsUnseenNoun(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "view", "views", "viewpoint", "viewpoints", "class", "classes", "object", "objects",
      "category", "categories", "environment", "environments", "scene", "scenes", "domain",
      "domains", "instance", "instances", "concept", "concepts", "word", "words", "entity",
      "entities", "molecule", "molecules", "protein", "proteins", "input", "inputs", "pose",
      "poses", "combinations", "compositions", "situations", "states", "tokens", "users",
      "items", "materials", "shapes", "target", "targets", "test", "unseen", "species"};
  return k.count(w) > 0;
}

bool IsOriginalityLead(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "is", "are", "be", "been", "was", "were", "seems", "seem", "appears", "appear", "very",
      "quite", "highly", "truly", "fairly", "rather", "reasonably", "sufficiently", "somewhat",
      "genuinely", "and", "particularly", "entirely", "completely", "not", "both", "most", "more",
      "also", "remains", "relatively", "an", "is", "novel", "and", "t"};
  return k.count(w) > 0;
}

bool IsOriginalityHead(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "idea", "ideas", "contribution", "contributions", "approach", "perspective", "insight",
      "insights", "work", "research", "method", "technique", "formulation", "take", "angle",
      "solution", "design", "framework", "analysis", "concept"};
  return k.count(w) > 0;
}

bool IsAttribution(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "claim", "claims", "claimed", "claiming", "argue", "argues", "argued", "assert", "asserts",
      "state", "states", "stated", "emphasize", "emphasizes", "highlight", "highlights"};
  return k.count(w) > 0;
}

bool IsDescriptiveVerb(std::string_view w) {
  static const std::unordered_set<std::string_view> k = {
      "propose", "proposes", "proposed", "proposing", "introduce", "introduces", "introduced",
      "introducing", "present", "presents", "presented", "presenting", "develop", "develops",
      "developed", "design", "designs", "designed", "offer", "offers", "devise", "devises",
      "formulate", "formulates", "build", "builds", "construct", "constructs", "establish",
      "establishes", "release", "releases", "provide", "provides", "curate", "curates"};
  return k.count(w) > 0;
}

const std::vector<std::pair<Aspect, std::vector<const char*>>>& AspectKeywords() {
  static const std::vector<std::pair<Aspect, std::vector<const char*>>> k = {
      {Aspect::kTheory,
       {"theory", "theoretical", "theoretically", "theorem", "theorems", "proof", "proofs",
        "bound", "bounds", "lemma", "guarantee", "guarantees", "convergence", "analytical",
        "regret", "complexity", "provable", "provably", "formal", "formally"}},
      {Aspect::kData,
       {"dataset", "datasets", "data", "benchmark", "benchmarks", "corpus", "corpora",
        "annotation", "annotations", "annotated", "collection", "samples", "testbed"}},
      {Aspect::kProblem,
       {"problem", "problems", "task", "tasks", "setting", "settings", "formulation",
        "question", "questions", "motivation", "perspective", "direction", "challenge",
        "scenario", "paradigm", "viewpoint", "topic", "research"}},
      {Aspect::kResults,
       {"result", "results", "finding", "findings", "experiment", "experiments", "experimental",
        "empirical", "empirically", "evaluation", "performance", "insight", "insights",
        "observation", "observations", "study", "analysis", "improvement", "improvements",
        "gains", "evidence"}},
      {Aspect::kApplication,
       {"application", "applications", "applied", "applying", "apply", "domain", "domains",
        "deployment", "practical", "practice", "use", "usage", "industry", "real"}},
      {Aspect::kMethod,
       {"method", "methods", "approach", "approaches", "algorithm", "algorithms", "technique",
        "techniques", "architecture", "framework", "model", "models", "module", "loss",
        "mechanism", "design", "strategy", "training", "idea", "ideas", "objective",
        "procedure", "pipeline", "component", "components", "regularization", "network",
        "estimator", "solver", "scheme", "methodology", "technical"}},
  };
  return k;
}

}  // namespace novelta::alignment::review_internal
