// A real `novelta serve` on loopback for the OpenAPI tests, as
// tests/service_e2e_test.cc starts one: an index built from the project's tiny
// fixture corpus, a fresh state directory with one write key, a free port.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const sourceDir = fileURLToPath(new URL("../..", import.meta.url));

export interface RunningServer {
  url: string; // http://127.0.0.1:PORT, no trailing slash
  key: string; // an API key of scope write
  log: () => string; // what the server printed
  stop: () => Promise<void>;
}

// A loopback port that was free a moment ago.
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

// Builds the index and the state under `work` (emptied first) and starts the
// server; resolves once GET /healthz answers 200.
export async function startServer(binary: string, work: string): Promise<RunningServer> {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const index = join(work, "index");
  const state = join(work, "state");
  mkdirSync(state);
  const corpus = join(sourceDir, "corpora/fixtures/tiny-corpus.jsonl");
  execFileSync(binary, ["index", "build", "--quiet", "--dimensions", "24", "--vocab-size", "400",
                        "--corpus", corpus, "--out", index], { stdio: ["ignore", "ignore", "inherit"] });
  const key = execFileSync(binary, ["keys", "create", "--state", state, "--name", "client", "--scope", "write"],
                           { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  if (!key) throw new Error("novelta keys create printed no key");

  const port = await freePort();
  const logPath = join(work, "server.log");
  const logFd = openSync(logPath, "a");
  const child = spawn(binary, ["serve", "--index", index, "--state", state, "--port", String(port),
                               "--workers", "1"], {
    stdio: ["ignore", logFd, logFd],
    // The test polls quickly; the rate limiter has tests of its own.
    env: { ...process.env, NOVELTA_RATE_LIMIT_PER_SECOND: "100000", NOVELTA_RATE_LIMIT_BURST: "100000" },
  });
  const log = () => readFileSync(logPath, "utf8");
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    if (!(await exited(child, 10_000))) {
      child.kill("SIGKILL");
      await exited(child, 5_000);
    }
  };

  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`novelta serve exited at start (${child.exitCode}):\n${log()}`);
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (r.status === 200) return { url, key, log, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`novelta serve did not answer /healthz within 20 s:\n${log()}`);
}
