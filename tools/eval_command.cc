// `novelta eval --dataset FILE --index DIR --out DIR`: the full pipeline on a
// dataset in the shared eval format, measured against its human reviews.
#include <algorithm>
#include <cstdio>

#include "evaluation/evaluation.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

struct EvalFlags {
  std::string dataset, index, out, train_dir;
  EvalOptions options;
};

void RunEval(const EvalFlags& f) {
  auto index = PaperIndex::Open(f.index);
  if (!index.ok()) {
    std::fprintf(stderr, "novelta eval: %s\n", index.status().message().c_str());
    ExitCode() = 1;
    return;
  }
  EvalOptions o = f.options;
  // Training data is the pool as retrieval merged it, every candidate of it.
  RetrievalOptions& ro = o.assessor.retrieve;
  if (ro.record_rerank_features) {
    ro.rerank_model = "none";
    ro.max_related = std::max(ro.max_related, ro.rerank_pool);
  }
  if (!f.train_dir.empty()) {
    o.csabstruct_test = f.train_dir + "/csabstruct/test.jsonl";
    o.ncg_test = f.train_dir + "/ncg/test.jsonl.gz";
  }
  auto result = RunEvaluation(f.dataset, std::shared_ptr<const PaperIndex>(std::move(index).value()), o);
  if (!result.ok()) {
    std::fprintf(stderr, "novelta eval: %s\n", result.status().message().c_str());
    ExitCode() = 1;
    return;
  }
  Status s = WriteEvaluation(*result, f.out);
  if (!s.ok()) {
    std::fprintf(stderr, "novelta eval: %s\n", s.message().c_str());
    ExitCode() = 1;
    return;
  }
  const Json& m = result->metrics;
  std::fprintf(stderr, "novelta eval: %s papers, %s reviews -> %s/metrics.json, %s/report.html\n",
               m["n_papers"].dump().c_str(), m["n_reviews"].dump().c_str(), f.out.c_str(),
               f.out.c_str());
}

void AddEvalCommand(CLI::App& app) {
  auto f = std::make_shared<EvalFlags>();
  f->options.assessor = AssessorOptionsFromEnv();
  auto* cmd = app.add_subcommand(
      "eval", "Run the pipeline on a labelled dataset (shared eval format) and measure its agreement "
              "with the human reviews; writes OUT/metrics.json and OUT/report.html");
  AddEngineOptions(cmd, &f->options.assessor.engine);
  cmd->add_option("--dataset", f->dataset, "Dataset, JSON Lines (plain or gzip)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--index", f->index, "Index directory")->required();
  cmd->add_option("--out", f->out, "Output directory")->required();
  cmd->add_option("--limit", f->options.limit, "Evaluate a seeded random sample of N papers (0: all)")
      ->capture_default_str();
  cmd->add_option("--seed", f->options.seed, "Seed of the sample, bootstrap and random baseline")
      ->capture_default_str();
  cmd->add_option("--threads", f->options.threads, "Worker threads")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--top-k", f->options.top_k, "Prior works retrieved per query")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  auto& ao = f->options.assessor.retrieve;
  cmd->add_option("--claim-query-weight", ao.claim_query_weight,
                  "Weight of each claim's query against the paper's")->capture_default_str();
  cmd->add_option("--context-query-weight", ao.context_query_weight,
                  "Weight of each related-work / introduction paragraph query")->capture_default_str();
  cmd->add_option("--named-query-weight", ao.named_query_weight,
                  "Weight of each paper found by a method name the submission mentions (0: off)")
      ->capture_default_str();
  cmd->add_option("--max-context-queries", ao.max_context_queries,
                  "Most paragraph queries per paper")->capture_default_str();
  cmd->add_option("--lexical-weight", ao.fusion_lexical_share, "Share of BM25 in hybrid retrieval")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  cmd->add_flag("!--dense-only", ao.hybrid, "Dense retrieval alone, no BM25 fusion");
  cmd->add_option("--max-citation-queries", ao.max_citation_queries,
                  "Most citing sentences of the method/experiment sections searched as queries (0: off)")
      ->capture_default_str();
  cmd->add_option("--citation-query-weight", ao.citation_query_weight, "Weight of each citation query")
      ->capture_default_str();
  cmd->add_flag("--dense-context-queries", ao.dense_context_queries,
                "Search related-work / introduction paragraphs in the dense index too (hybrid only)");
  cmd->add_flag("!--best-of-queries", ao.sum_over_queries,
                "Score a paper by its best query instead of the sum over queries");
  cmd->add_option("--max-related", ao.max_related, "Most papers in a report's related-work list")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--rerank-pool", ao.rerank_pool, "Candidates reranked before the related-work list is cut")
      ->check(CLI::Range(1, 1000));
  cmd->add_flag_callback("--no-rerank", [f] { f->options.assessor.retrieve.rerank_model = "none"; },
                         "List related work in retrieval order, without the trained reranker");
  cmd->add_flag("--candidates", ao.record_rerank_features,
                "Write OUT/candidates.jsonl, the training data of `novelta train-reranker`: each paper's "
                "whole related-work pool in retrieval order (no reranking) with its features");
  cmd->add_option("--train-dir", f->train_dir,
                  "Folder with csabstruct/test.jsonl and ncg/test.jsonl.gz for claim-extraction F1 "
                  "(e.g. ../shared/data/train)");
  cmd->callback([f] { RunEval(*f); });
}

}  // namespace
NOVELTA_REGISTER_COMMAND("eval", AddEvalCommand);
}  // namespace novelta::tools
