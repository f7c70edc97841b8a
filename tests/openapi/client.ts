// A client generated from novelta's OpenAPI document (openapi-typescript types,
// openapi-fetch calls), against a real `novelta serve` (run.ts starts it and
// passes NOVELTA_URL and NOVELTA_KEY). It submits an assessment, polls it to
// the end, checks the report through its generated types, reads the report as
// Markdown, and is refused with typed problems. run.ts type-checks this file
// (tsc, strict) before running it: the @ts-expect-error lines below fail the
// check if the report's fields lose their types.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import createClient from "openapi-fetch";
import type { components, paths } from "novelta-api";

type Schemas = components["schemas"];
type Report = Schemas["NoveltyReport"];
type Claim = Report["claims"][number];
type Problem = Schemas["Problem"];

// True only for `any`: a report typed as `any` would let every check below pass unchecked.
type IsAny<T> = 0 extends 1 & T ? true : false;
const reportIsTyped: IsAny<Report> extends false ? true : never = true;
const claimIsTyped: IsAny<Claim> extends false ? true : never = true;

const baseUrl = process.env.NOVELTA_URL;
const key = process.env.NOVELTA_KEY;
if (!baseUrl || !key) throw new Error("NOVELTA_URL and NOVELTA_KEY must be set (run.ts sets them)");

const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` } });

const submission = {
  title: "Pairwise Normalization Against Oversmoothing",
  abstract:
    "Deep graph neural networks lose accuracy as they grow deeper. We propose a normalization layer that keeps " +
    "pairwise distances between node features constant across layers. We show that it improves node " +
    "classification accuracy on citation networks and outperforms prior methods for graph neural networks.",
  submitted: "2022-06-01",
  external_id: "openapi-client-1",
} satisfies Schemas["Submission"];

// Submit, then poll until the assessment is done.
async function assess(): Promise<{ id: string; report: Report }> {
  const accepted = await api.POST("/v1/assessments", { body: submission });
  assert.equal(accepted.response.status, 202, JSON.stringify(accepted.error));
  assert.ok(accepted.data, "202 without a body");
  const id = accepted.data.id;
  assert.equal(accepted.response.headers.get("location"), `/v1/assessments/${id}`);

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { data, error, response } = await api.GET("/v1/assessments/{id}", { params: { path: { id } } });
    assert.equal(response.status, 200, JSON.stringify(error));
    assert.ok(data);
    assert.equal(data.id, id);
    assert.notEqual(data.status, "failed", `the assessment failed: ${data.error}`);
    if (data.status === "done") {
      assert.equal(data.progress?.stage, "done");
      assert.ok(data.report, "a done assessment carries its report");
      assert.equal(data.links.report_md, `/v1/assessments/${id}/report.md`);
      return { id, report: data.report };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`assessment ${id} did not finish within 60 s`);
}

function checkClaim(claim: Claim, report: Report): void {
  const verdicts: readonly Claim["verdict"][] = ["novel", "partially_anticipated", "anticipated"];
  assert.ok(verdicts.includes(claim.verdict), claim.verdict);
  assert.match(claim.id, /^c[0-9]+$/);
  assert.ok(claim.confidence >= 0 && claim.confidence <= 1, String(claim.confidence));
  // The claim is exactly the bytes of the submission under its span.
  if (claim.span.field === "abstract") {
    const bytes = Buffer.from(submission.abstract, "utf8").subarray(claim.span.start, claim.span.end);
    assert.equal(bytes.toString("utf8"), claim.text);
  }
  const related = new Set(report.related_work.map((w) => w.id));
  for (const e of claim.evidence) {
    assert.ok(related.has(e.prior_id), `evidence from ${e.prior_id}, which related_work does not list`);
    assert.ok(e.quote.length > 0 && e.quote_end > e.quote_start);
  }
  // @ts-expect-error a verdict is one of three words, not any string
  const notAVerdict: "maybe" = claim.verdict;
  void notAVerdict;
}

function checkReport(report: Report): void {
  assert.equal(report.schema_version, "1.0");
  assert.equal(report.submission.title, submission.title);
  assert.equal(report.submission.id, submission.external_id);
  assert.equal(report.cutoff, submission.submitted);
  assert.ok(report.claims.length > 0, "no claims extracted");
  for (const claim of report.claims) checkClaim(claim, report);
  assert.ok(report.related_work.length > 0, "no related work found");
  for (const work of report.related_work) {
    assert.equal(typeof work.cited, "boolean");
    assert.ok(work.year <= 2022, `${work.id} (${work.year}) is not dated before the submission`);
    assert.ok(work.title.length > 0);
  }
  const conclusions: readonly Report["conclusion"][] = ["novel", "incremental", "not_novel"];
  assert.ok(conclusions.includes(report.conclusion), report.conclusion);
  assert.ok(report.novelty_score >= 0 && report.novelty_score <= 1, String(report.novelty_score));
  const claimIds = new Set(report.claims.map((c) => c.id));
  assert.ok(report.reasoning_sentences.length > 0);
  for (const s of report.reasoning_sentences) {
    for (const c of s.claim_ids) assert.ok(claimIds.has(c), `reasoning names unknown claim ${c}`);
  }
  // @ts-expect-error novelty_score is a number
  const notAScore: string = report.novelty_score;
  void notAScore;
}

async function checkMarkdownAndList(id: string, report: Report): Promise<void> {
  const md = await api.GET("/v1/assessments/{id}/report.md", { params: { path: { id } }, parseAs: "text" });
  assert.equal(md.response.status, 200);
  assert.match(md.response.headers.get("content-type") ?? "", /^text\/markdown/);
  assert.ok(md.data?.includes(report.submission.title), "the Markdown report names the submission");

  const list = await api.GET("/v1/assessments", { params: { query: { status: "done", limit: 10 } } });
  assert.equal(list.response.status, 200);
  assert.ok(list.data?.items.some((job) => job.id === id), "the list holds the assessment");
  const cursor: string | null | undefined = list.data?.next_cursor;
  assert.equal(cursor, null);
}

// Refusals come back as typed problem details.
async function checkProblems(): Promise<void> {
  const missing = await api.GET("/v1/assessments/{id}", { params: { path: { id: "no-such-assessment" } } });
  assert.equal(missing.data, undefined);
  assert.ok(missing.error, "404 without a problem");
  const problem: Problem = missing.error;
  assert.equal(missing.response.status, 404);
  assert.equal(missing.response.headers.get("content-type"), "application/problem+json");
  assert.equal(problem.status, 404);
  assert.equal(problem.type, "urn:novelta:problem:not-found");
  assert.match(problem.detail, /no-such-assessment/);
  assert.equal(problem.request_id, missing.response.headers.get("x-request-id"));

  const anonymous = createClient<paths>({ baseUrl });
  const refused = await anonymous.GET("/v1/assessments", {});
  assert.equal(refused.response.status, 401);
  assert.match(refused.response.headers.get("www-authenticate") ?? "", /^Bearer/);
  const unauthenticated: Problem | undefined = refused.error;
  assert.equal(unauthenticated?.type, "urn:novelta:problem:unauthenticated");
}

const { id, report } = await assess();
checkReport(report);
await checkMarkdownAndList(id, report);
await checkProblems();
console.log(
  `client: assessment ${id} done: ${report.claims.length} claim(s) ` +
    `(${report.claims.map((c) => `${c.id} ${c.verdict}`).join(", ")}), ` +
    `${report.related_work.length} related work(s), conclusion ${report.conclusion}, ` +
    `novelty ${report.novelty_score.toFixed(2)} (types: report ${reportIsTyped}, claim ${claimIsTyped})`,
);
