#!/usr/bin/env python3
"""Soak clients for `novelta serve` (run by bench/soak.sh).

N threads on loopback, each in a loop: submit an assessment (40%), poll one
of its jobs (35%) or ask POST /v1/related (25%). Counts requests by status,
samples the server's RSS every few seconds, probes GET /readyz every 100 ms
on a connection of its own (reported as "readyz"), and at the end waits for
every accepted job to be done. Exit status 1 when a 5xx other than 503 was seen,
a request failed at the transport level, or an accepted job did not finish.
"""
import argparse
import collections
import http.client
import json
import random
import sys
import threading
import time

WORDS = ("graph transformer molecular property prediction diffusion sampler attention sparse "
         "retrieval contrastive pretraining benchmark robustness federated privacy quantization "
         "reinforcement policy gradient convolution kernel theorem bound").split()


def submission(rng, n):
    words = [rng.choice(WORDS) for _ in range(rng.randint(30, 120))]
    abstract = ("We propose a new " + " ".join(words[:8]) + " method. " + " ".join(words) +
                ". Unlike prior work, our approach is the first to combine these ideas. "
                "Experiments show 12% gains over strong baselines.")
    return {"title": "Soak paper %d %s" % (n, " ".join(words[:4])), "abstract": abstract,
            "submitted": "2025-05-15"}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_kind = collections.Counter()
        self.status = collections.Counter()
        self.transport_errors = collections.Counter()
        self.bad_5xx = []
        self.accepted = set()
        self.latency = collections.defaultdict(list)

    def record(self, kind, status, seconds, body):
        with self.lock:
            self.by_kind[kind] += 1
            self.status[status] += 1
            if len(self.latency[kind]) < 200000:
                self.latency[kind].append(seconds)
            if status >= 500 and status != 503 and len(self.bad_5xx) < 20:
                self.bad_5xx.append((kind, status, body[:300]))


def request(conn, method, path, key, body=None, ctype="application/json"):
    headers = {"Authorization": "Bearer " + key}
    if body is not None:
        headers["Content-Type"] = ctype
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.read()


def client(i, args, stats, stop, jobs_seen):
    rng = random.Random(1000 + i)
    conn = None
    my_jobs = []
    n = 0
    while not stop.is_set():
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
        roll = rng.random()
        n += 1
        t0 = time.monotonic()
        try:
            if roll < 0.40:
                kind = "submit"
                body = json.dumps(submission(rng, i * 1000000 + n))
                status, data = request(conn, "POST", "/v1/assessments", args.key, body)
                if status == 202:
                    jid = json.loads(data)["id"]
                    my_jobs.append(jid)
                    with stats.lock:
                        stats.accepted.add(jid)
            elif roll < 0.75 and my_jobs:
                kind = "poll"
                status, data = request(conn, "GET", "/v1/assessments/" + rng.choice(my_jobs), args.key)
            else:
                kind = "related"
                body = json.dumps(submission(rng, n))
                status, data = request(conn, "POST", "/v1/related?top_k=5", args.key, body)
            stats.record(kind, status, time.monotonic() - t0, data)
            if status == 503:
                time.sleep(0.05 + rng.random() * 0.1)  # back off as Retry-After asks, briefly
        except (OSError, http.client.HTTPException) as e:
            with stats.lock:
                stats.transport_errors[type(e).__name__] += 1
            try:
                conn.close()
            except OSError:
                pass
            conn = None
    if conn is not None:
        conn.close()


def readyz_probe(args, stats, stop):
    """GET /readyz every 100 ms on a kept-alive connection, as a load balancer would."""
    conn = None
    while not stop.is_set():
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        t0 = time.monotonic()
        try:
            conn.request("GET", "/readyz")
            r = conn.getresponse()
            data = r.read()
            stats.record("readyz", r.status, time.monotonic() - t0, data)
        except (OSError, http.client.HTTPException) as e:
            with stats.lock:
                stats.transport_errors["readyz " + type(e).__name__] += 1
            conn.close()
            conn = None
        time.sleep(0.1)
    if conn is not None:
        conn.close()


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--server-pid", type=int, required=True)
    ap.add_argument("--drain-seconds", type=float, default=300, help="time allowed for accepted jobs to finish")
    args = ap.parse_args()

    stats = Stats()
    stop = threading.Event()
    threads = [threading.Thread(target=client, args=(i, args, stats, stop, None), daemon=True)
               for i in range(args.clients)]
    threads.append(threading.Thread(target=readyz_probe, args=(args, stats, stop), daemon=True))
    start = time.monotonic()
    for t in threads:
        t.start()
    samples = []  # (seconds, rss KiB, requests so far)
    interval = max(1.0, min(30.0, args.seconds / 20))
    while time.monotonic() - start < args.seconds:
        time.sleep(min(interval, max(0.0, args.seconds - (time.monotonic() - start))))
        with stats.lock:
            total = sum(stats.by_kind.values())
        samples.append((time.monotonic() - start, rss_kib(args.server_pid), total))
    stop.set()
    for t in threads:
        t.join(timeout=70)
    elapsed = time.monotonic() - start

    # Every accepted job must finish.
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
    pending = set(stats.accepted)
    failed = {}
    deadline = time.monotonic() + args.drain_seconds
    while pending and time.monotonic() < deadline:
        for jid in list(pending):
            status, data = request(conn, "GET", "/v1/assessments/" + jid, args.key)
            if status != 200:
                continue
            st = json.loads(data).get("status")
            if st == "done":
                pending.discard(jid)
            elif st == "failed":
                failed[jid] = json.loads(data).get("error", "")
                pending.discard(jid)
        if pending:
            time.sleep(1)
    samples.append((time.monotonic() - start, rss_kib(args.server_pid), sum(stats.by_kind.values())))

    total = sum(stats.by_kind.values())
    print("\nsoak: %d clients, %.0f s, %d requests (%.0f/s)" % (args.clients, elapsed, total, total / elapsed))
    print("  by kind:   " + ", ".join("%s %d" % kv for kv in sorted(stats.by_kind.items())))
    print("  by status: " + ", ".join("%d: %d" % kv for kv in sorted(stats.status.items())))
    for kind, lat in sorted(stats.latency.items()):
        lat.sort()
        print("  %-8s p50 %.1f ms  p99 %.1f ms" % (kind, 1000 * lat[len(lat) // 2], 1000 * lat[int(len(lat) * 0.99)]))
    print("  transport errors: %s" % (dict(stats.transport_errors) or 0))
    print("  accepted jobs: %d, done: %d, failed: %d, unfinished after drain: %d" %
          (len(stats.accepted), len(stats.accepted) - len(pending) - len(failed), len(failed), len(pending)))
    print("\n  server RSS over time")
    print("  %8s  %10s  %10s" % ("t (s)", "RSS (MiB)", "requests"))
    for t, rss, n in samples:
        print("  %8.0f  %10s  %10d" % (t, "-" if rss is None else "%.1f" % (rss / 1024), n))
    rss_values = [r for _, r, _ in samples if r]
    if len(rss_values) >= 4:
        q = len(rss_values) // 4
        first, last = sum(rss_values[:q]) / q, sum(rss_values[-q:]) / q
        print("  RSS first quarter %.1f MiB, last quarter %.1f MiB (%+.1f%%)" %
              (first / 1024, last / 1024, 100.0 * (last - first) / first))

    ok = True
    bad_5xx = sum(c for s, c in stats.status.items() if s >= 500 and s != 503)
    if bad_5xx:
        print("FAIL: %d answers with a 5xx other than 503, e.g. %s" % (bad_5xx, stats.bad_5xx[:3]))
        ok = False
    if stats.transport_errors:
        print("FAIL: transport errors %s" % dict(stats.transport_errors))
        ok = False
    if pending or failed:
        print("FAIL: %d accepted job(s) unfinished, %d failed %s" % (len(pending), len(failed), list(failed.items())[:3]))
        ok = False
    print("soak: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
