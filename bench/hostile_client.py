#!/usr/bin/env python3
"""Hostile-client probes against a running `novelta serve` (run by bench/hostile.sh).

Each probe is bounded in time, talks to 127.0.0.1 only, and prints one line:
what was tried, what the server did, the target, and PASS or FAIL. Exit
status 1 when a probe misses its target.

Probes: slow bodies vs /readyz, a 10^12-byte Content-Length streaming 300 MiB,
a header that never ends, 20 pipelined requests, TRACE with secrets, log
forging, PDF deflate bombs vs /readyz, idle connections, connections per
address, strict parsing, and wrong keys.
"""
import argparse
import os
import select
import socket
import sys
import threading
import time
import zlib

RESULTS = []


def report(name, detail, ok, target):
    RESULTS.append(ok)
    print("%-4s %-34s %s  [target: %s]" % ("PASS" if ok else "FAIL", name, detail, target), flush=True)


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


class RssWatch:
    """Samples the server's RSS every 50 ms; .peak is the highest seen."""

    def __init__(self, pid):
        self.pid, self.base, self.peak = pid, rss_mib(pid), rss_mib(pid)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mib(self.pid))
            time.sleep(0.05)

    def done(self):
        self.stop.set()
        self.thread.join()
        return self.peak - self.base


def connect(port, timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def status_of(data):
    if data.startswith(b"HTTP/1.") and len(data) >= 12:
        return int(data[9:12])
    return 0


def read_all(s, seconds):
    """What the server sends within `seconds`, until it closes."""
    s.settimeout(0.2)
    out = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    return out


def once(port, raw, seconds=10):
    s = connect(port)
    try:
        s.sendall(raw)
        return read_all(s, seconds)
    finally:
        s.close()


def count_answers(data):
    """Answers in a byte stream, framed by Content-Length."""
    n, pos = 0, 0
    while True:
        end = data.find(b"\r\n\r\n", pos)
        if end < 0 or not data.startswith(b"HTTP/1.", pos):
            return n
        length = 0
        for line in data[pos:end].split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if len(data) < end + 4 + length:
            return n
        n += 1
        pos = end + 4 + length


class ReadyzProbe:
    """GET /readyz every 50 ms on a fresh connection; latencies in seconds (timeouts count as 5 s)."""

    def __init__(self, port):
        self.port, self.lat, self.bad = port, [], 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            t0 = time.monotonic()
            try:
                data = once(self.port, b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 5)
                if status_of(data) != 200:
                    self.bad += 1
            except OSError:
                self.bad += 1
            self.lat.append(min(5.0, time.monotonic() - t0))
            time.sleep(0.05)

    def done(self):
        self.stop.set()
        self.thread.join()
        lat = sorted(self.lat)
        p = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))] * 1000
        return len(lat), p(0.5), p(0.99), lat[-1] * 1000, self.bad


def probe_slow_bodies(args):
    conns = []
    for _ in range(16):
        s = connect(args.port)
        s.sendall(b"POST /v1/assessments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100000\r\n\r\n{")
        conns.append(s)
    probe = ReadyzProbe(args.port)
    end = time.monotonic() + args.slow_seconds
    while time.monotonic() < end:
        for s in conns:
            try:
                s.send(b" ")
            except OSError:
                pass
        time.sleep(0.5)
    n, p50, p99, worst, bad = probe.done()
    for s in conns:
        s.close()
    report("16 slow-body connections", "/readyz n=%d p50 %.1f ms p99 %.1f ms max %.1f ms, %d failed"
           % (n, p50, p99, worst, bad), p99 < 1000 and bad == 0, "p99 < 1 s")


def stream_until_answer(port, head, total, chunk=1 << 20):
    """Sends `head` then up to `total` bytes, reading answers as it goes; (status, bytes sent, seconds)."""
    s = connect(port)
    s.setblocking(False)
    t0, sent, data = time.monotonic(), 0, b""
    buf = head + b"x" * chunk
    view = memoryview(buf)
    pos = 0
    while sent < total + len(head) and time.monotonic() - t0 < 120:
        r, w, _ = select.select([s], [s], [], 1.0)
        if r:
            try:
                got = s.recv(65536)
            except OSError:
                break
            if not got:
                break
            data += got
        if w:
            try:
                n = s.send(view[pos:])
            except (BlockingIOError, InterruptedError):
                n = 0
            except OSError:
                break
            sent += n
            pos += n
            if pos >= len(buf):
                buf = b"x" * chunk
                view, pos = memoryview(buf), 0
    s.setblocking(True)
    data += read_all(s, 2)
    s.close()
    return status_of(data), sent, time.monotonic() - t0


def probe_huge_body(args):
    head = (b"POST /v1/assessments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000000000000\r\n\r\n")
    watch = RssWatch(args.pid)
    status, sent, secs = stream_until_answer(args.port, head, 300 << 20)
    grew = watch.done()
    report("Content-Length 10^12, 300 MiB", "answered %d after %.1f MiB sent in %.1f s; RSS +%.1f MiB"
           % (status, sent / 1048576.0, secs, grew), 400 <= status < 500 and grew < 64, "4xx, < 64 MiB")
    results = [None] * 4
    watch = RssWatch(args.pid)

    def one(i):
        results[i] = stream_until_answer(args.port, head, 300 << 20)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    grew = watch.done()
    statuses = [r[0] for r in results]
    report("the same, 4 in parallel", "answered %s; RSS +%.1f MiB" % (statuses, grew),
           all(400 <= s < 500 for s in statuses) and grew < 64, "4xx, < 64 MiB")


def probe_endless_header(args):
    head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Endless: "
    watch = RssWatch(args.pid)
    status, sent, secs = stream_until_answer(args.port, head, 200 << 20)
    grew = watch.done()
    report("a 200 MB header that never ends", "answered %d after %.1f MiB sent; RSS +%.1f MiB"
           % (status, sent / 1048576.0, grew), status == 431 and grew < 64, "431, < 64 MiB")


def probe_pipelining(args):
    req = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    data = once(args.port, req * 19 + req.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"), 10)
    n = count_answers(data)
    report("20 pipelined GET /healthz", "%d answers" % n, n == 20, "20 answers")


def probe_trace(args):
    secret = b"c00kie-" + os.urandom(4).hex().encode()
    data = once(args.port, b"TRACE /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer "
                + args.key.encode() + b"\r\nCookie: s=" + secret + b"\r\n\r\n")
    echoed = secret in data or args.key.encode() in data
    report("TRACE with key and cookie", "answered %d, %s" % (status_of(data), "ECHOED" if echoed else "nothing echoed"),
           not echoed and status_of(data) == 405, "no header echoed")


def probe_log_forging(args):
    marker = "FORGED" + os.urandom(4).hex()
    once(args.port, ("GET /x%0D%0Aaccess%20" + marker + "%20%22GET%20/admin%22%20200 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Connection: close\r\n\r\n").encode())
    once(args.port, ("GET%0Aaccess " + marker + " /y HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").encode())
    time.sleep(0.3)
    with open(args.log, errors="replace") as f:
        lines = f.read().splitlines()
    forged = [l for l in lines if l.lstrip().startswith("access " + marker) or l.lstrip().startswith(marker)]
    seen = sum(marker in l for l in lines)
    report("CR/LF in the path and method", "%d log lines name the marker, %d start a forged line" % (seen, len(forged)),
           not forged and seen >= 1, "no forged line")


def bomb_pdf(compressed_bytes):
    """A one-page PDF whose content stream inflates about 1000-fold into drawing operators."""
    ops = b"q 1 0 0 1 0 0 cm 0 0 m 1 1 l S Q\n"
    body = zlib.compressobj(9)
    stream = b""
    block = ops * 32768
    while len(stream) < compressed_bytes:
        stream += body.compress(block)
    stream += body.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def probe_pdf_bombs(args):
    pdf = bomb_pdf(int(args.bomb_mib * (1 << 20)))
    head = ("POST /v1/claims HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/pdf\r\n"
            "Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n" % (args.key, len(pdf))).encode()
    answers = [None] * 8

    def one(i):
        t0 = time.monotonic()
        try:
            data = once(args.port, head + pdf, 150)
            answers[i] = (status_of(data), time.monotonic() - t0)
        except OSError as e:
            answers[i] = (0, time.monotonic() - t0)

    probe = ReadyzProbe(args.port)
    threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    n, p50, p99, worst, bad = probe.done()
    codes = sorted(a[0] for a in answers)
    report("8 parallel PDF bombs (%.1f MiB)" % (len(pdf) / 1048576.0),
           "answers %s within %.0f s; /readyz n=%d p50 %.1f ms p99 %.1f ms, %d failed"
           % (codes, max(a[1] for a in answers), n, p50, p99, bad),
           p99 < 1000 and bad == 0 and all(c in (200, 400, 413, 503) for c in codes), "/readyz p99 < 1 s")


def closed_by_server(s, seconds):
    """True when the server closes `s` within `seconds` (whatever it sends first)."""
    s.settimeout(0.2)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if not s.recv(65536):
                return True
        except socket.timeout:
            continue
        except OSError:
            return True
    return False


def probe_idle(args):
    conns = [connect(args.port) for _ in range(50)]
    t0 = time.monotonic()
    budget = args.header_timeout + 3
    closed = sum(closed_by_server(s, max(0.0, budget - (time.monotonic() - t0))) for s in conns)
    secs = time.monotonic() - t0
    for s in conns:
        s.close()
    report("50 connections that send nothing", "%d closed by the server within %.1f s" % (closed, secs),
           closed == 50, "closed by header_timeout + 3 s")


def probe_per_address(args):
    conns, statuses = [], []
    for _ in range(args.per_address + 20):
        s = connect(args.port)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        conns.append(s)
    for s in conns:
        s.settimeout(5)
        try:
            statuses.append(status_of(s.recv(4096)))
        except OSError:
            statuses.append(0)
    for s in conns:
        s.close()
    ok200, refused = statuses.count(200), statuses.count(429)
    report("%d connections from one address" % len(conns), "%d answered 200, %d refused 429" % (ok200, refused),
           ok200 == args.per_address and refused == 20, "%d served, the rest 429" % args.per_address)


def probe_strict(args):
    cases = [("HTTP/9.9", b"GET /healthz HTTP/9.9\r\nHost: a\r\n\r\n", 505),
             ("no Host", b"GET /healthz HTTP/1.1\r\n\r\n", 400),
             ("NUL in a header", b"GET /healthz HTTP/1.1\r\nHost: a\r\nX-A: b\x00c\r\n\r\n", 400),
             ("Content-Encoding: gzip", b"POST /v1/claims HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
              b"Content-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}", 415),
             ("Transfer-Encoding: gzip", b"POST /v1/claims HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501)]
    got = [(name, status_of(once(args.port, raw, 5))) for name, raw, _ in cases]
    ok = all(g[1] == c[2] for g, c in zip(got, cases))
    report("strict parsing", ", ".join("%s %d" % g for g in got), ok, "505, 400, 400, 415, 501")


def probe_wrong_keys(args):
    statuses = []
    s = connect(args.port)
    for i in range(500):
        s.sendall(("GET /v1/assessments HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer wrong-%d\r\n\r\n" % i).encode())
    data = read_all(s, 5)
    s.close()
    pos = 0
    while True:
        pos = data.find(b"HTTP/1.1 ", pos)
        if pos < 0:
            break
        statuses.append(int(data[pos + 9:pos + 12]))
        pos += 12
    report("500 wrong keys on one connection", "%d answered 401, %d 429" % (statuses.count(401), statuses.count(429)),
           statuses.count(401) <= 25 and statuses.count(429) >= 400, "429 after the burst")


PROBES = {"slow": probe_slow_bodies, "huge": probe_huge_body, "header": probe_endless_header,
          "pipeline": probe_pipelining, "trace": probe_trace, "log": probe_log_forging, "pdf": probe_pdf_bombs,
          "idle": probe_idle, "per-address": probe_per_address, "strict": probe_strict, "keys": probe_wrong_keys}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True, help="the server's pid (RSS)")
    ap.add_argument("--key", required=True)
    ap.add_argument("--log", required=True, help="the server's log file")
    ap.add_argument("--slow-seconds", type=float, default=20)
    ap.add_argument("--bomb-mib", type=float, default=1.5)
    ap.add_argument("--header-timeout", type=float, default=10)
    ap.add_argument("--per-address", type=int, default=128)
    ap.add_argument("--only", default="", help="comma-separated probe names (default: all)")
    args = ap.parse_args()
    # "second" (a second server on the same state directory) is bench/hostile.sh's own.
    names = [n for n in args.only.split(",") if n and n != "second"] or list(PROBES)
    unknown = [n for n in names if n not in PROBES]
    if unknown:
        print("hostile_client.py: unknown probe(s) %s; known: %s" % (unknown, ", ".join(PROBES)), file=sys.stderr)
        return 2
    for name in names:
        PROBES[name](args)
    print("hostile: %d of %d probes met their target" % (sum(RESULTS), len(RESULTS)))
    return 0 if all(RESULTS) else 1


if __name__ == "__main__":
    raise SystemExit(main())
