#!/usr/bin/env python3
"""Transactions/s and latency percentiles from pgbench per-transaction logs (pgbench -l).

Counts the transactions that completed in the measured window [first completion + warmup,
+ seconds], like the load generator, and prints one human line and one JSON line in the load
generator's format, so bench/run_all reads both alike. Log lines (PostgreSQL 15):
client_id transaction_no time_us script_no epoch_s epoch_us."""
import argparse
import json
import math


def percentile(sorted_values, q):
    if not sorted_values:
        return 0
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", required=True)
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--warmup", type=float, required=True)
    parser.add_argument("logs", nargs="+")
    args = parser.parse_args()

    done = []  # (completion time in s, latency in µs)
    for path in args.logs:
        with open(path) as log:
            for line in log:
                fields = line.split()
                done.append((int(fields[4]) + int(fields[5]) / 1e6, int(fields[2])))
    if not done:
        raise SystemExit("pgbench_log_summary: no transactions logged")
    start = min(t for t, _ in done) + args.warmup
    end = start + args.seconds
    latencies = sorted(us for t, us in done if start <= t - us / 1e6 and t <= end)
    per_second = len(latencies) / args.seconds
    p50, p99, p999 = (percentile(latencies, q) for q in (0.50, 0.99, 0.999))
    print(f"{args.label}: {args.clients} clients, {per_second:.0f} transactions/s over {args.seconds:.1f} s, "
          f"latency p50 {p50} us, p99 {p99} us, p99.9 {p999} us")
    print(json.dumps({"bench": "pgbench", "label": args.label, "in_flight": args.clients, "seconds": args.seconds,
                      "commands": len(latencies), "commands_per_s": round(per_second, 1), "p50_us": p50,
                      "p99_us": p99, "p999_us": p999, "max_us": latencies[-1] if latencies else 0, "failed": 0},
                     separators=(",", ":")))


if __name__ == "__main__":
    main()
