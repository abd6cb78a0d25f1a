#!/usr/bin/env python3
"""Writes a Disqus XML export of N posts (default 100,000) over N/20 threads, replies
answering earlier or later posts (Disqus does not order them), to stdout. For the
bounded-memory check of `tribune import` (run.sh)."""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
origin = sys.argv[2] if len(sys.argv) > 2 else "https://news.example"
threads = max(1, n // 20)
rng = random.Random(18)
out = sys.stdout
out.write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
          'xmlns:dsq="http://disqus.com/disqus-internals">\n')
out.write('<category dsq:id="1"><forum>bench</forum><title>General</title>'
          '<isDefault>true</isDefault></category>\n')
for t in range(threads):
    out.write(f'<thread dsq:id="t{t}"><id>t{t}</id><forum>bench</forum><category dsq:id="1"/>'
              f'<link>{origin}/bench/{t}</link><title>Article n° {t}</title><message/>'
              f'<createdAt>2020-01-01T00:00:00Z</createdAt><isClosed>false</isClosed>'
              f'<isDeleted>false</isDeleted></thread>\n')
for p in range(n):
    t = p % threads
    parent = ""
    if p >= threads and rng.random() < 0.6:
        # Any post of the same thread, earlier or later in the file.
        q = t + threads * rng.randrange(n // threads)
        if q != p and q < n:
            parent = f'<parent dsq:id="p{q}"/>'
    day = 1 + p % 28
    out.write(f'<post dsq:id="p{p}"><id/><message><![CDATA[<p>Commentaire {p} : '
              f'{"é" * (p % 7)} lorem ipsum dolor sit amet &amp; cetera.</p>]]></message>'
              f'<createdAt>2021-02-{day:02d}T10:{p % 60:02d}:{(p * 7) % 60:02d}Z</createdAt>'
              f'<isDeleted>false</isDeleted><isSpam>{"true" if p % 97 == 0 else "false"}</isSpam>'
              f'<author><email>user{p % 5000}@example.org</email><name>Lecteur {p % 5000}</name>'
              f'<isAnonymous>false</isAnonymous></author><ipAddress>192.0.2.1</ipAddress>'
              f'<thread dsq:id="t{t}"/>{parent}</post>\n')
out.write('</disqus>\n')
