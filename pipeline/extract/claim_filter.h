// What stage 1 keeps as claims: only statements of the submission's own
// contribution (what it proposes, proves, builds, releases as a research
// artifact, finds), one claim per contribution.
//
// The sentence scorers (cue rules, trained classifier) say how much a
// sentence reads like a contribution statement; some sentences that read so
// are not one, and a reviewer who sees them as claims stops trusting the
// report: code and data availability ("Our code is available at https://..."),
// the lead-in of a contribution list ("Our contributions are as follows:"),
// fragments cut by the PDF conversion ("Specifically, we fine-tune"),
// questions, pointers to sections, tables and figures, captions, generic
// effectiveness statements ("Extensive experiments demonstrate the
// effectiveness of our method."), background and problem statements, notation,
// outlook ("we hope this sheds light on ..."), goals and arguments, and what
// the paper takes from others' work. WhyNotAClaim names the reason such a
// sentence is not a claim.
//
// A paper states its contributions two or three times (abstract,
// introduction, contribution list). MergeRestatements folds restatements of
// one contribution into one claim that keeps every span (Claim::also_at).
//
// Thread-safety: pure functions.
#ifndef NOVELTA_PIPELINE_EXTRACT_CLAIM_FILTER_H_
#define NOVELTA_PIPELINE_EXTRACT_CLAIM_FILTER_H_

#include <string_view>
#include <vector>

#include "novelta/model.h"

namespace novelta {

enum class NonClaimReason {
  kNone,           // it may be a claim
  kAvailability,   // code, data, models or a project page are available / released
  kListLeadIn,     // "Our main contributions are summarized as follows:"
  kFragment,       // not a whole sentence
  kQuestion,       // a research question, not an answer
  kPointer,        // "Details are given in Section 4", "We compare them in Table 1"
  kCaption,        // "Figure 2: ...", "Table 3: ..."
  kGenericResult,  // "Extensive experiments demonstrate the effectiveness of our method"
  kBackground,     // what others did or what is missing, not what this paper does
  kNotation,       // "Here, $n$ is the number of ..."
  kOutlook,        // hopes, potential, future impact, what the results "establish" or "underscore"
  kMotivation,     // goals, aims and arguments ("Our goal is to ...", "We argue that ...")
  kReuse,          // what the paper takes from others' work ("Our proof leverages the approach of [2]")
};
// "availability", "list_lead_in", ...; "" for kNone.
const char* NonClaimReasonName(NonClaimReason reason);

// Why `sentence` is not a statement of the paper's own contribution, or kNone.
NonClaimReason WhyNotAClaim(std::string_view sentence);

// Share of two claims' content words they have in common, over the smaller
// claim's: 1 when one claim's words are all in the other. Content words are
// lower-cased, without stopwords, cut to six letters (a cheap stem).
double ClaimOverlap(std::string_view a, std::string_view b);

struct MergeOptions {
  // Claims of the same type overlapping at least this much (ClaimOverlap)
  // state one contribution. Default: 0.6.
  double same_type_overlap = 0.6;
  // Claims of different types (a method and its result, say) share many
  // topic words without restating each other: they must share at least this
  // share of all their content words (Jaccard). Default: 0.6.
  double any_type_jaccard = 0.6;
};

// Folds restatements of one contribution into one claim. Two claims restate
// one contribution when they give what they propose the same coined name
// ("we propose LoPE, ..." / "LoPE, a novel ... method"), or when their
// words overlap as much as MergeOptions asks for their types. The merged claim's text, type
// and span are those of the restatement with the highest score (the earliest
// on ties), its score the highest, and Claim::also_at holds the spans of the
// others. The result keeps text order (by each claim's own span) and ids
// c1..cN in that order.
std::vector<Claim> MergeRestatements(std::vector<Claim> claims, const MergeOptions& options = {});

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_EXTRACT_CLAIM_FILTER_H_
