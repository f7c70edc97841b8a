// report.html of an evaluation: the headline figures beside baselines and the
// human ceiling, as tables and inline SVG charts (no external assets).
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <tuple>

#include "base/text.h"
#include "evaluation/evaluation.h"

namespace novelta {
namespace {

std::string Esc(const std::string& s) { return HtmlEscape(s); }

double D(const Json& j) { return j.is_number() ? j.get<double>() : std::nan(""); }

std::string F(double v, int digits = 3) {
  if (!std::isfinite(v)) return "–";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

struct Bar {
  std::string label;
  double value;
  double low = std::nan("");   // optional interval
  double high = std::nan("");
  std::string color = "#4a6fa5";
};

// A horizontal bar chart over [min_value, max_value].
std::string BarChart(const std::string& title, const std::vector<Bar>& bars, double min_value,
                     double max_value) {
  const int w = 560, row = 28, left = 190, top = 28;
  const int h = top + row * static_cast<int>(bars.size()) + 24;
  auto x = [&](double v) {
    double t = (std::clamp(v, min_value, max_value) - min_value) / (max_value - min_value);
    return left + t * (w - left - 60);
  };
  std::ostringstream o;
  o << "<figure><svg width='" << w << "' height='" << h << "' role='img' aria-label='" << Esc(title)
    << "'><text x='0' y='16' class='t'>" << Esc(title) << "</text>";
  o << "<line x1='" << x(0 > min_value ? 0 : min_value) << "' y1='" << top - 4 << "' x2='"
    << x(0 > min_value ? 0 : min_value) << "' y2='" << h - 20 << "' stroke='#999'/>";
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    int y = top + row * static_cast<int>(i);
    o << "<text x='0' y='" << y + 16 << "'>" << Esc(b.label) << "</text>";
    if (std::isfinite(b.value)) {
      double x0 = x(std::max(0.0, min_value)), x1 = x(b.value);
      o << "<rect x='" << std::min(x0, x1) << "' y='" << y + 4 << "' width='" << std::abs(x1 - x0)
        << "' height='16' fill='" << b.color << "'/>";
      if (std::isfinite(b.low) && std::isfinite(b.high))
        o << "<line x1='" << x(b.low) << "' y1='" << y + 12 << "' x2='" << x(b.high) << "' y2='"
          << y + 12 << "' stroke='#111' stroke-width='2'/>";
      o << "<text x='" << std::max(x0, x1) + 6 << "' y='" << y + 16 << "'>" << F(b.value) << "</text>";
    } else {
      o << "<text x='" << left << "' y='" << y + 16 << "'>n/a</text>";
    }
  }
  o << "<text x='" << left << "' y='" << h - 4 << "' class='s'>" << F(min_value, 1) << "</text>";
  o << "<text x='" << w - 90 << "' y='" << h - 4 << "' class='s'>" << F(max_value, 1) << "</text>";
  o << "</svg></figure>";
  return o.str();
}

// A confusion matrix as a heat-map table.
std::string Confusion(const std::string& title, const Json& matrix, const Json& labels) {
  if (!matrix.is_array() || matrix.empty()) return "";
  double max = 1;
  for (const auto& row : matrix)
    for (const auto& c : row) max = std::max(max, D(c));
  std::ostringstream o;
  o << "<figure><figcaption>" << Esc(title) << "</figcaption><table class='cm'><tr><th>assessment ↓ / "
       "reviewers →</th>";
  for (const auto& l : labels) o << "<th>" << Esc(l.is_string() ? l.get<std::string>() : "") << "</th>";
  o << "</tr>";
  for (size_t i = 0; i < matrix.size(); ++i) {
    o << "<tr><th>" << Esc(i < labels.size() && labels[i].is_string() ? labels[i].get<std::string>() : "")
      << "</th>";
    for (const auto& c : matrix[i]) {
      double v = D(c);
      int shade = 255 - static_cast<int>(180 * v / max);
      o << "<td style='background:rgb(" << shade << "," << shade << ",255)'>" << F(v, 0) << "</td>";
    }
    o << "</tr>";
  }
  o << "</table></figure>";
  return o.str();
}

Json Dig(const Json& j, std::initializer_list<const char*> path) {
  const Json* cur = &j;
  for (const char* key : path) {
    if (!cur->is_object() || !cur->contains(key)) return nullptr;
    cur = &(*cur)[key];
  }
  return *cur;
}

// The trust block: what a reviewer would distrust in the reports.
void TrustSection(const Json& tr, std::ostringstream& o) {
  o << "<h2>Trust</h2><p>What a reviewer would distrust in the reports (references withheld from the "
       "pipeline; \"cited\" compares with the works the paper's own references resolve to).</p><table>";
  for (auto [label, count, share] :
       {std::tuple{"boilerplate claims (availability, list lead-ins, captions, pointers, URLs)",
                   "boilerplate_claims", ""},
        std::tuple{"pairs of near-duplicate claims in one report", "near_duplicate_claim_pairs", ""},
        std::tuple{"claims with evidence", "claims_with_evidence", "share_of_claims_with_evidence"},
        std::tuple{"evidence quotes from works the paper cites", "evidence_quotes_from_cited_works",
                   "share_of_evidence_from_cited_works"},
        std::tuple{"named-method matches the paper cites", "named_matches_cited", "share_of_named_matches_cited"}}) {
    o << "<tr><th>" << label << "</th><td>" << Dig(tr, {count}).dump() << "</td><td>"
      << (std::string(share).empty() ? "" : F(D(Dig(tr, {share})))) << "</td></tr>";
  }
  o << "</table>";

}

}  // namespace

std::string RenderEvaluationHtml(const Json& m) {
  std::ostringstream o;
  o << "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>novelta evaluation</title>"
       "<style>body{font:14px/1.45 system-ui,sans-serif;max-width:980px;margin:2em auto;color:#222}"
       "svg text{font:12px system-ui,sans-serif}svg text.t{font-weight:600}svg text.s{fill:#777}"
       "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
       "text-align:right}th{background:#f4f4f4}figure{margin:1em 0}h2{margin-top:1.6em}"
       "@media print{body{margin:0}}</style></head><body>";
  o << "<h1>novelta evaluation</h1><p>" << Esc(Dig(m, {"dataset"}).is_string() ? Dig(m, {"dataset"}).get<std::string>() : "")
    << ": " << Dig(m, {"n_papers"}).dump() << " papers, " << Dig(m, {"n_reviews"}).dump()
    << " reviews; " << Dig(m, {"n_failed"}).dump() << " failed. Index "
    << Esc(Dig(m, {"index_id"}).is_string() ? Dig(m, {"index_id"}).get<std::string>().substr(0, 12) : "")
    << ".</p>";

  const Json c = Dig(m, {"conclusion"});
  auto ci = [&](const char* key, int i) {
    Json v = Dig(c, {key});
    return v.is_array() && v.size() == 2 ? D(v[i]) : std::nan("");
  };
  o << "<h2>Conclusions</h2><p>Agreement of each review's novelty conclusion with the assessment, "
       "beside one review against another review of the same paper (the human ceiling) and two "
       "baselines. Bars show 95% bootstrap intervals over papers.</p>";
  o << BarChart("Agreement per review",
                {{"novelta", D(c["agreement"]), ci("agreement_ci95", 0), ci("agreement_ci95", 1)},
                 {"human ceiling", D(c["human_agreement"]), std::nan(""), std::nan(""), "#5a9e6f"},
                 {"majority class", D(c["majority_class_agreement"]), std::nan(""), std::nan(""), "#aaa"},
                 {"uniform random", D(c["random_agreement"]), std::nan(""), std::nan(""), "#aaa"}},
                0, 1);
  o << BarChart("Cohen's kappa per review",
                {{"novelta", D(c["kappa"]), ci("kappa_ci95", 0), ci("kappa_ci95", 1)},
                 {"human ceiling", D(c["human_kappa"]), std::nan(""), std::nan(""), "#5a9e6f"},
                 {"uniform random", D(c["random_kappa"]), std::nan(""), std::nan(""), "#aaa"}},
                -0.2, 0.6);
  const Json align = Dig(m, {"alignment"});
  o << Confusion("Per paper: reviewers' majority vs assessment",
                 Dig(align, {"conclusion", "per_paper", "assessment", "confusion"}),
                 Dig(align, {"labels"}));

  const Json ns = Dig(m, {"novelty_score"});
  o << "<h2>Novelty score against originality</h2><p>Spearman of the novelty score with the "
       "reviewers' mean originality: <b>"
    << F(D(ns["spearman_vs_mean_originality"])) << "</b>; one reviewer against the mean of the others: "
    << F(D(ns["human_loo_spearman"])) << ".</p>";
  std::vector<Bar> cal;
  if (ns.contains("calibration"))
    for (const auto& b : ns["calibration"])
      cal.push_back({"score ≈ " + F(D(b["novelty_score_mean"]), 2) + " (n=" + b["n_papers"].dump() + ")",
                     D(b["originality_mean"])});
  o << BarChart("Mean originality (1-4) by novelty-score quintile", cal, 1, 4);

  const Json r = Dig(m, {"retrieval"});
  o << "<h2>Retrieval of the papers' own cited prior work</h2><p>Recall@k of the corpus papers "
       "each submission cites (dated before it), with its references withheld, over "
    << Dig(r, {"n_papers"}).dump() << " papers.</p><table><tr><th>ranking</th><th>@10</th><th>@20</th><th>@50</th></tr>";
  std::vector<Bar> r20;
  for (auto [label, key] : {std::pair{"novelta (abstract + introduction)", ""},
                            std::pair{"novelta (title + abstract)", "title_abstract"},
                            std::pair{"TF-IDF cosine (title + abstract)", "tfidf_baseline"},
                            std::pair{"BM25 (title + abstract)", "bm25_baseline"}}) {
    Json row = std::string(key).empty() ? r : Dig(r, {key});
    o << "<tr><th>" << label << "</th><td>" << F(D(Dig(row, {"recall@10"}))) << "</td><td>"
      << F(D(Dig(row, {"recall@20"}))) << "</td><td>" << F(D(Dig(row, {"recall@50"}))) << "</td></tr>";
    r20.push_back({label, D(Dig(row, {"recall@20"})), std::nan(""), std::nan(""),
                   std::string(key).find("baseline") != std::string::npos ? "#aaa" : "#4a6fa5"});
  }
  o << "</table>" << BarChart("Recall@20", r20, 0, 0.6);

  const Json rs = Dig(m, {"reasoning"});
  o << "<h2>Reasoning</h2><table><tr><th></th><th>novelta</th><th>human ceiling</th></tr>";
  for (auto [label, a, h] : {std::tuple{"prior-work overlap", "prior_work_overlap", "human_prior_work_overlap"},
                             std::tuple{"aspect F1", "aspect_f1", "human_aspect_f1"},
                             std::tuple{"rationale similarity", "rationale_similarity", "human_rationale_similarity"}})
    o << "<tr><th>" << label << "</th><td>" << F(D(Dig(rs, {a}))) << "</td><td>" << F(D(Dig(rs, {h})))
      << "</td></tr>";
  o << "</table>";
  const Json ev = Dig(m, {"evidence"});
  o << "<h2>Evidence</h2><p>Where reviewers named corpus works: the share of claims whose quoted "
       "evidence includes a work a reviewer of the paper named, by verdict and confidence. The "
       "calibration check is the confident <i>anticipated</i> claims: "
    << Dig(ev, {"with_reviewer_named_evidence"}).dump() << " of "
    << Dig(ev, {"in_papers_where_reviewers_named_works"}).dump() << ".</p>";
  auto text = [](const Json& j) { return j.is_string() ? j.get<std::string>() : std::string(); };
  std::vector<Bar> confirmed;
  const Json bands = Dig(ev, {"by_verdict_and_confidence"});
  if (bands.is_array())
    for (const auto& b : bands) {
      std::string verdict = text(Dig(b, {"verdict"}));
      if (verdict == "partially_anticipated") verdict = "partially";  // fits the label column
      confirmed.push_back({verdict + " " + text(Dig(b, {"confidence"})) + " (n=" + Dig(b, {"claims"}).dump() + ")",
                           D(Dig(b, {"share_reviewer_confirmed"}))});
    }
  confirmed.push_back({"any claim (n=" + Dig(ev, {"any_claim_with_evidence", "claims"}).dump() + ")",
                       D(Dig(ev, {"any_claim_with_evidence", "share_reviewer_confirmed"})), std::nan(""),
                       std::nan(""), "#aaa"});
  o << BarChart("Claims whose evidence a reviewer also named, by verdict and confidence", confirmed, 0, 1);

  TrustSection(Dig(m, {"trust"}), o);
  const Json cl = Dig(m, {"claims"});
  o << "<h2>Claims and timing</h2><table><tr><th>CSAbstruct test F1</th><td>" << F(D(Dig(cl, {"csabstruct_f1"})))
    << "</td></tr><tr><th>NLPContributionGraph test F1</th><td>" << F(D(Dig(cl, {"ncg_f1"})))
    << "</td></tr><tr><th>claims per paper</th><td>" << F(D(Dig(cl, {"claims_per_paper"})), 1)
    << "</td></tr><tr><th>seconds per paper (wall, all threads)</th><td>"
    << F(D(Dig(m, {"timing", "seconds_per_paper"})), 4) << "</td></tr></table>";
  o << "</body></html>\n";
  return o.str();
}

}  // namespace novelta
