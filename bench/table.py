#!/usr/bin/python3
"""Prints the benchmark table (Markdown) from the results directory bench/run.sh fills."""
import json
import os
import platform
import sys


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        lines = [json.loads(l) for l in f if l.strip()]
    return lines if path.endswith(".jsonl") else lines[0]


def machine():
    model, cores = "?", os.cpu_count()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem = 0
    return f"{model}, {cores} cores, {mem / 2**20:.0f} GiB RAM, {platform.system()} {platform.release()}"


def main():
    d = sys.argv[1]
    rows = []
    b = load(f"{d}/index_build.json")
    if b:
        rows.append(("1. index build, %d papers (%s)" % (b["papers"], b["index_type"]),
                     "%.1f s, peak RSS %.0f MiB" % (b["seconds"], b["peak_rss_mib"]), "< 60 s"))
    a = load(f"{d}/assess_latency.json")
    if a:
        rows.append(("2. one assessment, 1 thread (%d papers)" % a["papers"],
                     "median %.1f ms, p99 %.1f ms" % (a["median_ms"], a["p99_ms"]), "median < 50 ms"))
    c = load(f"{d}/assess_batch.json")
    if c:
        rows.append(("3. batch, %d papers, %d workers" % (c["papers"], c["workers"]),
                     "%.1f s (%.1f papers/s)%s" % (
                         c["seconds"], c["papers_per_second"],
                         "; stopped early, all 4,454 projected at %.0f s" % c["projected_seconds_all_4454"]
                         if c.get("stopped_early") else ""), "< 180 s for 4,454"))
    r = load(f"{d}/retrieval.jsonl")
    if r:
        # Each baseline's line gives every novelta system's q/s and recall
        # beside it: the word index alone (row ids, the same output as the
        # baselines), the retriever reading the papers, and the hybrid
        # retriever stage 2 uses by default.
        ours = [x for x in r if x["system"].startswith("novelta")]
        for x in r:
            ratio = ""
            if not x["system"].startswith("novelta") and x["queries_per_second"] > 0:
                ratio = " — " + "; ".join(
                    "%s %.1fx the q/s, recall %+.3f" % (
                        o["system"], o["queries_per_second"] / x["queries_per_second"],
                        o["recall_at_k"] - x["recall_at_k"]) for o in ours)
            rows.append(("4. retrieval, %s (%d queries, %d cited papers)" % (x["system"], x["queries"], x["gold_pairs"]),
                         "%.0f q/s, recall@%d %.3f%s" % (x["queries_per_second"], x["k"], x["recall_at_k"], ratio),
                         ">= 10x sklearn q/s, recall >= sklearn"))
    rounds = load(f"{d}/retrieval-rounds.jsonl")
    if rounds:
        ratios = sorted(x["ratio"] for x in rounds)
        rows.append(("4. retrieval, %s vs %s in %d alternating rounds" % (
                         rounds[0]["system"], rounds[0]["baseline"], len(rounds)),
                     "ratios %s (lowest %.1fx, median %.1fx)" % (
                         ", ".join("%.1fx" % x["ratio"] for x in rounds), ratios[0],
                         ratios[len(ratios) // 2]),
                     ">= 10x sklearn q/s"))
    if os.path.exists(f"{d}/rest.json"):
        x = load(f"{d}/rest.json")
        rows.append(("5. REST POST /v1/related", json.dumps(x), ""))
    s = load(f"{d}/scale.jsonl")
    for x in s or []:
        rows.append(("6. scale, %d papers (%s)" % (x["n"], x["type"]),
                     "embed %.0f s + index %.0f s; disk %.0f B/paper; memory %.0f B/paper; "
                     "query median %.2f ms, p99 %.2f ms; recall@10 %.3f" % (
                         x["embed_seconds"], x["index_build_seconds"], x["disk_bytes_per_paper"],
                         x["memory_bytes_per_paper"], x["query_ms_median"], x["query_ms_p99"],
                         x["recall_at_10"]),
                     "< 1 KiB/paper, < 20 ms, recall >= 0.95"))
    print("Machine: " + machine())
    print()
    print("| benchmark | result | target |")
    print("| --- | --- | --- |")
    for row in rows:
        print("| %s | %s | %s |" % row)


if __name__ == "__main__":
    main()
