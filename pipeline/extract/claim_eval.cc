#include "pipeline/extract/claim_eval.h"

#include <cctype>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/line_reader.h"
#include "base/text.h"

namespace novelta {
namespace {

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

bool LooksLikeSectionHeading(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.size() > 80) return false;
  unsigned char first = static_cast<unsigned char>(text[0]);
  if (!std::isalnum(first) && first < 0x80) return false;
  if (std::islower(first)) return false;
  unsigned char last = static_cast<unsigned char>(text.back());
  if (last < 0x80 && !std::isalnum(last) && last != ')') return false;
  size_t words = WordTokens(text).size();
  return words >= 1 && words <= 8;
}

void CountDecision(bool predicted, bool positive, ClassificationScore* score) {
  ++score->n;
  if (predicted && positive) ++score->tp;
  else if (predicted) ++score->fp;
  else if (positive) ++score->fn;
}

void ClassificationScore::Finish() {
  precision = tp + fp > 0 ? static_cast<double>(tp) / (tp + fp) : 0.0;
  recall = tp + fn > 0 ? static_cast<double>(tp) / (tp + fn) : 0.0;
  f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}

Status ForEachCsAbstructSentence(const std::string& path, const LabelledSentenceVisitor& visit) {
  NOVELTA_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader, LineReader::Open(path));
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
    for (size_t k = 0; k < sentences->size(); ++k) {
      const Json& text = (*sentences)[k];
      const Json& label = (*labels)[k];
      if (!text.is_string() || !label.is_string())
        return Status::InvalidArgument(where + ": sentence and label " + std::to_string(k) +
                                       " must be strings");
    }
    auto id = record.find("abstract_id");
    LabelledSentence item;
    item.group = id == record.end() ? where : id->is_string() ? id->get<std::string>() : id->dump();
    item.ctx.field = "abstract";
    item.ctx.count = sentences->size();
    for (size_t k = 0; k < sentences->size(); ++k) {
      const std::string& name = (*labels)[k].get_ref<const std::string&>();
      item.text = (*sentences)[k].get_ref<const std::string&>();
      item.positive = name == "objective" || name == "method" || name == "result";
      item.ctx.index = k;
      item.ctx.section_index = k;
      item.ctx.previous = k > 0 ? std::string_view((*sentences)[k - 1].get_ref<const std::string&>())
                                : std::string_view();
      item.ctx.next = k + 1 < sentences->size()
                          ? std::string_view((*sentences)[k + 1].get_ref<const std::string&>())
                          : std::string_view();
      visit(item);
    }
  }
  return reader->status();
}

Status ForEachNcgSentence(const std::string& path, const LabelledSentenceVisitor& visit) {
  NOVELTA_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader, LineReader::Open(path));
  std::string line;
  struct Item {
    std::string_view text;
    bool positive;
    bool heading;
    bool introduction;  // at or after the introduction heading
    std::string section;
    size_t section_index;
  };
  while (reader->Next(&line)) {
    if (Trim(line).empty()) continue;
    const std::string where = Where(*reader);
    NOVELTA_ASSIGN_OR_RETURN(Json record, ParseJson(line, where));
    if (!record.is_object()) return Status::InvalidArgument(where + ": record must be an object");
    auto sentences = record.find("sentences");
    if (sentences == record.end() || !sentences->is_array())
      return Status::InvalidArgument(where + ": needs an array 'sentences'");
    auto paper = record.find("paper");
    std::string group = paper != record.end() && paper->is_string() ? paper->get<std::string>() : where;
    std::vector<Item> items;
    items.reserve(sentences->size());
    bool introduction = false;
    size_t abstract_count = 0, introduction_count = 0;
    std::string section;
    size_t section_index = 0;
    for (size_t k = 0; k < sentences->size(); ++k) {
      const Json& s = (*sentences)[k];
      auto text = s.is_object() ? s.find("text") : s.end();
      auto label = s.is_object() ? s.find("label") : s.end();
      if (!s.is_object() || text == s.end() || !text->is_string() || label == s.end() ||
          !label->is_number_integer())
        return Status::InvalidArgument(where + ": sentence " + std::to_string(k) +
                                       " needs a string 'text' and an integer 'label'");
      Item item{text->get_ref<const std::string&>(), label->get<int64_t>() == 1, false, false, {}, 0};
      bool new_section = false;
      if (!introduction && IsIntroductionHeading(item.text)) {
        introduction = true;
        item.heading = true;
        section = "introduction";
        new_section = true;
      } else if (introduction && LooksLikeSectionHeading(item.text)) {
        section = NormalizeSectionHeading(item.text);
        new_section = true;
      }
      item.heading = item.heading || IsHeadingPseudoSentence(item.text);
      item.introduction = introduction;
      item.section = section;
      if (new_section) section_index = 0;
      if (!item.heading) {
        ++(introduction ? introduction_count : abstract_count);
        // The heading line itself does not advance the position: the first
        // sentence under it is 0, as in the extractor, which skips headings.
        item.section_index = section_index;
        if (!new_section) ++section_index;
      }
      items.push_back(std::move(item));
    }
    size_t abstract_index = 0, introduction_index = 0;
    // Neighbours: the nearest sentences that are not heading pseudo-sentences.
    std::vector<std::string_view> previous(items.size()), next(items.size());
    std::string_view last;
    for (size_t k = 0; k < items.size(); ++k) {
      previous[k] = last;
      if (!items[k].heading) last = items[k].text;
    }
    last = std::string_view();
    for (size_t k = items.size(); k-- > 0;) {
      next[k] = last;
      if (!items[k].heading) last = items[k].text;
    }
    for (size_t k = 0; k < items.size(); ++k) {
      const Item& item = items[k];
      LabelledSentence out;
      out.text = item.text;
      out.positive = item.positive;
      out.heading = item.heading;
      out.group = group;
      if (!item.heading) {
        out.ctx.field = item.introduction ? "introduction" : "abstract";
        out.ctx.count = item.introduction ? introduction_count : abstract_count;
        out.ctx.index = item.introduction ? introduction_index++ : abstract_index++;
        out.ctx.section = item.section;
        out.ctx.section_index = item.section_index;
        out.ctx.previous = previous[k];
        out.ctx.next = next[k];
      }
      visit(out);
    }
  }
  return reader->status();
}

namespace {

StatusOr<ClassificationScore> Evaluate(
    const SentenceScorer& scorer, const ExtractorOptions& options,
    const std::function<Status(const LabelledSentenceVisitor&)>& for_each) {
  ClassificationScore score;
  NOVELTA_RETURN_IF_ERROR(for_each([&](const LabelledSentence& s) {
    bool predicted = !s.heading && scorer.Score(s.text, s.ctx, nullptr) >= options.min_score;
    CountDecision(predicted, s.positive, &score);
  }));
  score.Finish();
  return score;
}

}  // namespace

StatusOr<ClassificationScore> EvaluateOnCsAbstruct(const SentenceScorer& scorer, const std::string& path,
                                                   const ExtractorOptions& options) {
  return Evaluate(scorer, options,
                  [&](const LabelledSentenceVisitor& v) { return ForEachCsAbstructSentence(path, v); });
}

StatusOr<ClassificationScore> EvaluateOnNcg(const SentenceScorer& scorer, const std::string& path,
                                            const ExtractorOptions& options) {
  return Evaluate(scorer, options,
                  [&](const LabelledSentenceVisitor& v) { return ForEachNcgSentence(path, v); });
}

}  // namespace novelta
