#!/usr/bin/env python3
"""Medians and ratios from bench/run_all's JSON lines (results.jsonl), as the tables of
docs/BENCHMARKS.md show them.

  summarize.py commands results.jsonl   §2: per in-flight count, each side's median commands/s and
                                        latency, and placementd ÷ each peer (ratio of the medians, and
                                        the paired ratio: the median of per-repetition ratios)
  summarize.py national results.jsonl   §3–4: dataset, replay vs raw scan, restart, memory, views
"""
import json
import statistics
import sys
from collections import defaultdict

SIDES = ["placementd", "ceiling", "pg-command", "pg-insert"]
# The targets: placementd ≥ 2 × the PostgreSQL equivalent command, ≥ the bare insert,
# ≥ 70 % of the gRPC append ceiling; p99 < 10 ms.
TARGETS = {"pg-command": 2.0, "pg-insert": 1.0, "ceiling": 0.7}


def rows(path):
    with open(path) as results:
        return [json.loads(line) for line in results if line.strip()]


def commands(all_rows):
    runs = defaultdict(dict)  # (in_flight, rep) → label → row
    for row in all_rows:
        if row.get("bench") in ("load_generator", "pgbench"):
            runs[(row["in_flight"], row["rep"])][row["label"]] = row
    counts = sorted({n for n, _ in runs})
    print("| in flight | side | runs | commands/s (median) | min–max | p50 µs | p99 µs | p99.9 µs |")
    print("|---:|---|---:|---:|---|---:|---:|---:|")
    medians = {}
    for n in counts:
        for side in SIDES:
            side_rows = [r[side] for (m, _), r in runs.items() if m == n and side in r]
            if not side_rows:
                continue
            rates = [r["commands_per_s"] for r in side_rows]
            med = {k: statistics.median(r[k] for r in side_rows) for k in ("commands_per_s", "p50_us", "p99_us", "p999_us")}
            medians[(n, side)] = med
            print(f"| {n} | {side} | {len(rates)} | {med['commands_per_s']:,.0f} | {min(rates):,.0f}–{max(rates):,.0f} "
                  f"| {med['p50_us']:,.0f} | {med['p99_us']:,.0f} | {med['p999_us']:,.0f} |")
    print()
    print("| in flight | placementd ÷ | ratio of medians | paired (median of per-run ratios) | target | met |")
    print("|---:|---|---:|---:|---:|---|")
    for n in counts:
        for peer, target in TARGETS.items():
            if (n, "placementd") not in medians or (n, peer) not in medians:
                continue
            ratio = medians[(n, "placementd")]["commands_per_s"] / medians[(n, peer)]["commands_per_s"]
            paired = statistics.median(
                r["placementd"]["commands_per_s"] / r[peer]["commands_per_s"]
                for (m, _), r in runs.items() if m == n and "placementd" in r and peer in r)
            met = "yes" if n == 1 or ratio >= target else "**no**"
            print(f"| {n} | {peer} | {ratio:.2f} | {paired:.2f} | ≥ {target:g} | {met if n != 1 else '(no target at 1)'} |")
    for n in counts:
        if (n, "placementd") in medians:
            p99 = medians[(n, "placementd")]["p99_us"]
            print(f"placementd p99 at {n} in flight: {p99 / 1000:.1f} ms (target < 10 ms: {'met' if p99 < 10000 else 'NOT met'})")


def national(all_rows):
    for row in all_rows:
        if row.get("bench") == "national_dataset":
            print(f"dataset: {row['events']:,} events, {row['offers']:,} offers, {row['placements']:,} placements "
                  f"({row['admitted']:,} admitted at the end), {row['municipalities']} municipalities")
    for row in all_rows:
        if row.get("bench") == "replay_bench":
            if row["kind"] == "memory":
                print(f"replay memory: {row['rss_mb']} MB resident with the read model of {row['events']:,} events "
                      f"({row['rss_before_mb']} MB before)")
            elif row["kind"] == "first replay":
                print(f"first replay, in a fresh process: {row['events_per_s']:,.0f} events/s")
            else:
                print(f"{row['kind']}: median {row['median_events_per_s']:,.0f} events/s "
                      f"({row['ratio_to_raw']:.2f} × raw scan) over {row['runs']} runs")
    restarts = [r for r in all_rows if r.get("bench") == "restart" and "seconds_to_ready" in r]
    if restarts:
        seconds = [r["seconds_to_ready"] for r in restarts]
        rss = [r["rss_mb"] for r in restarts]
        print(f"restart to ready: median {statistics.median(seconds):.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f}) "
              f"over {len(seconds)} starts; resident {statistics.median(rss):.0f} MB when ready")
    for row in all_rows:
        if row.get("bench") == "restart" and row.get("after_views"):
            print(f"resident after the views: {row['rss_mb']} MB")
        if row.get("bench") == "view_bench":
            print(f"{row['view']}: {row['rows']} rows, first call {row['first_us'] / 1000:.1f} ms, then p50 "
                  f"{row['p50_us'] / 1000:.2f} ms, p99 {row['p99_us'] / 1000:.2f} ms over {row['calls']} calls")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("commands", "national"):
        sys.exit(__doc__)
    {"commands": commands, "national": national}[sys.argv[1]](rows(sys.argv[2]))
