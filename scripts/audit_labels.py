#!/usr/bin/env python3
"""Turns expert-judge audits of novelta reports (../shared/audit/PROTOCOL.md) into the
evidence labels `novelta train-evidence` learns from: one JSON object a line,

  {"paper_id", "claim": {"field", "start", "end"}, "prior_id", "quote_start", "quote_end",
   "relevant": true|false}

ids and byte offsets only: the texts stay in ../shared/data, where training reads them.

Usage: scripts/audit_labels.py AUDIT_DIR [AUDIT_DIR ...] > labels.jsonl
Each AUDIT_DIR holds reports.jsonl (the reports the judge saw, as `novelta assess` wrote
them), paperNN.json (what the judge read) and out_NN.json (the judge's verdicts). A judge
file's evidence quotes are matched to the report's by (prior title, quote); when the judge
file lists a subset of the report's evidence in another order (a labelling sample), the
match still holds.
"""
import glob
import json
import os
import sys


def labels_of(audit_dir):
    reports = [json.loads(l) for l in open(os.path.join(audit_dir, 'reports.jsonl'))]
    for out_path in sorted(glob.glob(os.path.join(audit_dir, 'out_*.json'))):
        n = int(os.path.basename(out_path)[4:-5])
        judged = json.load(open(out_path))
        shown = json.load(open(os.path.join(audit_dir, 'paper%02d.json' % n)))
        report = reports[n]
        if report['submission']['id'] != judged['paper_id']:
            sys.exit(f'{out_path}: paper {judged["paper_id"]} is not report {n} ({report["submission"]["id"]})')
        claims = {c['id']: c for c in report['claims']}
        shown_claims = {c['id']: c for c in shown['claims']}
        for jc in judged['claims']:
            rc, sc = claims[jc['id']], shown_claims[jc['id']]
            by_quote = {(e['title'], e['quote']): e for e in rc.get('evidence', [])}
            for e, relevant in zip(sc['evidence'], jc['evidence_relevant']):
                re_ = by_quote.get((e['prior_title'], e['quote']))
                if re_ is None:
                    sys.exit(f'{out_path}: claim {jc["id"]}: a judged quote is not in the report')
                yield {'paper_id': judged['paper_id'], 'claim': rc['span'], 'prior_id': re_['prior_id'],
                       'quote_start': re_['quote_start'], 'quote_end': re_['quote_end'],
                       'relevant': bool(relevant)}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for d in sys.argv[1:]:
        for row in labels_of(d):
            print(json.dumps(row, sort_keys=True))


if __name__ == '__main__':
    main()
