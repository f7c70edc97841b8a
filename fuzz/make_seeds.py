#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/.

Seeds are small, valid-ish inputs of each format plus a few known-hostile
ones, so the fuzzers start from inputs that reach deep into each parser.
Run it again after changing it; the files are committed.
"""
import gzip
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "corpus")

ABSTRACT = ("We propose a graph transformer for molecular property prediction. Unlike prior work "
            "(Smith et al., 2020), our method uses e.g. 3D coordinates and achieves 0.5 lower error [12]. "
            "To the best of our knowledge, this is the first such model.")
MARKDOWN = """# Graph Transformers for Molecules

**Abstract**

""" + ABSTRACT + """

## 1 Introduction

Molecular property prediction is central to drug discovery. Fig. 3 shows $x^2$ and \\(y\\). See https://example.org/a.b.
Our contributions are: (i) a new model; (ii) a dataset.

## 2 Related Work

Graph neural networks [1] were proposed by Kipf et al. (2017).

## References

- [1] T. Kipf and M. Welling. Semi-supervised classification with graph convolutional networks. ICLR 2017.
- [2] A. Vaswani et al. Attention is all you need. NeurIPS 2017.
"""
TEXT = """Graph Transformers for Molecules

Abstract
""" + ABSTRACT + """

1 Introduction
Molecular property prediction is central to drug discovery, i.e. it matters.

2 Method
We describe the model.

References
[1] T. Kipf and M. Welling. Semi-supervised classification with graph convolutional networks. 2017.
"""


def pdf(lines, title):
    def esc(s):
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = "BT /F1 10 Tf 14 TL 72 740 Td\n" + "".join("(%s) Tj T*\n" % esc(l) for l in lines) + "ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Title (%s) /Producer (make_seeds) >>" % esc(title),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 6 0 R >>",
        "<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objects):
        offsets.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (i + 1, o)).encode("latin-1")
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)).encode()
    for off in offsets:
        out += ("%010d 00000 n \n" % off).encode()
    out += ("trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)).encode()
    return out


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    sub = {"title": "Graph Transformers for Molecules", "abstract": ABSTRACT, "submitted": "2025-05-15"}
    hostile = {"title": "<script>alert(1)</script>\"><img src=x onerror=alert(2)>", "abstract": ABSTRACT}
    deep = "[" * 200 + "]" * 200

    write("submission_json_fuzzer", "plain.json", json.dumps(sub))
    write("submission_json_fuzzer", "fulltext.json", json.dumps({"title": "", "abstract": "", "fulltext": MARKDOWN}))
    write("submission_json_fuzzer", "eval.json", json.dumps({"id": "x1", "title": sub["title"], "abstract": ABSTRACT,
                                                             "fulltext": MARKDOWN, "reviews": [{"rating": 5}]}))
    write("submission_json_fuzzer", "hostile.json", json.dumps(hostile))
    write("submission_json_fuzzer", "deep.json", deep)
    write("submission_json_fuzzer", "bad_utf8.json", b'{"title":"\xff\xfe","abstract":"a\xc3"}')

    batch = "\n".join([json.dumps(sub), "", '{"id": "p2", "title": "Broken line", "abstract": ',
                       '["not an object"]', json.dumps(hostile), deep]) + "\n"
    write("jsonl_fuzzer", "batch.jsonl", batch)
    write("jsonl_fuzzer", "crlf.jsonl", batch.replace("\n", "\r\n"))
    write("jsonl_fuzzer", "batch.jsonl.gz", gzip.compress(batch.encode(), mtime=0))
    write("jsonl_fuzzer", "truncated.jsonl.gz", gzip.compress(batch.encode(), mtime=0)[:40])

    for target in ("markdown_fuzzer",):
        write(target, "paper.md", MARKDOWN)
        write(target, "bold_headings.md", MARKDOWN.replace("## 1 Introduction", "**1 INTRODUCTION**"))
        write(target, "no_abstract.md", "# Title only\n\n## 1 Introduction\n\nText.\n")
        write(target, "toc.md", "# T\n\n1 Introduction .......... 1\n2 Method ..... 3\n\n" + MARKDOWN)
    write("plain_text_fuzzer", "paper.txt", TEXT)
    write("plain_text_fuzzer", "crlf.txt", TEXT.replace("\n", "\r\n"))
    write("plain_text_fuzzer", "abstract_inline.txt", "A Title\n\nAbstract. " + ABSTRACT + "\n\nI. INTRODUCTION\nText.\n")

    lines = TEXT.splitlines()
    write("pdf_fuzzer", "paper.pdf", pdf(lines, "Graph Transformers for Molecules"))
    write("pdf_fuzzer", "truncated.pdf", pdf(lines, "T")[:300])
    write("pdf_fuzzer", "notext.pdf", pdf([], ""))

    corpus = os.path.join(ROOT, "corpora", "fixtures", "tiny-corpus.jsonl")
    with open(corpus, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i < 4:
                write("corpus_record_fuzzer", "tiny-%d.json" % i, line.strip())
    write("corpus_record_fuzzer", "date.json", json.dumps({"id": "a", "title": "T", "date": "2024-02", "year": 2023}))
    write("corpus_record_fuzzer", "badyear.json", json.dumps({"id": "a", "title": "T", "year": -99999999999}))
    write("corpus_record_fuzzer", "deep.json", deep)

    imports = os.path.join(ROOT, "corpora", "fixtures", "import")
    for selector, name in ((0, "arxiv-snapshot.jsonl"), (1, "openalex-works.jsonl"), (2, "s2-papers.jsonl")):
        with open(os.path.join(imports, name), encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i < 2 and line.strip():
                    write("import_record_fuzzer", "%s-%d" % (name.split("-")[0], i),
                          bytes([selector]) + line.strip().encode())
    write("import_record_fuzzer", "rfc2822", b"\x00Mon, 2 Apr 2007 19:18:42 GMT")

    write("sentence_splitter_fuzzer", "abstract.txt", ABSTRACT)
    write("sentence_splitter_fuzzer", "markdown.txt", MARKDOWN)
    write("sentence_splitter_fuzzer", "math.txt", "Let $a.b$ hold. Then \\[x. y\\] follows. Fig. 2. e.g. 3.14 et al. Done")

    review = ("**Summary:** The paper proposes a graph transformer.\n\n**Strengths and Weaknesses:** The idea is not "
              "novel: it was already proposed by Kipf et al. (2017) and in \"Attention is all you need\" [2]. "
              "Limited novelty compared to arXiv 1706.03762. The method is original in its use of 3D data.\n\n"
              "**Questions:** How does it differ from [Vaswani 2017]?\n")
    write("review_fuzzer", "review", b"\x02" + review.encode() + b"\x00" + MARKDOWN.encode())
    write("review_fuzzer", "positive", b"\x04To the best of my knowledge, this is a novel and original approach.")
    write("review_fuzzer", "refs", b"\x00x\x00## References\n[1] A. B. A long enough title of a paper. 2020.\n1. Another reference entry, 2019.\n")

    write("assessment_fuzzer", "simple.json", json.dumps({"paper_id": "p1", "conclusion": "incremental",
                                                          "reasoning": "Close to [Kipf 2017].",
                                                          "cited_prior_ids": ["w1", "w2"]}))
    report = {"submission": {"id": "p1", "title": sub["title"], "submitted": "2025-05-15"}, "cutoff": "2025-05-15",
              "claims": [{"id": "c1", "text": "We propose a graph transformer.", "type": "method",
                          "facets": {"method": ["graph transformer"]},
                          "verdict": {"verdict": "novel", "confidence": 0.6, "evidence": []}}],
              "related_work": [{"id": "w1", "title": "GCN", "score": 0.5, "cited": True}],
              "conclusion": "incremental", "novelty_score": 0.4, "reasoning": "Claim c1 is close to w1."}
    write("assessment_fuzzer", "report.json", json.dumps(report))
    write("assessment_fuzzer", "eval.json", json.dumps({"id": "x1", "title": sub["title"], "fulltext": MARKDOWN,
                                                        "reviews": [{"originality": 2, "text": review},
                                                                    {"originality": 4, "text": "Novel."}],
                                                        "references": ["Kipf and Welling. GCN. 2017."]}))
    write("assessment_fuzzer", "deep.json", deep)

    key = b"\x01"  # bit 0: send the valid key; bits 1-3: method (0 GET, 1 POST, 2 DELETE)
    post = bytes([(1 << 1) | 1])
    write("http_request_fuzzer", "healthz", b"\x00/healthz\n\n")
    write("http_request_fuzzer", "list", key + b"/v1/assessments?status=done&limit=5&cursor=c10\n\n")
    write("http_request_fuzzer", "noauth", b"\x00/v1/assessments\n\n")
    write("http_request_fuzzer", "create", post + b"/v1/assessments?wait=1&top_k=3\nContent-Type: application/json\n"
          b"Idempotency-Key: k1\n\n" + json.dumps(sub).encode())
    write("http_request_fuzzer", "batch", post + b"/v1/assessments:batch\nContent-Type: application/json\n\n" +
          json.dumps({"submissions": [sub, hostile, {"title": "x"}]}).encode())
    write("http_request_fuzzer", "claims_md", post + b"/v1/claims\nContent-Type: text/markdown\n\n" + MARKDOWN.encode())
    write("http_request_fuzzer", "related", post + b"/v1/related?top_k=2&submitted=2025-01\nContent-Type: application/json; charset=utf-8\n\n" +
          json.dumps(sub).encode())
    write("http_request_fuzzer", "related_pdf", post + b"/v1/related?external_id=%41%00\nContent-Type: application/pdf\n\n" +
          pdf(lines, "T"))
    write("http_request_fuzzer", "report", key + b"/v1/assessments/%2e%2e%2f%2e%2e%2fetc%2fpasswd/report.html\n\n")
    write("http_request_fuzzer", "delete", bytes([(2 << 1) | 1]) + b"/v1/assessments/abc\n\n")
    write("http_request_fuzzer", "deep", post + b"/v1/assessments\nContent-Type: application/json\n\n" + deep.encode())
    write("http_request_fuzzer", "badpct", key + b"/v1/assessments?limit=%zz&%\n\n")

    # Raw client byte streams for the HTTP server itself.
    get = b"GET /a?b=%20 HTTP/1.1\r\nHost: f\r\n\r\n"
    write("http_server_fuzzer", "get", get)
    write("http_server_fuzzer", "pipelined", get * 3 + b"HEAD /h HTTP/1.1\r\nHost: f\r\nConnection: close\r\n\r\n")
    write("http_server_fuzzer", "post", b"POST /p HTTP/1.1\r\nHost: f\r\nContent-Length: 5\r\n\r\nhello" + get)
    write("http_server_fuzzer", "chunked", b"POST /p HTTP/1.1\r\nHost: f\r\nTransfer-Encoding: chunked\r\n\r\n"
          b"5\r\nhello\r\n3;x=y\r\nabc\r\n0\r\nTrailer: t\r\n\r\n" + get)
    write("http_server_fuzzer", "expect", b"PUT /p HTTP/1.1\r\nHost: f\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok")
    write("http_server_fuzzer", "http10", b"GET /empty HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n")
    write("http_server_fuzzer", "bad", b"GET /x HTTP/9.9\r\nHost: f\r\nContent-Encoding: br\r\n\r\n")

    # Words with positions and fonts for the PDF layout reader (pdf_layout_fuzzer.cc).
    write("pdf_layout_fuzzer", "paper", layout_words())
    # The rendered sample papers (bench/pdf/render_papers.py) for the PDF reader.
    testdata = os.path.join(ROOT, "pipeline", "ingest", "testdata", "pdf")
    for name in ("sample_iclr.pdf", "sample_twocol.pdf"):
        with open(os.path.join(testdata, name), "rb") as f:
            write("pdf_fuzzer", name, f.read())


def layout_words():
    """A title, small-capital heading, margin line numbers, a two-column band and references."""
    out = bytearray()

    def word(page, x, y, text, size=10.0, bold=False, rotation=0):
        w = int(0.5 * size * len(text) * 2)
        h = int(size * 8)
        flags = (1 if bold else 0) | (6 if rotation else 0)
        out.extend(bytes([page]) + int((x + 100) * 64).to_bytes(2, "little") +
                   int((y + 100 - 0.8 * size) * 64).to_bytes(2, "little") +
                   bytes([min(w, 255), min(h, 255), int(size * 4), flags, len(text)]) + text.encode())

    def line(page, x, y, text, size=10.0, bold=False):
        for t in text.split():
            word(page, x, y, t, size, bold)
            x += 0.5 * size * len(t) + 0.25 * size

    word(0, 250, 40, "January 18, 2023", 18)
    line(0, 150, 90, "Learning Grid Cells", 16, True)
    word(0, 20, 300, "arXiv:2301.01234", 20, rotation=90)
    word(0, 72, 140, "1", 12, True)
    word(0, 80, 140, "I", 12, True)
    word(0, 86.4, 140, "NTRODUCTION", 9.6, True)
    for i in range(8):
        word(0, 50, 160 + 12 * i, str(i + 1), 5)
        line(0, 72, 160 + 12 * i, "left words go on here and on %d" % i)
        line(0, 320, 160 + 12 * i, "right words go on here and on %d" % i)
    line(1, 72, 100, "References", 12, True)
    line(1, 72, 120, "[1] A. Author. A title of a paper. In Proc., 2020.")
    line(1, 72, 132, "[2] B. Author. Another one. 2021.")
    return bytes(out)


if __name__ == "__main__":
    main()
