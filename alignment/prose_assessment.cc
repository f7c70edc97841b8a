// Reading prose assessments; see prose_assessment.h.
#include "alignment/prose_assessment.h"

#include <unordered_map>

namespace novelta::alignment {

void ReadProse(const PaperContext& paper, const PriorWorkResolver* resolver, Assessment* a) {
  ReviewReaderOptions options;
  options.resolver = resolver;
  // No originality score: the conclusion is the text's alone.
  a->kind = AssessmentKind::kProse;
  a->reading = ReadReview(a->text, /*originality=*/0, paper, options);
  a->conclusion = a->reading.text_conclusion;
  a->reasoning = StatementsText(a->reading);
  a->cited_prior_ids = a->reading.resolved_prior_ids;
  a->claim_aspects = a->reading.aspects;
}

void ReadProseAssessments(const std::vector<HumanPaper>& papers, const PriorWorkResolver* resolver,
                          std::vector<Assessment>* assessments) {
  std::unordered_map<std::string, const HumanPaper*> by_id;
  for (const auto& p : papers) by_id[p.paper_id] = &p;
  for (Assessment& a : *assessments) {
    if (a.kind != AssessmentKind::kProse) continue;
    PaperContext context;
    auto it = by_id.find(a.paper_id);
    if (it != by_id.end()) context.references = it->second->references;
    ReadProse(context, resolver, &a);
  }
}

}  // namespace novelta::alignment
