#!/usr/bin/python3
"""The dashboard's latency on a data folder (the national dataset): each page's first data, and a
live update (docs/BENCHMARKS.md §6).

Starts placementd on the folder with --web-listen 127.0.0.1:0 and, for each page, issues the
requests the page issues (the same paths and parameters as services/web/static/app.js, concurrently,
as its Promise.all does) and times until the last answer is read: the page's first data. The peer in
the same run is /api/head (authentication and one log read, no view): the floor of one request.
Live: it follows /api/live, writes a capacity change with placectl, and times from placectl's
start (process start, token, the gRPC command: an upper bound) to the line on the stream, plus the capacity page reloaded then (what the page does).
Medians of --repeat runs after one warm-up each.

    /usr/bin/python3 bench/web_bench.py --placementd build/services/placementd/placementd \\
        --placectl build/clients/placectl/placectl --data /tmp/national/data [--repeat 7]
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

# Per page, after /api/names: the views its first figures need (app.js issues them at once), and
# those it asks for once those are drawn.
PAGES = {
    "capacity": (["/api/capacity?date={date}&by=region,level", "/api/capacity?date={date}&by=region,target_group",
                  "/api/capacity?date={date}&by=offer,region,level",
                  "/api/capacity?date={date}&by=offer,region,target_group"], []),
    "occupancy": (["/api/occupancy-series?from={start}&to={end}&by=region",
                   "/api/occupancy?from={start}&to={end}&by=region", "/api/occupancy?from={start}&to={end}&by=offer"], []),
    "waiting": (["/api/waiting?date={date}"], []),
    "financing": (["/api/financing?from={start}&to={end}"], ["/api/financing-models?from={start}&to={end}"]),
}


def get(host, port, path, token):
    connection = http.client.HTTPConnection(host, port, timeout=60)
    connection.request("GET", path, headers={"Authorization": "Bearer " + token})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
    return len(body)


def page_time(host, port, names, first, later, token):
    """(first data, complete): /api/names, then the views of the page's first figures at once
    (first data: all of them in), then the views drawn after them (complete), as app.js does."""
    started = time.perf_counter()
    get(host, port, names, token)
    done = {}
    with concurrent.futures.ThreadPoolExecutor(len(first)) as pool:
        futures = {pool.submit(get, host, port, p, token): p for p in first}
        for future in concurrent.futures.as_completed(futures):
            future.result()
            done[futures[future]] = time.perf_counter() - started
    first_data = time.perf_counter() - started
    for path in later:  # drawn after the first figures, one after the other
        get(host, port, path, token)
    return first_data, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--placementd", required=True)
    parser.add_argument("--placectl", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--date", default="")
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="web-bench-")
    ready = os.path.join(folder, "ready")
    log = open(os.path.join(folder, "placementd.log"), "wb")
    started = time.time()
    server = subprocess.Popen([options.placementd, "--data", options.data, "--listen", "127.0.0.1:0",
                               "--admin-listen", "127.0.0.1:0", "--web-listen", "127.0.0.1:0", "--ready-file", ready],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        while not (os.path.exists(ready) and len(open(ready).read().splitlines()) >= 3):
            if server.poll() is not None or time.time() - started > 1800:
                sys.exit("placementd did not start: " + open(log.name).read()[-2000:])
            time.sleep(0.05)
        ready_s = time.time() - started
        grpc_address, _, url = open(ready).read().splitlines()[:3]
        host, port = urllib.parse.urlparse(url).hostname, urllib.parse.urlparse(url).port
        secret = options.data.rstrip("/") + ".token-secret"
        token = subprocess.run([options.placectl, "token", "issue", "--role", "planner", "--subject", "web-bench",
                                "--ttl", "2h", "--secret-file", secret], check=True, capture_output=True,
                               text=True).stdout.strip()
        t0 = time.perf_counter()
        names = json.loads(http_body(host, port, "/api/names", token))
        names_first_ms = round((time.perf_counter() - t0) * 1000, 1)  # the first request after the start
        get(host, port, "/api/head", token)
        offers = names["offers"]
        date = options.date or time.strftime("%Y-%m-%d")
        year = int(date[:4])
        names_path = "/api/names?date=" + date
        params = {"date": date, "start": f"{year - 1}-01-01", "end": f"{year}-01-01"}
        results = {"offers": len(offers), "municipalities": len(names["municipalities"]),
                   "position": names["stamp"]["position"], "date": date, "ready_s": round(ready_s, 2),
                   "names_first_ms": names_first_ms}
        head = []
        for _ in range(options.repeat + 1):
            t0 = time.perf_counter()
            get(host, port, "/api/head", token)
            head.append(time.perf_counter() - t0)
        results["head_ms"] = round(statistics.median(head[1:]) * 1000, 1)
        for page, (first, later) in PAGES.items():
            first = [p.format(**params) for p in first]
            later = [p.format(**params) for p in later]
            times = [page_time(host, port, names_path, first, later, token) for _ in range(options.repeat + 1)]
            results[page + "_very_first_ms"] = round(times[0][0] * 1000, 1)  # the page's first load after the start
            times = times[1:]
            results[page + "_first_ms"] = round(statistics.median(t for t, _ in times) * 1000, 1)
            results[page + "_first_max_ms"] = round(max(t for t, _ in times) * 1000, 1)
            results[page + "_complete_ms"] = round(statistics.median(t for _, t in times) * 1000, 1)
        for path in sorted({p.format(**params) for first, later in PAGES.values() for p in first + later}):
            alone = []
            for _ in range(3):
                t0 = time.perf_counter()
                get(host, port, path, token)
                alone.append(time.perf_counter() - t0)
            results["alone " + path] = round(statistics.median(alone) * 1000, 1)
        # Live: the stream's line after a commit, then the capacity page reloaded.
        offer = offers[0]["offer_id"]
        stream = http.client.HTTPConnection(host, port, timeout=30)
        stream.request("GET", "/api/live", headers={"Authorization": "Bearer " + token})
        response = stream.getresponse()
        response.fp.readline()  # the first chunk's size line
        response.fp.readline()  # the head at once
        response.fp.readline()  # the chunk's closing CRLF
        live, live_page = [], []
        for i in range(options.repeat):
            # From before placectl starts: its process start and the gRPC command count against us.
            written = time.perf_counter()
            subprocess.run([options.placectl, "--server", grpc_address, "--as", "operator", "--operator",
                            str(offers[0]["operator_code"]), "--secret-file", secret,
                            "offers", "capacity", offer, "--from", f"{year}-01-01", "--places", str(400 + i)],
                           check=True, capture_output=True)
            while True:
                raw = response.fp.readline()
                if not raw:
                    sys.exit(f"the live stream ended after {i} updates; server log: " + open(log.name).read()[-2000:])
                if raw.strip().startswith(b"{"):
                    break
            live.append(time.perf_counter() - written)
            page, _ = page_time(host, port, names_path, [p.format(**params) for p in PAGES["capacity"][0]], [], token)
            live_page.append(live[-1] + page)
        results["live_line_ms"] = round(statistics.median(live) * 1000, 1)
        results["live_update_ms"] = round(statistics.median(live_page) * 1000, 1)
        results["live_update_max_ms"] = round(max(live_page) * 1000, 1)
        results["live_update_first_ms"] = round(live_page[0] * 1000, 1)  # the first commit after start
        results["live_update_later_max_ms"] = round(max(live_page[1:]) * 1000, 1)
        print(json.dumps(results))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=300)


def http_body(host, port, path, token):
    connection = http.client.HTTPConnection(host, port, timeout=60)
    connection.request("GET", path, headers={"Authorization": "Bearer " + token})
    body = connection.getresponse().read()
    connection.close()
    return body


if __name__ == "__main__":
    main()
