#!/usr/bin/env python3
"""A bounded flood of HTTP API requests (docs/api.md, "What the API costs"): THREADS keep-alive connections per
replica URL, each asking in turn for the status, the head page of blocks and one block by number, for SECONDS.
Prints requests answered per status code and per second. Usage: api-flood.py SECONDS THREADS URL [URL...]"""
import http.client
import signal
import sys
import threading
import time
import urllib.parse
from collections import Counter

seconds, threads, urls = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
counts = Counter()
lock = threading.Lock()
deadline = time.monotonic() + seconds
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())  # the caller ends the flood early: counts still printed
started = time.monotonic()


def flood(url):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    paths = ["/api/v1/status", "/api/v1/blocks?limit=20", "/api/v1/blocks/1"]
    mine = Counter()
    i = 0
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            conn.request("GET", paths[i % len(paths)])
            response = conn.getresponse()
            response.read()
            mine[response.status] += 1
        except (OSError, http.client.HTTPException):
            mine["error"] += 1
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        i += 1
    with lock:
        counts.update(mine)


workers = [threading.Thread(target=flood, args=(u,)) for u in urls for _ in range(threads)]
for w in workers:
    w.start()
for w in workers:
    while w.is_alive():
        w.join(0.2)
elapsed = time.monotonic() - started
total = sum(counts.values())
print(f"api flood: {total} requests in {elapsed:.0f} s ({total / elapsed:,.0f}/s): " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str)))
