#include "pipeline/extract/claim_filter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace novelta {
namespace {

struct Case {
  const char* sentence;
  NonClaimReason reason;
};

TEST(WhyNotAClaimTest, NamesWhatIsNotAContribution) {
  const std::vector<Case> cases = {
      {"Our code is available at https://github.com/example/project.", NonClaimReason::kAvailability},
      {"Project page: \\url{https://example.github.io}.", NonClaimReason::kAvailability},
      {"We release our code and pretrained models to foster future research.", NonClaimReason::kAvailability},
      {"We make our work fully reproducible by providing data, training recipes, code and models.",
       NonClaimReason::kAvailability},
      {"Our code and qualitative results are provided in the supplementary material.",
       NonClaimReason::kAvailability},
      {"Our main contributions are summarized as follows.", NonClaimReason::kListLeadIn},
      {"To summarize, our contributions are threefold:", NonClaimReason::kListLeadIn},
      {"Accordingly, we frame our solution as follows:", NonClaimReason::kListLeadIn},
      {"Specifically, we fine-tune", NonClaimReason::kFragment},
      {"We propose a token representation framework that", NonClaimReason::kFragment},
      {"applies vector quantization to the embeddings to learn a codebook.", NonClaimReason::kFragment},
      {"we draw a sample of the graph and then we prune its edges 38", NonClaimReason::kFragment},
      {"Can we find bargaining solutions with direction oracles alone?", NonClaimReason::kQuestion},
      {"Figure 2: Overview of the proposed pipeline for streaming video captioning.",
       NonClaimReason::kCaption},
      {"The detailed analysis of both algorithms can be found in Sections 4.1 and 4.2.",
       NonClaimReason::kPointer},
      {"We compare our method with the existing ones in Table 1.", NonClaimReason::kPointer},
      {"In this paper, we provide an affirmative answer to the above two questions.",
       NonClaimReason::kPointer},
      {"Extensive experiments demonstrate the effectiveness of our proposed algorithms.",
       NonClaimReason::kGenericResult},
      {"However, current approaches rely on lengthy optimization, making them impractical online.",
       NonClaimReason::kBackground},
      {"Existing denoising methods depend heavily on manual data cleaning.", NonClaimReason::kBackground},
      {"Here, $\\varepsilon$ is the target accuracy and $|S|$ the number of states.",
       NonClaimReason::kNotation},
      {"We hope this study can shed light on data diversity in instruction tuning.",
       NonClaimReason::kOutlook},
      {"This opens up new possibilities for scalable continual learning.", NonClaimReason::kOutlook},
      {"These results establish the method as a foundation for the next generation of architectures.",
       NonClaimReason::kOutlook},
      {"Our goal is to extend efficient learning of low-dimensional concepts to sequential models.",
       NonClaimReason::kMotivation},
      {"We argue that a general policy should retain the reasoning skills of its backbone.",
       NonClaimReason::kMotivation},
      {"Our lower bound proof leverages the approach of [2] for selecting among many correct arms.",
       NonClaimReason::kReuse},
      {"The most relevant works to our own are [4, 7], which bound the sample complexity of transformers.",
       NonClaimReason::kBackground},
      {"In the remainder of this paper, we formalize these concepts and evaluate our approach.",
       NonClaimReason::kPointer},
      {"2 We note that there are several other notions of neighbouring datasets for graph problems.",
       NonClaimReason::kFragment},
      {"We use the double bar to denote the Euclidean norm of vectors throughout the paper.",
       NonClaimReason::kNotation},
      {"Our novel technique for optimizing reward functions makes two contributions.",
       NonClaimReason::kListLeadIn},
  };
  for (const auto& c : cases)
    EXPECT_EQ(NonClaimReasonName(WhyNotAClaim(c.sentence)), std::string(NonClaimReasonName(c.reason)))
        << c.sentence;
}

TEST(WhyNotAClaimTest, KeepsContributions) {
  for (const char* s : {
           "We propose a noise-robust adaptation method that injects noise into a dedicated expert.",
           "We prove that the algorithm attains a regret of O(sqrt(T)) against adaptive adversaries.",
           "We release PLM-Bench, a benchmark of 12,000 manually annotated video questions.",
           "Our method outperforms the strongest baseline by 4.2 points on ImageNet (Table 2).",
           "To address these challenges, we introduce DiffVax, an end-to-end framework (see Fig. 1).",
           "In this work, we answer the above question and present a new algorithm for bandits with delays.",
           "Our contributions are: (1) we propose a toolbox of orthogonal learners for time-to-event data.",
           "- A new benchmark for long-horizon robot manipulation with language instructions",
           "This represents an improvement of $d^{1/3}$ over the bound of classical methods, where $d$ "
           "denotes the dimension.",
           "Although the exact denominator changes unpredictably, the ratio between the sparse and full "
           "denominators is stable.",
           "Extensive experiments demonstrate that our model excels in text-to-image generation and also "
           "serves as a strong image semantic evaluator.",
           "We implement a transparent tensor migration engine that moves data directly between GPUs and SSDs.",
           "For example, in 2-bit quantization of an 8B model, our method leads the baselines by 0.4 in perplexity.",
           "Finally, we demonstrate the effectiveness of our algorithm across several domains, including image "
           "generation and molecule design.",
           "We provide a new perspective on detecting generated images by their predictive uncertainty.",
       })
    EXPECT_EQ(WhyNotAClaim(s), NonClaimReason::kNone) << s << ": " << NonClaimReasonName(WhyNotAClaim(s));
}

Claim MakeClaim(const std::string& text, ClaimType type, double score, size_t start) {
  Claim c;
  c.text = text;
  c.type = type;
  c.score = score;
  c.span = {"abstract", start, start + text.size()};
  return c;
}

TEST(ClaimOverlapTest, IsOneWhenOneClaimsWordsAreInTheOther) {
  EXPECT_DOUBLE_EQ(ClaimOverlap("We achieve state-of-the-art performance with lower memory.",
                                "We evaluate on three benchmarks, achieving state-of-the-art performance "
                                "with significantly lower memory."),
                   1.0);
  EXPECT_LT(ClaimOverlap("We propose a graph attention network for node classification.",
                         "We prove a lower bound on the sample complexity of bandits."),
            0.2);
  EXPECT_EQ(ClaimOverlap("", "anything"), 0);
}

TEST(MergeRestatementsTest, FoldsRestatementsIntoOneClaimWithEverySpan) {
  std::vector<Claim> claims = {
      MakeClaim("We propose two algorithms that achieve near-optimal sample complexity.",
                ClaimType::kMethod, 0.7, 0),
      MakeClaim("We prove a lower bound that matches the upper bound up to logarithmic factors.",
                ClaimType::kTheory, 0.9, 100),
      MakeClaim("Specifically, we propose two algorithms that achieve near-optimal (minimax) sample "
                "complexity for learning average-reward MDPs.",
                ClaimType::kMethod, 0.8, 300),
  };
  claims[2].span.field = "introduction";
  auto merged = MergeRestatements(claims);
  ASSERT_EQ(merged.size(), 2u);
  // The restatement with the higher score gives the text; the other's span is kept.
  EXPECT_EQ(merged[0].id, "c1");
  EXPECT_EQ(merged[0].text, claims[2].text);
  EXPECT_EQ(merged[0].span.field, "introduction");
  ASSERT_EQ(merged[0].also_at.size(), 1u);
  EXPECT_EQ(merged[0].also_at[0].field, "abstract");
  EXPECT_EQ(merged[0].also_at[0].start, 0u);
  EXPECT_EQ(merged[1].id, "c2");
  EXPECT_EQ(merged[1].type, ClaimType::kTheory);
  EXPECT_TRUE(merged[1].also_at.empty());
}

TEST(MergeRestatementsTest, KeepsDistinctClaimsOfOneTopic) {
  std::vector<Claim> claims = {
      MakeClaim("We propose a sparse attention method for video diffusion transformers.",
                ClaimType::kMethod, 0.8, 0),
      MakeClaim("We prove that sparse attention in video diffusion transformers preserves the output "
                "distribution within a bounded error.",
                ClaimType::kTheory, 0.8, 100),
  };
  EXPECT_EQ(MergeRestatements(claims).size(), 2u);
}

}  // namespace
}  // namespace novelta
