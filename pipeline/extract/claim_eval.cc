#include "pipeline/extract/claim_eval.h"

#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/line_reader.h"
#include "base/text.h"

namespace novelta {
namespace {

void Count(bool predicted, bool positive, ClassificationScore* score) {
  ++score->n;
  if (predicted && positive) ++score->tp;
  else if (predicted) ++score->fp;
  else if (positive) ++score->fn;
}

std::string Where(const LineReader& reader) {
  return reader.path() + ":" + std::to_string(reader.line_number());
}

// A one-word line of the NCG sentence lists: a section label such as
// "title", "abstract", "Introduction", or a stray footnote mark.
bool IsHeadingPseudoSentence(std::string_view text) {
  text = Trim(text);
  return text.find_first_of(" \t") == std::string_view::npos;
}

// The heading that ends an NCG paper's abstract: "Introduction",
// "1 Introduction", "I. INTRODUCTION", "Introduction and Background", or the
// dataset's own one-word section labels "narrative" / "motivation".
bool IsIntroductionHeading(std::string_view text) {
  std::string lower = ToLowerAscii(Trim(text));
  if (lower == "narrative" || lower == "motivation") return true;
  return lower.find("introduction") != std::string::npos && WordTokens(lower).size() <= 5;
}

}  // namespace

void ClassificationScore::Finish() {
  precision = tp + fp > 0 ? static_cast<double>(tp) / (tp + fp) : 0.0;
  recall = tp + fn > 0 ? static_cast<double>(tp) / (tp + fn) : 0.0;
  f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}

StatusOr<ClassificationScore> EvaluateOnCsAbstruct(const SentenceScorer& scorer, const std::string& path,
                                                   const ExtractorOptions& options) {
  NOVELTA_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader, LineReader::Open(path));
  ClassificationScore score;
  std::string line;
  while (reader->Next(&line)) {
    if (Trim(line).empty()) continue;
    const std::string where = Where(*reader);
    NOVELTA_ASSIGN_OR_RETURN(Json record, ParseJson(line, where));
    if (!record.is_object()) return Status::InvalidArgument(where + ": record must be an object");
    auto sentences = record.find("sentences");
    auto labels = record.find("labels");
    if (sentences == record.end() || !sentences->is_array() || labels == record.end() ||
        !labels->is_array())
      return Status::InvalidArgument(where + ": needs arrays 'sentences' and 'labels'");
    if (sentences->size() != labels->size())
      return Status::InvalidArgument(where + ": " + std::to_string(sentences->size()) + " sentences but " +
                                     std::to_string(labels->size()) + " labels");
    SentenceContext ctx;
    ctx.field = "abstract";
    ctx.count = sentences->size();
    for (size_t k = 0; k < sentences->size(); ++k) {
      const Json& text = (*sentences)[k];
      const Json& label = (*labels)[k];
      if (!text.is_string() || !label.is_string())
        return Status::InvalidArgument(where + ": sentence and label " + std::to_string(k) +
                                       " must be strings");
      const std::string& name = label.get_ref<const std::string&>();
      bool positive = name == "objective" || name == "method" || name == "result";
      ctx.index = k;
      bool predicted = scorer.Score(text.get_ref<const std::string&>(), ctx, nullptr) >= options.min_score;
      Count(predicted, positive, &score);
    }
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  score.Finish();
  return score;
}

StatusOr<ClassificationScore> EvaluateOnNcg(const SentenceScorer& scorer, const std::string& path,
                                            const ExtractorOptions& options) {
  NOVELTA_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader, LineReader::Open(path));
  ClassificationScore score;
  std::string line;
  struct Item {
    std::string_view text;
    bool positive;
    bool heading;
    bool introduction;  // at or after the introduction heading
  };
  while (reader->Next(&line)) {
    if (Trim(line).empty()) continue;
    const std::string where = Where(*reader);
    NOVELTA_ASSIGN_OR_RETURN(Json record, ParseJson(line, where));
    if (!record.is_object()) return Status::InvalidArgument(where + ": record must be an object");
    auto sentences = record.find("sentences");
    if (sentences == record.end() || !sentences->is_array())
      return Status::InvalidArgument(where + ": needs an array 'sentences'");
    std::vector<Item> items;
    items.reserve(sentences->size());
    bool introduction = false;
    size_t abstract_count = 0, introduction_count = 0;
    for (size_t k = 0; k < sentences->size(); ++k) {
      const Json& s = (*sentences)[k];
      auto text = s.is_object() ? s.find("text") : s.end();
      auto label = s.is_object() ? s.find("label") : s.end();
      if (!s.is_object() || text == s.end() || !text->is_string() || label == s.end() ||
          !label->is_number_integer())
        return Status::InvalidArgument(where + ": sentence " + std::to_string(k) +
                                       " needs a string 'text' and an integer 'label'");
      Item item{text->get_ref<const std::string&>(), label->get<int64_t>() == 1, false, false};
      if (!introduction && IsIntroductionHeading(item.text)) {
        introduction = true;
        item.heading = true;
      }
      item.heading = item.heading || IsHeadingPseudoSentence(item.text);
      item.introduction = introduction;
      if (!item.heading) ++(introduction ? introduction_count : abstract_count);
      items.push_back(item);
    }
    size_t abstract_index = 0, introduction_index = 0;
    for (const Item& item : items) {
      if (item.heading) {
        Count(false, item.positive, &score);
        continue;
      }
      SentenceContext ctx;
      ctx.field = item.introduction ? "introduction" : "abstract";
      ctx.count = item.introduction ? introduction_count : abstract_count;
      ctx.index = item.introduction ? introduction_index++ : abstract_index++;
      bool predicted = scorer.Score(item.text, ctx, nullptr) >= options.min_score;
      Count(predicted, item.positive, &score);
    }
  }
  NOVELTA_RETURN_IF_ERROR(reader->status());
  score.Finish();
  return score;
}

}  // namespace novelta
