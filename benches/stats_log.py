#!/usr/bin/env python3
"""Writes a year of a busy shared host's access log in the Combined Log Format (for benches/stats.sh).

usage: stats_log.py LINES DIST BASE > access.log

Deterministic (fixed seed). One fiscal year (2024-04-01 .. 2025-03-31, +0900) in time order;
about a third of the lines are requests of the kanko site at BASE (its reports read in the
reader page group by page group, PDFs in byte ranges, EPUBs, the catalog and its search), the
rest another site on the same host; about a tenth come from crawlers. ~200 bytes a line.
"""
import os
import random
import sys
import time

lines, dist, base = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rnd = random.Random(29)
slugs = sorted(d for d in os.listdir(dist) if os.path.isfile(os.path.join(dist, d, "reader", "data.js")))
groups = {s: len(os.listdir(os.path.join(dist, s, "reader", "pages"))) for s in slugs}
agents = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_%d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel %d) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/12%d.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/12%d.0.%d.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_%d) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d Safari/605.1.15",
]
agents = [a % (i, j) for a in agents for i in range(1, 6) for j in range(0, 5)]
bots = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "curl/8.5.0",
]
other = ["/", "/blog/", "/blog/2024/%02d/entry-%d.html", "/images/photo-%d.jpg", "/css/site.css", "/js/site.js", "/contact/", "/wp-login.php", "/favicon.ico"]
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
start = 1711897200  # 2024-04-01 00:00 +0900
span = 365 * 86400
out = sys.stdout
write = out.write


def stamp(t):
    tm = time.gmtime(t + 9 * 3600)
    return "%02d/%s/%04d:%02d:%02d:%02d +0900" % (tm.tm_mday, MON[tm.tm_mon - 1], tm.tm_year, tm.tm_hour, tm.tm_min, tm.tm_sec)


def visit(t, ip, ua):
    """The requests of one visit: (seconds after t, path, status, bytes)."""
    r = rnd.random()
    s = rnd.choice(slugs)
    d = base + s + "/"
    if r < 0.25:  # the reader, some to the end
        reqs = [(0, d + "reader/index.html", 200, 3200), (1, d + "reader/reader.js", 200, 41000), (1, d + "reader/data.js", 200, 5200)]
        far = rnd.randrange(groups[s]) + 1
        for g in range(far):
            reqs.append((2 + g * 40, d + "reader/pages/%d.js" % g, 200, 48000))
            reqs.append((2 + g * 40, d + "reader/text/%d.js" % g, 200, 9000))
        return reqs
    if r < 0.45:  # the PDF in a browser's viewer: a start, then ranges
        reqs = [(0, d, 200, 9000), (5, d + s + ".pdf", 200, 65536)]
        reqs += [(6 + k, d + s + ".pdf", 206, 65536) for k in range(rnd.randrange(1, 8))]
        return reqs
    if r < 0.55:
        return [(0, d, 200, 9000), (4, d + s + ".epub", 200, 140000)]
    if r < 0.75:  # the catalog, sometimes a search
        reqs = [(0, base, 200, 21000), (1, base + "catalog.css", 200, 9000), (1, base + "catalog.js", 200, 12000)]
        if rnd.random() < 0.3:
            reqs.append((9, base + "search/i%d.js" % rnd.randrange(8), 200, 30000))
        return reqs
    if r < 0.82:
        return [(0, d + "reader/text.html", 200, 52000), (20, d + "reader/speech.js", 200, 15000)]
    return [(0, d + "reader/index.html", 304, 0)]


def other_request():
    p = rnd.choice(other)
    if "%" in p:
        p = p % tuple(rnd.randrange(1, 13) for _ in range(p.count("%")))
    return p


# Interleave visits in time order with a small heap of pending requests.
import heapq
pending = []
n = 0
t = float(start)
step = span / lines * 2.8  # about 2.8 lines an event
while n < lines:
    t += rnd.expovariate(1 / step) if step > 0 else 0
    it = int(t)
    while pending and pending[0][0] <= it and n < lines:
        pt, line = heapq.heappop(pending)
        write(line.replace("@", stamp(pt), 1))
        n += 1
    if n >= lines:
        break
    ip = "%d.%d.%d.%d" % (rnd.choice((27, 49, 60, 106, 110, 126, 133, 153, 180, 219)), rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255))
    x = rnd.random()
    if x < 0.1:  # a crawler takes a few pages of everything
        ua = rnd.choice(bots)
        for k in range(3):
            path = rnd.choice([base, base + rnd.choice(slugs) + "/", other_request(), "/robots.txt"])
            heapq.heappush(pending, (it + k, '%s - - [@] "GET %s HTTP/1.1" 200 %d "-" "%s"\n' % (ip, path, rnd.randrange(500, 90000), ua)))
    elif x < 0.55:  # this site: a whole visit
        ua = rnd.choice(agents)
        ref = "https://www.google.com/" if rnd.random() < 0.5 else "-"
        for dt, path, status, size in visit(it, ip, ua):
            heapq.heappush(pending, (it + dt, '%s - - [@] "GET %s HTTP/2.0" %d %d "%s" "%s"\n' % (ip, path, status, size, ref, ua)))
    else:  # the other site on the host
        ua = rnd.choice(agents)
        heapq.heappush(pending, (it, '%s - - [@] "GET %s HTTP/1.1" 200 %d "https://example.jp/" "%s"\n' % (ip, other_request(), rnd.randrange(200, 60000), ua)))
while pending and n < lines:
    pt, line = heapq.heappop(pending)
    write(line.replace("@", stamp(pt), 1))
    n += 1
