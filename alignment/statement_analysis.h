// Internal to the review reader: analysing one sentence of a review for what
// it says about novelty. The sentence's word tokens are matched against the
// cue lexicon (novelty_cues.h); each cue found is weighed by its place in a
// contrast ("novel, but incremental"), turned by a negator ("not novel"),
// softened ("not entirely novel"), discounted when attributed to the authors
// ("the authors claim ...") or doubted ("whether it is truly novel"), and a
// novelty noun takes its side from its modifiers ("limited novelty"). The
// result is a score whose sign is the stance. Kept apart from finding and
// resolving named works, which only tell the analysis whether the sentence
// names prior work. docs/alignment.md lists the rules.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_ALIGNMENT_STATEMENT_ANALYSIS_H_
#define NOVELTA_ALIGNMENT_STATEMENT_ANALYSIS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "alignment/review_reader.h"

namespace novelta::alignment::review_internal {

// What the cues of one sentence add up to.
struct Analysis {
  bool is_statement = false;  // a cue matched, or the sentence names prior work
  double score = 0;           // > 0 positive, < 0 negative; 0 for a question
  int negative_strength = 0;  // the strongest negative cue: 1 incremental, 2 not novel
  // A novelty noun proper ("novelty", "originality"; not "contribution")
  // occurs, so the sentence can take its side from the list it sits in.
  bool has_novelty_noun = false;
  std::vector<std::string> cues;  // the matched cue phrases, for inspection
};

// Analyses `sentence` of the review's `section` ("summary" reads "proposes a
// novel method" as the paper's own claim); `names_prior_work` when a named
// work was found in it (this makes it a statement, and lets cues such as
// "similar to" count).
Analysis AnalyzeTokens(std::string_view sentence, std::string_view section, bool names_prior_work);

// The statement for an analysed sentence at byte `start` of the review.
// `subsection` is +1 under a strengths list, -1 under a weaknesses list, 0
// otherwise: a sentence with a novelty noun but no side of its own takes the
// list's side.
NoveltyStatement MakeStatement(std::string_view text, size_t start, std::string_view section,
                               const Analysis& a, int subsection);

}  // namespace novelta::alignment::review_internal

#endif  // NOVELTA_ALIGNMENT_STATEMENT_ANALYSIS_H_
