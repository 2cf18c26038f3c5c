#!/usr/bin/python3
"""A data folder written by an earlier commit opens with this code and gives the same answers.

tests/fixtures/upgrade/ holds a placementd data folder (with its pseudonym key, citizen key store
and test-only token secret) written by placementd at commit b43ddf7 (make_fixture.sh), and, under
expected/, what placectl printed for a set of views and exports while that same binary served it.
This test copies the fixture into a temp dir (opening a data folder writes to it; the checked-in
one is never served), starts the given placementd on the copy, runs the same placectl commands and
compares each output with its golden file byte for byte (a unified diff on mismatch). It does
that three times on the same copy:

  1. "fixture"      - a plain start: from the fixture's snapshot, or from the log when this code
                      does not read that snapshot's format;
  2. "log-only"     - a restart with --ignore-snapshots: views rebuilt from the log alone;
  3. "own-snapshot" - a plain restart again: from the snapshot this code wrote at shutdown.

Each run also checks that `placectl audit verify` exits 0 and that SIGTERM stops the server with
exit code 0. Everything goes through the placectl binary (no gRPC here); standard library only.

    /usr/bin/python3 tests/integration/upgrade/upgrade_fixture_test.py \\
        --placementd build/services/placementd/placementd --placectl build/clients/placectl/placectl \\
        --fixture tests/fixtures/upgrade

--record (only ever with the binaries that made the fixture, commit b43ddf7) writes the golden
files from run 1 instead of comparing, then checks runs 2 and 3 against them.

No output is normalised: every command names its dates (none depends on today), the port and the
temp paths appear in no output, and the only wall-clock times (recorded_at, requested_at,
hold_expires_at) are those stored in the fixture's events.

One thing is added to the log, on purpose: the merger of regions shipped with the reference data
(Region Østdanmark from 2027-01-01, deploy/reference/region-mergers.csv) is written into every data
folder that does not hold it yet when it opens, as the reference data is at a first start. So the
three outputs of the log itself (LOG_OUTPUTS: head, verify, export) are checked as "the fixture's
log, byte for byte, then the merger once": the export begins with its golden file and continues
with exactly the merger's events (the region established, the municipalities of Hovedstaden and
Sjælland moved, the offers those regions operate passed, both regions ceased, all by placementd's
system actor, byte-identical in every run: written once), and head and verify name the new head.
Every view of the fixture's dates before 2027 is unchanged by it, and compared byte for byte as
before, with two differences the merger makes and nothing else (expected_after_merger): a view of
the live model names the head it reflects, now the merger's last position; and the one view dated
after the merger (the waiting lists on 2027-01-01) shows Hovedstaden's offer fx-havly as Region
Østdanmark's (operator and region 1086).
"""

import argparse
import json
import csv
import difflib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# The fixture's files, beside each other as placementd expects them (<data>.token-secret, ...).
FIXTURE_FILES = ("data", "data.pseudonym-key", "data.citizen-keys", "data.token-secret")

# (golden file under expected/, role, placectl arguments). The format flag (--json or --csv) is in
# the arguments; `audit export` always writes JSON Lines to stdout. A role may name its scope
# ("caseworker:751": the caseworker of municipality 751); "caseworker:*" runs the command as the
# caseworker of every municipality of the reference data and merges the JSON lines by placement
# id, which is what one list of all placements was before no role could list them all.
COMMANDS = [
    # capacity: a few dates and every grouping
    ("capacity-2018-10-15-by-region.jsonl", "planner", ["--json", "capacity", "--at", "2018-10-15", "--by", "region"]),
    ("capacity-2018-10-15-by-level.csv", "planner", ["--csv", "capacity", "--at", "2018-10-15", "--by", "level"]),
    ("capacity-2018-10-15-by-target-group.jsonl", "planner",
     ["--json", "capacity", "--at", "2018-10-15", "--by", "target-group"]),
    ("capacity-2018-06-01-by-offer.csv", "planner", ["--csv", "capacity", "--at", "2018-06-01", "--by", "offer"]),
    ("capacity-2018-12-12-by-offer.jsonl", "planner", ["--json", "capacity", "--at", "2018-12-12", "--by", "offer"]),
    ("capacity-2019-02-01-by-region-level-operator.jsonl", "planner",
     ["--json", "capacity", "--at", "2019-02-01", "--by", "region,level,operator"]),
    ("capacity-of-fx-havly-2018-12-12.jsonl", "planner", ["--json", "capacity-of", "fx-havly", "--at", "2018-12-12"]),
    # occupancy over periods
    ("occupancy-2018-by-offer.jsonl", "planner",
     ["--json", "occupancy", "--from", "2018-01-01", "--to", "2019-01-01", "--by", "offer"]),
    ("occupancy-2018-by-region-target-group.csv", "planner",
     ["--csv", "occupancy", "--from", "2018-01-01", "--to", "2019-01-01", "--by", "region,target-group"]),
    ("occupancy-2018h2-by-level.jsonl", "planner",
     ["--json", "occupancy", "--from", "2018-07-01", "--to", "2019-01-01", "--by", "level"]),
    # waiting lists (the oldest request's age is counted to --at from its stored requested_at)
    ("waiting-2018-10-15.jsonl", "planner", ["--json", "waiting", "--at", "2018-10-15"]),
    ("waiting-2027-01-01.jsonl", "planner", ["--json", "waiting", "--at", "2027-01-01"]),
    # financing over periods, every grouping, and what-if models
    ("financing-2018-by-municipality.jsonl", "planner",
     ["--json", "financing", "--from", "2018-01-01", "--to", "2019-01-01", "--by", "municipality"]),
    ("financing-2018-by-region.jsonl", "planner",
     ["--json", "financing", "--from", "2018-01-01", "--to", "2019-01-01", "--by", "region"]),
    ("financing-2018-by-offer.jsonl", "planner",
     ["--json", "financing", "--from", "2018-01-01", "--to", "2019-01-01", "--by", "offer"]),
    ("financing-2018-by-total.jsonl", "planner",
     ["--json", "financing", "--from", "2018-01-01", "--to", "2019-01-01", "--by", "total"]),
    ("financing-2018q4-by-municipality.csv", "planner",
     ["--csv", "financing", "--from", "2018-10-01", "--to", "2019-01-01", "--by", "municipality"]),
    ("what-if-sp-sjaelland-takst-by-total.jsonl", "planner",
     ["--json", "what-if", "--from", "2018-01-01", "--to", "2019-01-01", "--offer", "demo-sp-sjaelland",
      "--model", "TAKST", "--by", "total"]),
    ("what-if-havly-mixed-by-municipality.jsonl", "planner",
     ["--json", "what-if", "--from", "2018-01-01", "--to", "2019-01-01", "--offer", "fx-havly",
      "--model", "MIXED", "--objective-share-bp", "7000", "--by", "municipality"]),
    ("what-if-solbakken-daily-rate-by-offer.jsonl", "planner",
     ["--json", "what-if", "--from", "2018-01-01", "--to", "2019-01-01", "--offer", "demo-solbakken",
      "--daily-ore", "300000", "--by", "offer"]),
    # settlement
    ("settlement-2018-10.jsonl", "auditor", ["--json", "settlement", "--month", "2018-10", "--as-of-date", "2018-11-15"]),
    ("settlement-2018-12-late-101.jsonl", "auditor",
     ["--json", "settlement", "--month", "2018-12", "--as-of-date", "2020-01-15", "--municipality", "101"]),
    # time travel: the views as of earlier log positions (200 and 250: mid-demo; 320: after the
    # planning inputs and the fixture's offers; 343: before the erasure; 349: fx-08 allocated a
    # place, before its reservation lapsed at 350)
    ("as-of-250-capacity-2018-10-15-by-region.jsonl", "planner",
     ["--json", "capacity", "--at", "2018-10-15", "--by", "region", "--as-of", "250"]),
    ("as-of-200-occupancy-2018-by-offer.jsonl", "planner",
     ["--json", "occupancy", "--from", "2018-01-01", "--to", "2019-01-01", "--by", "offer", "--as-of", "200"]),
    ("as-of-349-capacity-2018-12-12-by-offer.jsonl", "planner",
     ["--json", "capacity", "--at", "2018-12-12", "--by", "offer", "--as-of", "349"]),
    ("as-of-349-waiting-2018-12-12.jsonl", "planner", ["--json", "waiting", "--at", "2018-12-12", "--as-of", "349"]),
    ("as-of-320-financing-2018-by-total.jsonl", "planner",
     ["--json", "financing", "--from", "2018-01-01", "--to", "2019-01-01", "--by", "total", "--as-of", "320"]),
    ("as-of-343-settlement-2018-11.jsonl", "auditor",
     ["--json", "settlement", "--month", "2018-11", "--as-of-date", "2018-12-15", "--as-of", "343"]),
    ("audit-replay-250-2018-10-15.jsonl", "auditor", ["--json", "audit", "replay", "--to-position", "250", "--at", "2018-10-15"]),
    ("audit-replay-349-2018-12-12.jsonl", "auditor", ["--json", "audit", "replay", "--to-position", "349", "--at", "2018-12-12"]),
    # the offers' and placements' read model (the erased citizen's placement fx-05 included)
    ("offers-list-include-closed.jsonl", "planner", ["--json", "offers", "list", "--include-closed"]),
    ("offers-show-fx-lyngen.jsonl", "planner", ["--json", "offers", "show", "fx-lyngen"]),
    ("placements-all.jsonl", "caseworker:*", ["--json", "placements"]),
    ("placement-fx-05.jsonl", "caseworker:751", ["--json", "placement", "fx-05"]),
    ("placement-fx-08.jsonl", "caseworker:101", ["--json", "placement", "fx-08"]),
    # the log itself
    # (the export first: the head and verify after the merger are checked against its last event)
    ("audit-export.jsonl", "auditor", ["audit", "export"]),
    ("audit-head.jsonl", "auditor", ["--json", "audit", "head"]),
    ("audit-verify.jsonl", "auditor", ["--json", "audit", "verify"]),
    ("audit-verify-100-200.jsonl", "auditor", ["--json", "audit", "verify", "--from", "100", "--to", "200"]),
]

# The outputs of the log itself, which the merger extends (see the docstring).
LOG_OUTPUTS = ("audit-head.jsonl", "audit-verify.jsonl", "audit-export.jsonl")
MERGER_REGIONS = (1084, 1085)
MERGER_MUNICIPALITIES = 29 + 17

RUNS = [
    ("fixture", []),
    ("log-only", ["--ignore-snapshots"]),
    ("own-snapshot", []),
]

MAX_DIFF_LINES = 80


class Failures:
    def __init__(self):
        self.items = []

    def add(self, run, what, detail=""):
        self.items.append((run, what))
        print("FAIL [%s] %s" % (run, what))
        if detail:
            print(detail.rstrip("\n"))
        sys.stdout.flush()


class Server:
    """One placementd process on the copy of the fixture."""

    def __init__(self, options, work, run, extra):
        self.log_path = os.path.join(work, "placementd-%s.log" % run)
        self.ready = os.path.join(work, "ready-%s" % run)
        command = [options.placementd, "--data", os.path.join(work, "data"), "--listen", "127.0.0.1:0",
                   "--admin-listen", "", "--ready-file", self.ready] + extra + options.server_arg
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.address = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("placementd exited with %d before it was ready:\n%s"
                                   % (self.process.returncode, self.output()))
            if os.path.exists(self.ready):
                with open(self.ready) as f:
                    first = f.readline().strip()
                if first:
                    self.address = first
                    return
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("placementd was not ready within 120 s:\n" + self.output())

    def output(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self):
        """SIGTERM; the exit code (None when it had to be killed)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()
            code = None
        self.log.close()
        return code

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


# placectl's settings from the environment (PLACEMENT_TOKEN, PLACEMENT_ROLE, ...) would mix with
# the ones given here (--token and --as together are refused): run it without them.
PLACECTL_ENV = {k: v for k, v in os.environ.items() if not k.startswith("PLACEMENT_")}


def municipality_codes(options):
    reference = os.path.join(options.fixture, "..", "..", "..", "deploy", "reference", "municipalities.csv")
    with open(reference, encoding="utf-8") as f:
        return [int(row["municipality_code"]) for row in csv.DictReader(f)]


def placectl(options, work, address, role, arguments):
    role, _, scope = role.partition(":")
    if scope == "*":
        # Every municipality's caseworker in turn; their lists merged in placement id order.
        runs = [placectl(options, work, address, "%s:%d" % (role, code), arguments)
                for code in municipality_codes(options)]
        failed = [run for run in runs if run.returncode != 0]
        if failed:
            return failed[0]
        lines = [line for run in runs for line in run.stdout.splitlines(keepends=True) if line.strip()]
        lines.sort(key=lambda line: json.loads(line)["placement_id"])
        return subprocess.CompletedProcess(runs[0].args, 0, b"".join(lines), b"")
    command = [options.placectl, "--server", address, "--secret-file", os.path.join(work, "data.token-secret"),
               "--as", role, "--subject", "upgrade-test"]
    if scope:
        command += ["--operator" if role == "operator" else "--municipality", scope]
    return subprocess.run(command + arguments, capture_output=True, timeout=120, env=PLACECTL_ENV)


def unified_diff(expected, actual, name):
    lines = list(difflib.unified_diff(expected.decode("utf-8", "replace").splitlines(keepends=True),
                                      actual.decode("utf-8", "replace").splitlines(keepends=True),
                                      fromfile="expected/" + name, tofile="actual/" + name, n=1))
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines[:MAX_DIFF_LINES])
    if len(lines) > MAX_DIFF_LINES:
        text += "... (%d more diff lines)\n" % (len(lines) - MAX_DIFF_LINES)
    if not text:  # the same text once decoded: bytes that are not UTF-8, or line endings
        text = "the bytes differ (%d expected, %d actual) but not the decoded lines\n" % (len(expected), len(actual))
    return text


def copy_fixture(fixture, work):
    for name in FIXTURE_FILES:
        source = os.path.join(fixture, name)
        if not os.path.exists(source):
            raise RuntimeError("the fixture has no " + source)
        target = os.path.join(work, name)
        if os.path.isdir(source):
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    # git keeps no modes: give the secrets and the key store the modes placementd makes them with.
    os.chmod(os.path.join(work, "data.token-secret"), 0o600)
    os.chmod(os.path.join(work, "data.pseudonym-key"), 0o600)
    os.chmod(os.path.join(work, "data.citizen-keys"), 0o700)


def how_it_started(log):
    """The server's own words on where its read model came from (a snapshot, or the log)."""
    said = [line.split(" info ", 1)[-1] for line in log.splitlines()
            if "starting from the snapshot" in line or "replayed " in line or "snapshot" in line and "ignor" in line]
    return "; ".join(said) if said else "(placementd did not say how it started)"


def merger_offers(expected_dir):
    """The fixture's offers operated by a merged region (they pass to the new one)."""
    with open(os.path.join(expected_dir, "offers-list-include-closed.jsonl"), encoding="utf-8") as f:
        return sum(1 for line in f if line.strip() and json.loads(line)["operator"] in MERGER_REGIONS)


def expected_after_merger(name, expected, expected_dir):
    """The golden output as the merger changes it (see the docstring); unchanged for most."""
    with open(os.path.join(expected_dir, "audit-head.jsonl")) as f:
        old_head = json.loads(f.readline())["position"]
    new_head = old_head + 1 + MERGER_MUNICIPALITIES + merger_offers(expected_dir) + len(MERGER_REGIONS)
    text = expected.replace(b'"position":%d}' % old_head, b'"position":%d}' % new_head)
    if name == "waiting-2027-01-01.jsonl":
        lines = text.split(b"\n")
        for i, line in enumerate(lines):
            if line.startswith(b'{"offer_id":"fx-havly",'):
                lines[i] = line.replace(b'"operator":1084,"region":1084', b'"operator":1086,"region":1086')
        text = b"\n".join(lines)
    return text


def check_log_output(name, expected, actual, expected_dir, appended):
    """None when `actual` is the fixture's log (`expected`) followed by the merger, else what differs.
    `appended` keeps the merger's export lines of the first run, which later runs must repeat."""
    with open(os.path.join(expected_dir, "audit-head.jsonl")) as f:
        old_head = json.loads(f.readline())
    merger_events = 1 + MERGER_MUNICIPALITIES + merger_offers(expected_dir) + len(MERGER_REGIONS)
    if name == "audit-export.jsonl":
        if not actual.startswith(expected):
            return "the fixture's events are not its export's first %d bytes" % len(expected)
        tail = actual[len(expected):]
        if appended.setdefault("export", tail) != tail:
            return "the merger's events differ from the first run's: it was written again"
        events = [json.loads(line) for line in tail.decode("utf-8").splitlines() if line.strip()]
        types = [e["event_type"] for e in events]
        wanted = (["RegionEstablished"] + ["MunicipalityRegionChanged"] * MERGER_MUNICIPALITIES +
                  ["OfferOperatorChanged"] * merger_offers(expected_dir) + ["RegionCeased"] * len(MERGER_REGIONS))
        if types != wanted:
            return "after the fixture's events: %s, expected the merger's %d events" % (types[:6], len(wanted))
        if [e["position"] for e in events] != list(range(old_head["position"] + 1, old_head["position"] + 1 + len(wanted))):
            return "the merger's events are not at the positions after the fixture's head"
        if any(e["actor"]["role"] != "system" or e["actor"]["subject"] != "placementd" for e in events):
            return "the merger was not written by placementd's system actor"
        appended["head"] = {"position": events[-1]["position"], "hash": events[-1]["hash"]}
        return None
    head = appended.get("head")
    if head is None:
        return "checked before audit-export.jsonl"
    if head["position"] != old_head["position"] + merger_events:
        return "the head is at %d, expected %d" % (head["position"], old_head["position"] + merger_events)
    got = json.loads(actual.decode("utf-8").splitlines()[0])
    if name == "audit-head.jsonl":
        return None if got == head else "head %s, expected %s" % (got, head)
    want = json.loads(expected.decode("utf-8").splitlines()[0])
    want["to"] = head["position"]
    for side in ("server", "client"):
        want[side]["events_checked"] = head["position"]
        want[side]["head_hash"] = head["hash"]
    return None if got == want else "verify %s, expected %s" % (got, want)


def check_run(options, work, run, extra, record, failures, appended):
    expected_dir = os.path.join(options.fixture, "expected")
    server = Server(options, work, run, extra)
    try:
        equal = 0
        for name, role, arguments in COMMANDS:
            done = placectl(options, work, server.address, role, arguments)
            shown = "placectl --as %s %s" % (role, " ".join(arguments))
            if done.returncode != 0:
                failures.add(run, "%s: `%s` exited with %d" % (name, shown, done.returncode),
                             done.stderr.decode("utf-8", "replace"))
                continue
            if not done.stdout:
                failures.add(run, "%s: `%s` printed nothing" % (name, shown))
                continue
            golden = os.path.join(expected_dir, name)
            if record:
                os.makedirs(expected_dir, exist_ok=True)
                with open(golden, "wb") as f:
                    f.write(done.stdout)
                equal += 1
                continue
            if not os.path.exists(golden):
                failures.add(run, "%s: no golden file %s" % (name, golden))
                continue
            with open(golden, "rb") as f:
                expected = f.read()
            if name in LOG_OUTPUTS:
                problem = check_log_output(name, expected, done.stdout, expected_dir, appended)
                if problem is None:
                    equal += 1
                else:
                    failures.add(run, "%s is not the fixture's log and the merger (`%s`): %s" % (name, shown, problem))
            elif expected_after_merger(name, expected, expected_dir) == done.stdout:
                equal += 1
            else:
                failures.add(run, "%s differs from its golden file (`%s`)" % (name, shown),
                             unified_diff(expected_after_merger(name, expected, expected_dir), done.stdout, name))

        # audit verify must also say so with its exit code (0 OK, 3 broken).
        verify = placectl(options, work, server.address, "auditor", ["audit", "verify"])
        if verify.returncode != 0:
            failures.add(run, "`placectl audit verify` exited with %d" % verify.returncode,
                         (verify.stdout + verify.stderr).decode("utf-8", "replace"))
    except BaseException:
        server.kill()
        raise
    code = server.stop()
    if code != 0:
        failures.add(run, "placementd exited with %s after SIGTERM (0 expected)" % code, server.output())
    verb = "recorded" if record else "equal to their golden files"
    print("[%s] %s; %d of %d outputs %s; audit verify exit %d; placementd exit %s after SIGTERM"
          % (run, how_it_started(server.output()), equal, len(COMMANDS), verb, verify.returncode, code))
    sys.stdout.flush()
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--placementd", required=True)
    parser.add_argument("--placectl", required=True)
    parser.add_argument("--fixture", required=True, help="tests/fixtures/upgrade")
    parser.add_argument("--record", action="store_true",
                        help="write expected/ from run 1 (only with the binaries that made the fixture)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (the copy and the server logs)")
    parser.add_argument("--server-arg", action="append", default=[],
                        help="one more placementd argument for every run (may repeat)")
    options = parser.parse_args()
    options.placementd = os.path.abspath(options.placementd)
    options.placectl = os.path.abspath(options.placectl)
    options.fixture = os.path.abspath(options.fixture)

    work = tempfile.mkdtemp(prefix="placement-upgrade-")
    failures = Failures()
    current = "setup"
    try:
        copy_fixture(options.fixture, work)
        appended = {}
        for index, (run, extra) in enumerate(RUNS):
            current = run
            server = check_run(options, work, run, extra, options.record and index == 0, failures, appended)
            if any(r == run for r, _ in failures.items):
                print("[%s] the end of placementd's log:\n%s" % (run, server.output()[-3000:]))
    except Exception as error:  # a server that did not start, a placectl that hung, a missing file
        failures.add(current, "stopped: %s" % error)
    finally:
        if options.keep:
            print("kept " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)

    print()
    if failures.items:
        print("UpgradeFromFixture: FAILED, %d problem(s):" % len(failures.items))
        for run, what in failures.items:
            print("  [%s] %s" % (run, what))
        return 1
    print("UpgradeFromFixture: OK, %d outputs x %d runs (%s) %s, audit verify OK, clean shutdowns"
          % (len(COMMANDS), len(RUNS), ", ".join(r for r, _ in RUNS),
             "recorded and rechecked" if options.record else "byte-identical to the golden files"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
