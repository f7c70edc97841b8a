#!/usr/bin/env python3
"""Replicas of `novelta serve` on one PostgreSQL, one of them killed with -9 on a schedule.

What it measures (bench/replicas.sh runs it; bench/README.md "Replicas" has the figures):
  1. Throughput: N title+abstract submissions of the dev set through one replica, then through two
     (one worker each), from the first request until the last job is done. The ratio is what a
     second replica adds on this machine.
  2. Chaos: `--replicas` replicas, `--submissions` submissions sent at `--rate` per second with an
     Idempotency-Key each (retried on another replica when one is down), pollers reading
     GET /v1/assessments/{id} all along, and one replica killed with -9 every `--kill-every`
     seconds and started again at once. Then, from the database:
       lost             accepted submissions that are not done (or not there at all)
       duplicates       jobs beyond one per submission (an idempotency key that failed across replicas)
       double outcomes  jobs whose outcome was recorded more than once (a trigger logs every outcome)
       takeover         for each job a killed replica held: kill -> the next replica's claim
       GET p99          latency of the pollers' answered requests
The PostgreSQL cluster is a throwaway one in a temporary directory (as root it runs as "nobody").
"""
import argparse
import gzip
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

TRIGGERS = """
CREATE TABLE bench_claims(id TEXT, attempts INT, owner TEXT, at_us BIGINT);
CREATE TABLE bench_outcomes(id TEXT, status TEXT, attempts INT, owner TEXT, at_us BIGINT);
CREATE FUNCTION bench_log() RETURNS trigger AS $$
BEGIN
  IF NEW.status = 'running' AND NEW.attempts <> OLD.attempts THEN
    INSERT INTO bench_claims VALUES (NEW.id, NEW.attempts, NEW.lease_owner, NEW.started_us);
  END IF;
  IF NEW.status IN ('done', 'failed') AND OLD.status <> NEW.status THEN
    INSERT INTO bench_outcomes VALUES (NEW.id, NEW.status, NEW.attempts, OLD.lease_owner, NEW.finished_us);
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER bench_log AFTER UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION bench_log();
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster on loopback."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="novelta-replicas-pg-")
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        if not os.path.exists(os.path.join(bindir, "initdb")):
            bindir = sorted(p for p in (f"/usr/lib/postgresql/{v}/bin" for v in range(20, 12, -1))
                            if os.path.exists(p + "/initdb"))[-1]
        self.bindir = bindir
        self.user = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "nobody", "nogroup")
            self.user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
        self.port = free_port()
        self.run("initdb", "-D", f"{self.dir}/data", "-U", "novelta", "-A", "trust", "-E", "UTF8", "--no-sync")
        self.run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/pg.log", "-w", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=300", "start")
        self.psql("CREATE DATABASE novelta", db="postgres")

    def run(self, prog, *args):
        subprocess.run(self.user + [os.path.join(self.bindir, prog), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def uri(self, db="novelta"):
        return f"postgresql://novelta@127.0.0.1:{self.port}/{db}"

    def psql(self, sql, db="novelta"):
        out = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-F", "\t", "-v", "ON_ERROR_STOP=1", self.uri(db),
                              "-c", sql], capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"psql: {out.stderr.strip()}")
        return [line.split("\t") for line in out.stdout.splitlines() if line]

    def close(self):
        try:
            self.run("pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class Replica:
    def __init__(self, args, uri, name, workdir):
        self.args, self.uri, self.name, self.workdir = args, uri, name, workdir
        self.proc, self.port, self.replica_id = None, None, None
        self.starts = 0
        self.ready = False  # answered /readyz since its last start

    def start(self):
        self.ready = False
        self.port = free_port()
        self.starts += 1
        env = dict(os.environ, NOVELTA_RATE_LIMIT_PER_SECOND="1000000", NOVELTA_RATE_LIMIT_BURST="1000000",
                   NOVELTA_MAX_QUEUE="100000", NOVELTA_LEASE_SECONDS=str(self.args.lease),
                   NOVELTA_LOG_LEVEL="warn", NOVELTA_MAX_CONNECTIONS_PER_ADDRESS="1024")
        log = open(os.path.join(self.workdir, f"{self.name}.{self.starts}.log"), "w")
        self.proc = subprocess.Popen([self.args.binary, "serve", "--index", self.args.index, "--state", self.uri,
                                      "--port", str(self.port), "--workers", str(self.args.workers)],
                                     stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 300
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {log.name}")
            status, body, _ = request(self.port, "GET", "/readyz")
            if status == 200:
                self.replica_id = json.loads(body)["replica"]
                self.ready = True
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after 300 s")

    def kill(self):
        self.ready = False
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def up(self):
        return self.ready and self.proc is not None and self.proc.poll() is None


def request(port, method, path, body=None, headers=None, timeout=30):
    """(status, body, seconds); status 0 when the connection failed."""
    t0 = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, data, time.perf_counter() - t0
    except (OSError, http.client.HTTPException):
        return 0, b"", time.perf_counter() - t0


def load_submissions(dev, n, offset=0, fulltext=True):
    """Dev papers as submissions: title, abstract, date, and the full text when `fulltext`
    (then only papers that have one)."""
    subs = []
    with gzip.open(dev, "rt", encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            if not (p.get("title") and p.get("abstract")) or (fulltext and not p.get("fulltext")):
                continue
            sub = {"title": p["title"], "abstract": p["abstract"],
                   "submitted": p.get("submitted") or "2025-05-15", "external_id": p["id"]}
            if fulltext:
                sub["fulltext"] = p["fulltext"]
            subs.append(sub)
            if len(subs) >= n + offset:
                break
    if len(subs) < n + offset:
        raise RuntimeError(f"the dev set has {len(subs)} such papers, {n + offset} asked for")
    return subs[offset:]


def settled(cluster):
    rows = cluster.psql("SELECT count(*) FILTER (WHERE status IN ('done','failed')), count(*) FROM jobs")
    return int(rows[0][0]), int(rows[0][1])


def throughput(cluster, replicas, subs, auth):
    """Submissions per second through `replicas`, batches spread over them: from the first
    request until the last job finished (its finished_us in the database)."""
    t0_us = int(time.time() * 1e6)
    for i in range(0, len(subs), 50):
        r = replicas[(i // 50) % len(replicas)]
        status, body, _ = request(r.port, "POST", "/v1/assessments:batch",
                                  json.dumps({"submissions": subs[i:i + 50]}), auth)
        if status != 202:
            raise RuntimeError(f"batch refused: {status} {body[:200]}")
    while True:
        rows = cluster.psql("SELECT count(*), max(finished_us) FROM jobs WHERE status IN ('done','failed') "
                            f"AND created_us >= {t0_us}")
        if int(rows[0][0]) >= len(subs):
            return len(subs) / ((int(rows[0][1]) - t0_us) / 1e6)
        time.sleep(0.5)


class Chaos:
    """Submitters, pollers and the killer, sharing what was accepted and measured."""

    def __init__(self, args, replicas, subs, auth):
        self.args, self.replicas, self.subs, self.auth = args, replicas, subs, auth
        self.lock = threading.Lock()
        self.accepted = {}          # submission index -> job id
        self.id_mismatch = 0        # a retried key answered with another id
        self.retries = 0            # submissions sent again (a replica down, a 5xx)
        self.get_latencies = []     # seconds, answered GETs (200)
        self.get_failed = 0         # GETs that reached a dead replica (connection refused) or 5xx
        self.kills = []             # (wall-clock us, replica id of the killed process, name)
        self.done = threading.Event()

    def live(self):
        return [r for r in self.replicas if r.up()]

    def submit_all(self):
        interval = 1.0 / self.args.rate
        t0 = time.time()
        for i, sub in enumerate(self.subs):
            time.sleep(max(0.0, t0 + i * interval - time.time()))
            headers = dict(self.auth, **{"Idempotency-Key": f"replicas-bench-{i}"})
            attempt = 0
            while True:
                live = self.live() or self.replicas
                r = live[(i + attempt) % len(live)]
                status, body, _ = request(r.port, "POST", "/v1/assessments", json.dumps(sub), headers)
                if status in (200, 202):
                    job_id = json.loads(body)["id"]
                    with self.lock:
                        if i in self.accepted and self.accepted[i] != job_id:
                            self.id_mismatch += 1
                        self.accepted[i] = job_id
                    break
                attempt += 1
                with self.lock:
                    self.retries += 1
                time.sleep(0.2)

    def poll(self, seed):
        rng = random.Random(seed)
        while not self.done.is_set():
            with self.lock:
                ids = list(self.accepted.values())
            live = self.live()
            if not ids or not live:
                time.sleep(0.05)
                continue
            r = rng.choice(live)
            status, _, seconds = request(r.port, "GET", f"/v1/assessments/{rng.choice(ids)}", None, self.auth)
            with self.lock:
                if status == 200:
                    self.get_latencies.append(seconds)
                else:
                    self.get_failed += 1
            time.sleep(0.02)

    def busy_replica(self, cluster, turn):
        """The first replica from `turn` on that holds a running job (waiting up to 2 s for one),
        else the replica whose turn it is."""
        order = self.replicas[turn:] + self.replicas[:turn]
        deadline = time.time() + 2
        while time.time() < deadline:
            owners = {row[0] for row in cluster.psql("SELECT lease_owner FROM jobs WHERE status='running'")}
            busy = [r for r in order if r.up() and r.replica_id in owners]
            if busy:
                return busy[0]
            time.sleep(0.05)
        return order[0]

    def kill_loop(self, cluster):
        k = 0
        while not self.done.wait(self.args.kill_every):
            # The replicas take turns, but a kill goes to one running a job when there is one, so
            # that every kill leaves a job behind to take over.
            victim = self.busy_replica(cluster, k % len(self.replicas))
            k += 1
            with self.lock:
                self.kills.append((int(time.time() * 1e6), victim.replica_id, victim.name))
            victim.kill()
            victim.start()


def audit(cluster, chaos, lease):
    """The chaos phase's figures, from the database and the clients."""
    ids = set(chaos.accepted.values())
    rows = cluster.psql("SELECT id, status, attempts FROM jobs WHERE created_us >= "
                        f"{chaos.t0_us}")
    status = {r[0]: r[1] for r in rows}
    lost = sum(1 for i in ids if status.get(i) != "done")
    failed = sum(1 for i in ids if status.get(i) == "failed")
    duplicates = len(status) - len(ids)
    double = cluster.psql("SELECT count(*) FROM (SELECT id FROM bench_outcomes GROUP BY id HAVING count(*) > 1) d")
    claims = cluster.psql("SELECT id, attempts, owner, at_us FROM bench_claims ORDER BY at_us")
    outcomes = {(r[0], int(r[2])) for r in cluster.psql("SELECT id, status, attempts FROM bench_outcomes")}
    by_job = {}
    for job, attempts, owner, at in claims:
        by_job.setdefault(job, []).append((int(attempts), owner, int(at)))
    takeovers = []
    for kill_us, victim, _ in chaos.kills:
        for job, seq in by_job.items():
            for attempts, owner, at in seq:
                if owner != victim or at > kill_us or (job, attempts) in outcomes:
                    continue
                nxt = [a for (n, _, a) in seq if n == attempts + 1]
                takeovers.append((nxt[0] - kill_us) / 1e6 if nxt else float("inf"))
    lat = sorted(chaos.get_latencies)
    pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else float("nan")
    reruns = sum(1 for r in rows if int(r[2]) > 1)
    return {
        "submissions": len(chaos.subs), "accepted": len(ids), "lost": lost, "failed": failed,
        "duplicates": duplicates, "id_mismatch": chaos.id_mismatch, "double_outcomes": int(double[0][0]),
        "kills": len(chaos.kills), "jobs_taken_over": len(takeovers), "jobs_run_again": reruns,
        "takeover_max_s": max(takeovers) if takeovers else None,
        "takeover_mean_s": sum(takeovers) / len(takeovers) if takeovers else None,
        "takeover_limit_s": lease + 5, "submit_retries": chaos.retries,
        "get_answered": len(lat), "get_failed": chaos.get_failed,
        "get_p50_ms": pct(0.50), "get_p99_ms": pct(0.99), "get_max_ms": lat[-1] * 1000 if lat else None,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default="build/novelta")
    ap.add_argument("--index", default=os.path.join(os.environ.get("NOVELTA_BENCH_WORK", "/tmp/novelta-bench"),
                                                    "index"))
    ap.add_argument("--dev", default="../shared/data/eval/neurips2025-dev.jsonl.gz")
    ap.add_argument("--replicas", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1, help="workers per replica")
    ap.add_argument("--submissions", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=10.0, help="submissions per second in the chaos phase")
    ap.add_argument("--kill-every", type=float, default=20.0)
    ap.add_argument("--lease", type=float, default=10.0, help="lease_seconds of every replica")
    ap.add_argument("--throughput-jobs", type=int, default=400, help="0 skips the throughput phase")
    ap.add_argument("--pollers", type=int, default=4)
    ap.add_argument("--abstracts-only", action="store_true", help="submit title and abstract, not the full text")
    ap.add_argument("--out", default="", help="write the figures here as JSON")
    args = ap.parse_args()

    workdir = tempfile.mkdtemp(prefix="novelta-replicas-")
    cluster = Cluster()
    replicas = [Replica(args, cluster.uri(), f"replica{i}", workdir) for i in range(args.replicas)]
    result = {"cores": os.cpu_count(), "lease_seconds": args.lease, "kill_every_s": args.kill_every,
              "replicas": args.replicas, "workers_per_replica": args.workers}
    try:
        key = subprocess.run([args.binary, "keys", "create", "--state", cluster.uri(), "--name", "bench",
                              "--scope", "admin"], capture_output=True, text=True, check=True).stdout.strip()
        auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        replicas[0].start()
        cluster.psql(TRIGGERS)
        if args.throughput_jobs > 0:
            subs = load_submissions(args.dev, 2 * args.throughput_jobs, offset=args.submissions,
                                    fulltext=not args.abstracts_only)
            one = throughput(cluster, replicas[:1], subs[:args.throughput_jobs], auth)
            replicas[1].start()
            two = throughput(cluster, replicas[:2], subs[args.throughput_jobs:], auth)
            result.update({"throughput_one_per_s": one, "throughput_two_per_s": two, "throughput_ratio": two / one})
            print(f"throughput: one replica {one:.1f}/s, two {two:.1f}/s, ratio {two / one:.2f}", flush=True)
        for r in replicas:
            if not r.up():
                r.start()
        chaos = Chaos(args, replicas, load_submissions(args.dev, args.submissions, fulltext=not args.abstracts_only),
                      auth)
        chaos.t0_us = int(time.time() * 1e6)
        threads = [threading.Thread(target=chaos.poll, args=(s,), daemon=True) for s in range(args.pollers)]
        killer = threading.Thread(target=chaos.kill_loop, args=(cluster,), daemon=True)
        for t in threads + [killer]:
            t.start()
        chaos.submit_all()
        print(f"chaos: {len(chaos.accepted)} submissions accepted, {len(chaos.kills)} kills so far", flush=True)
        deadline = time.time() + 600
        while time.time() < deadline:
            ids = list(chaos.accepted.values())
            rows = cluster.psql("SELECT count(*) FROM jobs WHERE status IN ('done','failed') AND created_us >= "
                                f"{chaos.t0_us}")
            if int(rows[0][0]) >= len(ids):
                break
            time.sleep(0.5)
        chaos.done.set()
        killer.join()
        for t in threads:
            t.join()
        result.update(audit(cluster, chaos, args.lease))
        result["elapsed_s"] = (time.time() * 1e6 - chaos.t0_us) / 1e6
    finally:
        for r in replicas:
            r.stop()
        cluster.close()
    print(json.dumps(result, indent=2))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
    ok = (result.get("lost") == 0 and result.get("duplicates") == 0 and result.get("double_outcomes") == 0
          and result.get("id_mismatch") == 0
          and (result.get("takeover_max_s") is None or result["takeover_max_s"] <= args.lease + 5))
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
