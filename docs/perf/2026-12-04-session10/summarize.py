#!/usr/bin/env python3
# summarize.py DIR...: one line per Java figure of XenRingOneThreadBenchmark JSON results in each DIR, ns per
# message and the ratio to the C twin of the same JVM (same entry and batch).
import glob, json, sys
for d in sys.argv[1:]:
    for f in sorted(glob.glob(d + '/*.json')):
        data = json.load(open(f))
        c = {(x['params']['entry'], x['params']['batch']): x['primaryMetric']['score'] / 4096
             for x in data if x['benchmark'].endswith('.c')}
        for x in data:
            if x['benchmark'].endswith('.java'):
                p = x['params']; ns = x['primaryMetric']['score'] / 4096; cv = c[(p['entry'], p['batch'])]
                print('%-10s %-8s %-8s %-10s %-8s b%-4s %6.2f ns  C %5.2f  ratio %.2f' % (
                    d.split('/')[-1], p.get('copies'), p['api'], p['buffers'], p['entry'], p['batch'], ns, cv, ns / cv))
