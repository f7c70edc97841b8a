#include "index/name_index.h"

#include <gtest/gtest.h>

namespace novelta {
namespace {

TEST(NameIndexTest, CoinedNamesAreTitlePrefixesThatDoNotReadAsWords) {
  EXPECT_EQ(NameIndex::CoinedName("LoRA: Low-Rank Adaptation of Large Language Models"), "LoRA");
  EXPECT_EQ(NameIndex::CoinedName("BERT: Pre-training of Deep Bidirectional Transformers"), "BERT");
  EXPECT_EQ(NameIndex::CoinedName("GPT-3: Language Models are Few-Shot Learners"), "GPT-3");
  EXPECT_EQ(NameIndex::CoinedName("T5: Exploring the Limits of Transfer Learning"), "T5");
  EXPECT_EQ(NameIndex::CoinedName("Mask R-CNN: Instance Segmentation"), "Mask R-CNN");
  // Ordinary words, long heads, sentences and bare acronyms of two letters are no names.
  EXPECT_EQ(NameIndex::CoinedName("Attention: A Survey"), "");
  EXPECT_EQ(NameIndex::CoinedName("Towards Robust Models: A Study"), "");
  EXPECT_EQ(NameIndex::CoinedName("Deep Learning: Methods and Applications"), "");
  EXPECT_EQ(NameIndex::CoinedName("AI: The Next Decade"), "");
  EXPECT_EQ(NameIndex::CoinedName("When Does BERT Fail: Three Cases"), "");
  EXPECT_EQ(NameIndex::CoinedName("Graph Convolutional Networks for Node Classification"), "");
  EXPECT_EQ(NameIndex::CoinedName(": BERT"), "");
  EXPECT_EQ(NameIndex::CoinedName(""), "");
}

TEST(NameIndexTest, FindsWholeCaseSensitiveMentionsAndDropsAmbiguousNames) {
  std::vector<std::string> titles = {
      "LoRA: Low-Rank Adaptation of Large Language Models",  // 0
      "Mask R-CNN: Instance Segmentation",                   // 1
      "GPT-3: Language Models are Few-Shot Learners",        // 2
      "XNet: A Network",                                     // 3 (ambiguous, with 4 and 5)
      "XNet: Another Network",                               // 4
      "XNet: Yet Another Network",                           // 5
      "A Paper Without a Name",                              // 6
  };
  NameIndex names(titles);
  EXPECT_EQ(names.size(), 3u);  // LoRA, Mask R-CNN, GPT-3
  auto found = names.Find(
      "We fine-tune with LoRA, as in prior work (LoRA). Unlike Mask R-CNN, and unlike GPT-3.\n"
      "lora and LoRAX are not mentions; neither is Mask\nR-CNN across a line, nor XNet.");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].name, "LoRA");
  EXPECT_EQ(found[0].count, 2);
  EXPECT_EQ(found[0].rows, std::vector<int64_t>({0}));
  EXPECT_EQ(found[1].name, "GPT-3");  // ties by name
  EXPECT_EQ(found[2].name, "Mask R-CNN");
  EXPECT_EQ(found[2].rows, std::vector<int64_t>({1}));
  EXPECT_TRUE(names.Find("").empty());
  EXPECT_TRUE(NameIndex({}).Find("LoRA").empty());
  // With a looser ambiguity bound the shared name is kept, with all its papers.
  NameIndex loose(titles, 3);
  auto x = loose.Find("XNet");
  ASSERT_EQ(x.size(), 1u);
  EXPECT_EQ(x[0].rows, std::vector<int64_t>({3, 4, 5}));
}

}  // namespace
}  // namespace novelta
