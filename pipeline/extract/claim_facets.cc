#include "pipeline/extract/claim_facets.h"

#include <cctype>
#include <set>
#include <unordered_set>
#include <utility>

#include "base/text.h"
#include "pipeline/extract/claim_wording.h"

namespace novelta {
namespace {

using claim_wording::Analyzed;
using claim_wording::Tokens;

using Facets = std::map<std::string, std::vector<std::string>>;

// Well-known datasets and benchmarks, matched case-sensitively as words.
const std::vector<std::string>& KnownDatasets() {
  static const auto* list = new std::vector<std::string>{
      "ImageNet", "ImageNet-1K", "ImageNet-21K", "CIFAR-10", "CIFAR-100", "CIFAR10", "CIFAR100",
      "MS-COCO", "MSCOCO", "COCO", "MNIST", "Fashion-MNIST", "SVHN", "CelebA", "CelebA-HQ",
      "LSUN", "FFHQ", "Cityscapes", "KITTI", "nuScenes", "ShapeNet", "ScanNet", "ModelNet40",
      "ADE20K", "PASCAL VOC", "Kinetics", "UCF101", "GLUE", "SuperGLUE", "SQuAD", "MMLU",
      "GSM8K", "HumanEval", "MBPP", "BIG-bench", "HellaSwag", "TruthfulQA", "WikiText-103",
      "WikiText", "Penn Treebank", "WMT", "LibriSpeech", "Omniglot", "miniImageNet",
      "tieredImageNet", "D4RL", "MuJoCo", "Atari", "OGB", "Cora", "Citeseer", "PubMed",
      "CUB", "Places365", "LAION", "LAION-5B", "CommonCrawl", "C4", "The Pile", "MATH",
      "ARC", "Natural Questions", "TriviaQA", "HotpotQA", "MS MARCO", "BEIR", "VQA", "GQA",
      "Flickr30k", "Visual Genome", "AudioSet", "STL-10", "Tiny ImageNet", "QM9", "ZINC",
      "PDBbind", "Procgen", "Meta-World", "MiniGrid", "NetHack", "SWE-bench", "AlpacaEval",
      "MT-Bench", "Waymo", "DomainNet", "Office-Home", "PACS", "WILDS"};
  return *list;
}

const std::vector<std::pair<std::vector<std::string>, const char*>>& MetricPhrases() {
  static const auto* list = new std::vector<std::pair<std::vector<std::string>, const char*>>{
      {{"accuracy"}, "accuracy"}, {{"f1"}, "F1"}, {{"bleu"}, "BLEU"}, {{"rouge"}, "ROUGE"},
      {{"meteor"}, "METEOR"}, {{"fid"}, "FID"}, {{"auc"}, "AUC"}, {{"auroc"}, "AUROC"},
      {{"auprc"}, "AUPRC"}, {{"map"}, "mAP"}, {{"iou"}, "IoU"}, {{"miou"}, "mIoU"},
      {{"perplexity"}, "perplexity"}, {{"psnr"}, "PSNR"}, {{"ssim"}, "SSIM"}, {{"lpips"}, "LPIPS"},
      {{"precision"}, "precision"}, {{"recall"}, "recall"}, {{"top", "1"}, "top-1"},
      {{"top", "5"}, "top-5"}, {{"error", "rate"}, "error rate"}, {{"wer"}, "WER"},
      {{"cer"}, "CER"}, {{"exact", "match"}, "exact match"}, {{"success", "rate"}, "success rate"},
      {{"mse"}, "MSE"}, {{"rmse"}, "RMSE"}, {{"mae"}, "MAE"}, {{"ndcg"}, "NDCG"},
      {{"mrr"}, "MRR"}, {{"latency"}, "latency"}, {{"throughput"}, "throughput"},
      {{"speedup"}, "speedup"}, {{"inception", "score"}, "inception score"},
      {{"pass", "1"}, "pass@1"}, {{"win", "rate"}, "win rate"}, {{"regret"}, "regret"},
      {{"sample", "efficiency"}, "sample efficiency"}, {{"spearman"}, "Spearman"},
      {{"log", "likelihood"}, "log-likelihood"}, {{"elbo"}, "ELBO"}, {{"cider"}, "CIDEr"},
      {{"chrf"}, "chrF"}, {{"calibration", "error"}, "calibration error"}, {{"ece"}, "ECE"},
      {{"wall", "clock"}, "wall-clock time"}, {{"memory", "footprint"}, "memory footprint"}};
  return *list;
}

// Capitalised words and acronyms that are not method names.
const std::unordered_set<std::string>& NotMethodNames() {
  static const auto* set = new std::unordered_set<std::string>{
      "We", "The", "This", "Our", "In", "AI", "ML", "US", "UK", "EU", "II", "III", "IV",
      "OK", "PhD", "TM", "NeurIPS", "ICML", "ICLR", "CVPR", "ACL", "EMNLP", "GPU", "GPUs",
      "CPU", "CPUs", "TPU", "API", "APIs", "URL", "PDF", "RGB", "SOTA", "Fig", "Figure",
      "Table", "Section", "Appendix", "Eq", "Theorem", "Lemma", "I", "A", "An", "It", "By",
      "On", "For", "To", "As", "At", "Code", "Experiments", "Results", "However", "Finally"};
  return *set;
}

// Words ending a noun phrase taken as a facet value.
const std::unordered_set<std::string>& PhraseStopWords() {
  static const auto* set = new std::unordered_set<std::string>{
      "that", "which", "who", "whose", "where", "whereby", "while", "whilst", "when",
      "because", "since", "although", "though", "thereby", "thus", "hence", "via", "using",
      "by", "through", "and", "but", "or", "with", "without", "achieving", "achieves",
      "outperforming", "outperforms", "showing", "shows", "leading", "yielding", "allowing",
      "enabling", "is", "are", "was", "were", "can", "could", "will", "would", "to", "in",
      "on", "from", "under", "across", "against", "than", "as", "if", "into", "within"};
  return *set;
}

std::string_view TrimPunct(std::string_view s) {
  s = Trim(s);
  while (!s.empty() && std::string_view(" \t\n,;:.()[]\"'*-").find(s.back()) != std::string_view::npos)
    s.remove_suffix(1);
  while (!s.empty() && std::string_view(" \t\n,;:.()[]\"'*").find(s.front()) != std::string_view::npos)
    s.remove_prefix(1);
  return s;
}

// Text of the noun phrase starting at token `from`: stops at clause
// punctuation, a word that begins a new clause, or after `max_tokens` words.
std::string PhraseFrom(std::string_view sentence, const std::vector<TokenSpan>& spans, size_t from,
                       size_t max_tokens, const std::unordered_set<std::string>& stop) {
  if (from >= spans.size()) return "";
  size_t last = from;
  for (size_t k = from; k < spans.size() && k < from + max_tokens; ++k) {
    if (k > from) {
      // Punctuation between the previous token and this one ends the phrase,
      // except hyphens, slashes and apostrophes inside a compound.
      std::string_view gap = sentence.substr(spans[k - 1].end, spans[k].begin - spans[k - 1].end);
      if (gap.find_first_of(",;:.()[]!?\"") != std::string_view::npos) break;
      const std::string& w = spans[k].token;
      if (stop.count(w)) break;
      // An adverb starts the predicate: "X significantly improves Y".
      if (w.size() > 5 && EndsWith(w, "ly") && w != "family" && w != "anomaly" && w != "supply") break;
    }
    last = k;
  }
  // A phrase ending on a bare function word reads badly: drop trailing ones.
  while (last > from && (IsStopword(spans[last].token) || spans[last].token == "and")) --last;
  std::string_view text = sentence.substr(spans[from].begin, spans[last].end - spans[from].begin);
  return std::string(TrimPunct(text));
}

void AddUnique(std::vector<std::string>* list, std::string value) {
  if (value.empty()) return;
  for (const std::string& v : *list)
    if (ToLowerAscii(v) == ToLowerAscii(value)) return;
  list->push_back(std::move(value));
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

// Capitalised names and acronyms of the original sentence, with byte offsets
// (base/text.h NameTokens): "VQGAN", "BERT", "GPT-4", "ResNet-50", "AlphaFold".
using NameToken = TokenSpan;
// An acronym or a CamelCase name: two or more capitals, or a capital after a
// lower-case letter ("ResNet").
bool LooksLikeName(std::string_view w) {
  int upper = 0;
  bool camel = false;
  for (size_t k = 0; k < w.size(); ++k) {
    if (std::isupper(static_cast<unsigned char>(w[k]))) {
      ++upper;
      if (k > 0 && std::islower(static_cast<unsigned char>(w[k - 1]))) camel = true;
    }
  }
  return std::isalpha(static_cast<unsigned char>(w[0])) && (upper >= 2 || camel);
}

// object: the noun phrase after the contribution verb of the first self
// subject that has one ("we propose <a graph transformer for ...>").
void AddObjectFacet(std::string_view sentence, const Analyzed& a, Facets* facets) {
  const Tokens& t = a.tokens;
  static const std::unordered_set<std::string> kObjectVerbs = {
      "propose", "proposes", "introduce", "introduces", "present", "presents", "develop",
      "develops", "design", "designs", "devise", "devises", "release", "releases", "build",
      "builds", "construct", "constructs", "create", "creates", "collect", "collects",
      "formulate", "formulates", "study", "studies", "investigate", "investigates", "analyze",
      "analyzes", "analyse", "analyses", "prove", "proves", "show", "shows", "demonstrate",
      "demonstrates", "establish", "establishes", "derive", "derives", "provide", "provides",
      "describe", "describes", "explore", "explores", "examine", "examines", "curate", "offer",
      "offers", "contribute", "contributes", "extend", "extends", "address", "addresses"};
  for (size_t i = 0; i < t.size(); ++i) {
    size_t subject = claim_wording::SelfSubjectAt(t, i);
    if (subject == 0) continue;
    size_t k = i + subject;
    while (k < t.size() && k <= i + subject + 2 && !kObjectVerbs.count(t[k])) ++k;
    if (k >= t.size() || !kObjectVerbs.count(t[k])) continue;
    size_t from = k + 1;
    if (from < t.size() && (t[from] == "that" || t[from] == "how" || t[from] == "here")) ++from;
    static const std::unordered_set<std::string> kObjectStops = [] {
      std::unordered_set<std::string> s = PhraseStopWords();
      s.erase("to");  // "a novel approach to learning"
      s.erase("in");
      s.erase("on");
      s.erase("with");
      s.erase("and");
      return s;
    }();
    // "we present X and evaluate it": the object ends before the next verb.
    size_t max_tokens = 14;
    for (size_t m = from + 1; m + 1 < t.size() && m < from + max_tokens; ++m) {
      const std::string& next = t[m + 1];
      if (t[m] == "and" &&
          (claim_wording::ContributionVerbs().count(next) || claim_wording::ActivityVerbs().count(next) ||
           next == "we" || next == "it" || next == "then" || next == "also")) {
        max_tokens = m - from;
        break;
      }
    }
    std::string object = PhraseFrom(sentence, a.spans, from, max_tokens, kObjectStops);
    if (!object.empty() && object.size() >= 3) AddUnique(&(*facets)["object"], object);
    break;
  }
}

// dataset: well-known names, and names next to a dataset word. Returns the
// names taken as datasets (and the name tokens inside a known one), which
// are then no method names.
std::set<std::string> AddDatasetFacets(std::string_view sentence, const std::vector<NameToken>& names,
                                       Facets* facets) {
  std::set<std::string> dataset_names;
  for (const std::string& known : KnownDatasets()) {
    size_t at = 0;
    while ((at = sentence.find(known, at)) != std::string_view::npos) {
      size_t end = at + known.size();
      bool left = at == 0 || !IsWordChar(sentence[at - 1]);
      bool right = end == sentence.size() || !IsWordChar(sentence[end]);
      if (left && right) {
        AddUnique(&(*facets)["dataset"], known);
        dataset_names.insert(known);
        for (const NameToken& n : names)
          if (n.begin >= at && n.end <= end) dataset_names.insert(n.token);
        break;
      }
      at = end;
    }
  }
  for (size_t k = 0; k < names.size(); ++k) {
    std::string lower = ToLowerAscii(names[k].token);
    if (!claim_wording::IsDatasetWord(lower)) continue;
    // "the XYZ dataset", "XYZ benchmark"
    if (k > 0 && LooksLikeName(names[k - 1].token) && !NotMethodNames().count(names[k - 1].token)) {
      AddUnique(&(*facets)["dataset"], names[k - 1].token);
      dataset_names.insert(names[k - 1].token);
    }
    // "dataset XYZ", "benchmark, XYZ,"
    if (k + 1 < names.size() && LooksLikeName(names[k + 1].token) &&
        !NotMethodNames().count(names[k + 1].token) && names[k + 1].begin - names[k].end <= 3) {
      AddUnique(&(*facets)["dataset"], names[k + 1].token);
      dataset_names.insert(names[k + 1].token);
    }
  }
  return dataset_names;
}

// metric: the metric phrases found. Returns their names, lower-cased.
std::set<std::string> AddMetricFacets(const Tokens& t, Facets* facets) {
  std::set<std::string> metric_names;
  for (const auto& [phrase, name] : MetricPhrases()) {
    if (claim_wording::FindPhrase(t, phrase) >= 0) {
      AddUnique(&(*facets)["metric"], name);
      metric_names.insert(ToLowerAscii(name));
    }
  }
  return metric_names;
}

// method: acronyms and CamelCase names that are not datasets or metrics.
void AddMethodFacets(const std::vector<NameToken>& names, const std::set<std::string>& dataset_names,
                     const std::set<std::string>& metric_names, Facets* facets) {
  for (const NameToken& n : names) {
    if (!LooksLikeName(n.token) || NotMethodNames().count(n.token) || dataset_names.count(n.token)) continue;
    if (metric_names.count(ToLowerAscii(n.token))) continue;
    AddUnique(&(*facets)["method"], n.token);
  }
}

// task: "for X", "on the task of X", "the problem of X".
void AddTaskFacets(std::string_view sentence, const Analyzed& a, Facets* facets) {
  const Tokens& t = a.tokens;
  static const std::unordered_set<std::string> kNotTask = {
      "example", "instance", "each", "all", "the", "first", "free", "this", "that", "these",
      "those", "any", "both", "which", "such", "a", "an", "many", "most", "some", "more",
      "its", "their", "our", "it", "them", "training", "inference", "evaluation", "every"};
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    size_t from = 0;
    if (i + 3 < t.size() && (t[i] == "task" || t[i] == "problem") && t[i + 1] == "of") {
      from = i + 2;
    } else if (t[i] == "for") {
      from = i + 1;
      if (from < t.size() && (t[from] == "the" || t[from] == "a" || t[from] == "an")) ++from;
    } else {
      continue;
    }
    if (from >= t.size() || kNotTask.count(t[from]) || IsStopword(t[from])) continue;
    // Only a phrase right after the cue word (no punctuation in between).
    std::string_view gap = sentence.substr(a.spans[i].end, a.spans[from].begin - a.spans[i].end);
    if (gap.find_first_of(",;:.()") != std::string_view::npos) continue;
    std::string task = PhraseFrom(sentence, a.spans, from, 6, PhraseStopWords());
    if (task.size() >= 3 && !std::isdigit(static_cast<unsigned char>(task[0])))
      AddUnique(&(*facets)["task"], task);
  }
}

}  // namespace

Facets ExtractFacets(std::string_view sentence) {
  Facets facets;
  Analyzed a = claim_wording::Analyze(sentence);
  AddObjectFacet(sentence, a, &facets);
  std::vector<NameToken> names = NameTokens(sentence);
  std::set<std::string> dataset_names = AddDatasetFacets(sentence, names, &facets);
  std::set<std::string> metric_names = AddMetricFacets(a.tokens, &facets);
  AddMethodFacets(names, dataset_names, metric_names, &facets);
  AddTaskFacets(sentence, a, &facets);
  return facets;
}

}  // namespace novelta
