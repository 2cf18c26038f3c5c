#!/usr/bin/python3
"""A client nobody here wrote the stubs for: Python against the real placementd.

The stubs are generated at test time from protos/ with protoc and the grpc_python_plugin of
Debian's protobuf-compiler-grpc, and the calls go through Debian's python3-grpcio, so this proves the
public API is usable by a third party from the .proto files alone (docs/API.md).

The test starts placementd itself (a fresh data folder in a temp dir, ports chosen by the system),
books a placement through its whole life (request, reserve, admit, discharge), reads an offer's
capacity on both sides of the half-open stay, retries a command, checks the refusals a client must
handle, verifies the hash chain, and stops the server with SIGTERM (exit 0 expected).

    /usr/bin/python3 tests/integration/python/client_scenario_test.py \\
        --placementd build/services/placementd/placementd --protos protos

Standard library (unittest, subprocess, tempfile) plus grpc and protobuf only.
"""

import argparse
import base64
import glob
import hashlib
import hmac
import importlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

try:
    import grpc
except ImportError:  # pragma: no cover - the message is the point
    sys.stderr.write("client_scenario_test: python3-grpcio is not installed (scripts/setup installs it)\n")
    sys.exit(1)

OPTIONS = None  # set in main(): --placementd, --protos

# A valid CPR number of a citizen born 1 January 1990 (7th digit 1: the 1900s). Sent in requests
# only, never printed: no assertion message below includes a request.
CPR = "010190-1234"
OTHER_CPR = "150685-2345"
OFFER = "py-solbakken"


def date(v, year, month, day):
    return v.vocabulary_pb2.CalendarDate(year=year, month=month, day=day)


class Stubs:
    """The generated modules and stubs of one server."""

    def __init__(self, out_dir, channel):
        sys.path.insert(0, out_dir)
        importlib.invalidate_caches()
        self.vocabulary_pb2 = importlib.import_module("placement.v1.vocabulary_pb2")
        self.offer_pb2 = importlib.import_module("placement.v1.offer_service_pb2")
        self.offer_grpc = importlib.import_module("placement.v1.offer_service_pb2_grpc")
        self.placement_pb2 = importlib.import_module("placement.v1.placement_service_pb2")
        self.placement_grpc = importlib.import_module("placement.v1.placement_service_pb2_grpc")
        self.audit_pb2 = importlib.import_module("placement.v1.audit_service_pb2")
        self.audit_grpc = importlib.import_module("placement.v1.audit_service_pb2_grpc")
        self.health_pb2 = importlib.import_module("placement_health.health_pb2")
        self.health_grpc = importlib.import_module("placement_health.health_pb2_grpc")
        self.health = self.health_grpc.HealthStub(channel)
        self.offers = self.offer_grpc.OfferServiceStub(channel)
        self.placements = self.placement_grpc.PlacementServiceStub(channel)
        self.audit = self.audit_grpc.AuditServiceStub(channel)


def well_known_include():
    """The folder holding google/protobuf/timestamp.proto (Debian: /usr/include, from libprotobuf-dev)."""
    for folder in ("/usr/include", "/usr/local/include"):
        if os.path.isfile(os.path.join(folder, "google", "protobuf", "timestamp.proto")):
            return folder
    raise RuntimeError("google/protobuf/timestamp.proto not found in /usr/include or /usr/local/include "
                       "(install libprotobuf-dev)")


def generate_stubs(protos, out_dir):
    # Debian's protoc (protobuf-compiler) matches Debian's python3-protobuf; another protoc on PATH
    # might generate code that runtime cannot load.
    plugin = "/usr/bin/grpc_python_plugin"
    protoc = "/usr/bin/protoc" if os.path.exists("/usr/bin/protoc") else shutil.which("protoc")
    if not os.path.exists(plugin):
        raise RuntimeError(plugin + " is missing (install protobuf-compiler-grpc)")
    sources = sorted(glob.glob(os.path.join(protos, "placement", "v1", "*.proto")))
    if not sources:
        raise RuntimeError("no .proto files under " + os.path.join(protos, "placement", "v1"))
    command = [protoc, "--python_out=" + out_dir, "--grpc_out=" + out_dir,
               "--plugin=protoc-gen-grpc=" + plugin, "-I", protos, "-I", well_known_include()] + sources
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("protoc failed (%d):\n%s" % (done.returncode, done.stderr))

    # The standard health protocol (package grpc.health.v1). Its file is placed under another
    # folder name so the generated module does not collide with the grpc package itself; the
    # service name on the wire comes from the proto package and is unchanged.
    health_src = os.path.join(out_dir, "..", "health_src", "placement_health")
    os.makedirs(health_src, exist_ok=True)
    shutil.copy(os.path.join(protos, "grpc", "health", "v1", "health.proto"), health_src)
    command = [protoc, "--python_out=" + out_dir, "--grpc_out=" + out_dir, "--plugin=protoc-gen-grpc=" + plugin,
               "-I", os.path.dirname(health_src), os.path.join(health_src, "health.proto")]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("protoc failed on health.proto (%d):\n%s" % (done.returncode, done.stderr))


# The server's token secret for this run, written to its --token-secret-file (one hex line).
TOKEN_SECRET = secrets.token_bytes(32)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_token(claims, secret=TOKEN_SECRET):
    """A JWT signed with HS256, made with the standard library only: what any client can do."""
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(claims).encode())
    signature = hmac.new(secret, (header + "." + body).encode("ascii"), hashlib.sha256).digest()
    return header + "." + body + "." + b64url(signature)


def identity(role, subject=None, municipality=None, secret=TOKEN_SECRET, age=0, lifetime=3600, operator=None):
    """The caller's bearer token as gRPC metadata (docs/SECURITY.md, docs/API.md), issued `age` seconds ago."""
    issued = int(time.time()) - age
    claims = {"sub": subject or "py-" + role, "role": role, "aud": "placementd", "iat": issued,
              "exp": issued + lifetime}
    if municipality is not None:
        claims["municipality"] = municipality
    if operator is not None:
        claims["operator"] = operator
    return [("authorization", "Bearer " + make_token(claims, secret))]


ADMIN = identity("admin")
OPERATOR_1084 = identity("operator", operator=1084)
AUDITOR = identity("auditor")
CASEWORKER_101 = identity("caseworker", "py-caseworker-101", 101)
CASEWORKER_147 = identity("caseworker", "py-caseworker-147", 147)


class PythonClientScenario(unittest.TestCase):
    """One server for the class; the numbered tests run in order and build on each other."""

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="placement-python-")
        cls.log_path = os.path.join(cls.work, "placementd.log")
        cls.server = None
        cls.channel = None
        cls.log = None
        # Runs even when setUpClass fails half-way (unlike tearDownClass).
        cls.addClassCleanup(cls.clean_up)
        stub_dir = os.path.join(cls.work, "stubs")
        os.makedirs(stub_dir)
        generate_stubs(OPTIONS.protos, stub_dir)

        ready = os.path.join(cls.work, "ready")
        secret_file = os.path.join(cls.work, "token-secret")
        with open(os.open(secret_file, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            f.write(TOKEN_SECRET.hex() + "\n")
        cls.log = open(cls.log_path, "wb")
        cls.server = subprocess.Popen(
            [OPTIONS.placementd, "--data", os.path.join(cls.work, "data"), "--listen", "127.0.0.1:0",
             "--admin-listen", "127.0.0.1:0", "--ready-file", ready, "--token-secret-file", secret_file],
            stdout=cls.log, stderr=subprocess.STDOUT)
        cls.address = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if cls.server.poll() is not None:
                raise RuntimeError("placementd exited with %d before it was ready:\n%s"
                                   % (cls.server.returncode, cls.server_output()))
            if os.path.exists(ready):
                with open(ready) as f:
                    first = f.readline().strip()
                if first:
                    cls.address = first
                    break
            time.sleep(0.05)
        if cls.address is None:
            raise RuntimeError("placementd was not ready within 60 s:\n" + cls.server_output())
        cls.channel = grpc.insecure_channel(cls.address)
        grpc.channel_ready_future(cls.channel).result(timeout=30)
        cls.v = Stubs(stub_dir, cls.channel)

    @classmethod
    def clean_up(cls):
        if cls.channel is not None:
            cls.channel.close()
        if cls.server is not None and cls.server.poll() is None:
            cls.server.kill()
            cls.server.wait()
        if cls.log is not None:
            cls.log.close()
        shutil.rmtree(cls.work, ignore_errors=True)

    @classmethod
    def server_output(cls):
        try:
            with open(cls.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-4000:]
        except OSError:
            return ""

    # ---- helpers ----

    def capacity(self, year, month, day):
        v = self.v
        return v.offers.GetCapacity(v.offer_pb2.GetCapacityRequest(offer_id=OFFER, date=date(v, year, month, day)),
                                    metadata=CASEWORKER_101, timeout=30)

    def assert_counts(self, counts, open_places, occupied, reserved, vacant, waiting=0, when=""):
        self.assertEqual((counts.open, counts.occupied, counts.reserved, counts.vacant, counts.waiting),
                         (open_places, occupied, reserved, vacant, waiting),
                         "capacity %s as (open, occupied, reserved, vacant, waiting)" % when)

    def assert_refused(self, code, call, *args, **kwargs):
        with self.assertRaises(grpc.RpcError) as caught:
            call(*args, timeout=30, **kwargs)
        self.assertEqual(caught.exception.code(), code, caught.exception.details())
        # A refusal never echoes the CPR number back.
        self.assertNotIn(CPR, caught.exception.details() or "")
        return caught.exception

    # ---- the scenario, in order ----

    def test_0_health_says_serving(self):
        v = self.v
        answer = v.health.Check(v.health_pb2.HealthCheckRequest(service=""), timeout=30)
        self.assertEqual(answer.status, v.health_pb2.HealthCheckResponse.SERVING)

    def test_1_register_offer_with_capacity_and_rate(self):
        v = self.v
        register = v.offer_pb2.RegisterOfferRequest(
            command_id="py-register-1", offer_id=OFFER, name="Botilbud Solbakken", operator_code=1084,
            level=v.vocabulary_pb2.SPECIALISATION_LEVEL_MODERAT,
            target_groups=[v.vocabulary_pb2.TARGET_GROUP_MULTIPLE_DISABILITIES,
                           v.vocabulary_pb2.TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR],
            service_type=v.vocabulary_pb2.SERVICE_TYPE_DOGN, paragraph_of_law="SEL § 108",
            catchment_region_code=1084,
            financing=v.vocabulary_pb2.Financing(model=v.vocabulary_pb2.FINANCING_MODEL_TAKST))
        result = v.offers.RegisterOffer(register, metadata=OPERATOR_1084, timeout=30)
        self.assertFalse(result.duplicate)
        self.assertGreater(result.first_position, 1, "position 1 is the reference data")
        # Region 1084's offer, and the record that it passes to Region Østdanmark on 2027-01-01.
        self.assertEqual(result.first_position + 1, result.last_position)

        capacity = v.offers.ChangeCapacity(v.offer_pb2.ChangeCapacityRequest(
            command_id="py-capacity-1", offer_id=OFFER, effective_from=date(v, 2031, 1, 1), places=2),
            metadata=OPERATOR_1084, timeout=30)
        self.assertEqual(capacity.first_position, result.last_position + 1)
        v.offers.SetRate(v.offer_pb2.SetRateRequest(
            command_id="py-rate-1", offer_id=OFFER, effective_from=date(v, 2031, 1, 1), daily_rate_ore=250000),
            metadata=OPERATOR_1084, timeout=30)

        offer = v.offers.GetOffer(v.offer_pb2.GetOfferRequest(offer_id=OFFER), metadata=CASEWORKER_101, timeout=30)
        self.assertEqual(offer.name, "Botilbud Solbakken")
        self.assertEqual(offer.region_code, 1084)
        self.assertEqual(len(offer.target_groups), 2)
        self.assertEqual([(c.effective_from.year, c.places) for c in offer.capacity], [(2031, 2)])
        self.assertEqual([r.rate.daily_rate_ore for r in offer.rates], [250000])

        # A second registration of the same offer id under a new command id is a conflict.
        register.command_id = "py-register-2"
        self.assert_refused(grpc.StatusCode.ALREADY_EXISTS, v.offers.RegisterOffer, register, metadata=OPERATOR_1084)
        self.assert_counts(self.capacity(2031, 2, 1), 2, 0, 0, 2, when="before any placement")

    def test_2_request_is_idempotent_by_command_id(self):
        v = self.v
        request = v.placement_pb2.RequestPlacementRequest(
            command_id="py-request-1", placement_id="py-p1", cpr=CPR, paying_municipality_code=101, offer_id=OFFER,
            level=v.vocabulary_pb2.SPECIALISATION_LEVEL_MODERAT,
            target_group=v.vocabulary_pb2.TARGET_GROUP_MULTIPLE_DISABILITIES, requested_start=date(v, 2031, 2, 1))
        first = v.placements.RequestPlacement(request, metadata=CASEWORKER_101, timeout=30)
        self.assertFalse(first.result.duplicate)
        self.assertEqual(first.placement.status, v.placement_pb2.PLACEMENT_STATUS_REQUESTED)
        self.assertEqual(first.placement.placement_id, "py-p1")
        self.assertEqual(first.placement.paying_municipality_code, 101)
        self.assertEqual(first.placement.age_at_start, 41)
        self.assertTrue(first.placement.HasField("requested_at"))

        again = v.placements.RequestPlacement(request, metadata=CASEWORKER_101, timeout=30)
        self.assertTrue(again.result.duplicate, "a retry with the same command id must answer duplicate")
        self.assertEqual((again.result.first_position, again.result.last_position),
                         (first.result.first_position, first.result.last_position))

    def test_3_refusals_a_client_must_handle(self):
        v = self.v
        get = v.placement_pb2.GetPlacementRequest(placement_id="py-p1")
        # No identity at all.
        self.assert_refused(grpc.StatusCode.UNAUTHENTICATED, v.placements.GetPlacement, get)
        # A token signed with another secret, an expired one, and identity metadata without a token.
        self.assert_refused(grpc.StatusCode.UNAUTHENTICATED, v.placements.GetPlacement, get,
                            metadata=identity("admin", secret=secrets.token_bytes(32)))
        self.assert_refused(grpc.StatusCode.UNAUTHENTICATED, v.placements.GetPlacement, get,
                            metadata=identity("admin", age=7200, lifetime=3600))
        self.assert_refused(grpc.StatusCode.UNAUTHENTICATED, v.placements.GetPlacement, get,
                            metadata=[("x-placement-subject", "py-admin"), ("x-placement-role", "admin")])
        # Another municipality's caseworker: the answer an unknown id gets.
        self.assert_refused(grpc.StatusCode.NOT_FOUND, v.placements.GetPlacement, get,
                            metadata=CASEWORKER_147)
        # A caseworker may not register offers.
        self.assert_refused(grpc.StatusCode.PERMISSION_DENIED, v.offers.CloseOffer,
                            v.offer_pb2.CloseOfferRequest(command_id="py-close-x", offer_id=OFFER,
                                                          **{"from": date(v, 2031, 6, 1)}),
                            metadata=CASEWORKER_101)
        # An impossible CPR number (day 32).
        self.assert_refused(grpc.StatusCode.INVALID_ARGUMENT, v.placements.RequestPlacement,
                            v.placement_pb2.RequestPlacementRequest(
                                command_id="py-request-bad", placement_id="py-bad", cpr="320190-1234",
                                paying_municipality_code=101, offer_id=OFFER,
                                level=v.vocabulary_pb2.SPECIALISATION_LEVEL_MODERAT,
                                target_group=v.vocabulary_pb2.TARGET_GROUP_MULTIPLE_DISABILITIES,
                                requested_start=date(v, 2031, 2, 1)),
                            metadata=CASEWORKER_101)
        # Unknown ids.
        self.assert_refused(grpc.StatusCode.NOT_FOUND, v.offers.GetOffer,
                            v.offer_pb2.GetOfferRequest(offer_id="py-no-such-offer"), metadata=ADMIN)
        self.assert_refused(grpc.StatusCode.NOT_FOUND, v.placements.GetPlacement,
                            v.placement_pb2.GetPlacementRequest(placement_id="py-no-such"), metadata=CASEWORKER_101)
        # Not admitted yet: cannot be discharged.
        self.assert_refused(grpc.StatusCode.FAILED_PRECONDITION, v.placements.DischargePlacement,
                            v.placement_pb2.DischargePlacementRequest(command_id="py-discharge-early",
                                                                      placement_id="py-p1", on=date(v, 2031, 3, 1)),
                            metadata=CASEWORKER_101)

    def test_4_reserve_admit_discharge_and_capacity_is_half_open(self):
        v = self.v
        reserved = v.placements.ReservePlace(
            v.placement_pb2.ReservePlaceRequest(command_id="py-reserve-1", placement_id="py-p1",
                                                **{"from": date(v, 2031, 2, 1)}),
            metadata=CASEWORKER_101, timeout=30)
        self.assertEqual(reserved.placement.status, v.placement_pb2.PLACEMENT_STATUS_RESERVED)
        self.assertEqual(reserved.placement.hold_from, date(v, 2031, 2, 1))
        self.assertTrue(reserved.placement.HasField("hold_expires_at"))
        self.assert_counts(self.capacity(2031, 2, 1), 2, 0, 1, 1, when="on 2031-02-01 while reserved")

        admitted = v.placements.AdmitPlacement(
            v.placement_pb2.AdmitPlacementRequest(command_id="py-admit-1", placement_id="py-p1",
                                                  on=date(v, 2031, 2, 1)),
            metadata=CASEWORKER_101, timeout=30)
        self.assertEqual(admitted.placement.status, v.placement_pb2.PLACEMENT_STATUS_ADMITTED)
        self.assertEqual(admitted.placement.admitted_on, date(v, 2031, 2, 1))
        self.assertGreater(admitted.result.first_position, reserved.result.last_position)

        # A second citizen on the other place, so both places are taken from 2031-02-10.
        second = v.placements.RequestPlacement(v.placement_pb2.RequestPlacementRequest(
            command_id="py-request-2", placement_id="py-p2", cpr=OTHER_CPR, paying_municipality_code=101,
            offer_id=OFFER, level=v.vocabulary_pb2.SPECIALISATION_LEVEL_MODERAT,
            target_group=v.vocabulary_pb2.TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR,
            requested_start=date(v, 2031, 2, 10)), metadata=CASEWORKER_101, timeout=30)
        self.assertEqual(second.placement.age_at_start, 45)
        v.placements.ReservePlace(v.placement_pb2.ReservePlaceRequest(
            command_id="py-reserve-2", placement_id="py-p2", **{"from": date(v, 2031, 2, 10)}),
            metadata=CASEWORKER_101, timeout=30)
        self.assert_counts(self.capacity(2031, 2, 10), 2, 1, 1, 0, when="on 2031-02-10, one admitted one reserved")

        discharged = v.placements.DischargePlacement(
            v.placement_pb2.DischargePlacementRequest(command_id="py-discharge-1", placement_id="py-p1",
                                                      on=date(v, 2031, 3, 1)),
            metadata=CASEWORKER_101, timeout=30)
        self.assertEqual(discharged.placement.status, v.placement_pb2.PLACEMENT_STATUS_DISCHARGED)
        self.assertEqual(discharged.placement.discharged_on, date(v, 2031, 3, 1))
        type(self).last_written = discharged.result.last_position

        # Admitted on 1 February, discharged on 1 March: the place-days 1 February … 28 February.
        self.assert_counts(self.capacity(2031, 1, 31), 2, 0, 0, 2, when="on 2031-01-31, before admission")
        self.assert_counts(self.capacity(2031, 2, 1), 2, 1, 0, 1, when="on 2031-02-01, the admission day")
        self.assert_counts(self.capacity(2031, 2, 28), 2, 1, 1, 0, when="on 2031-02-28, the last day")
        self.assert_counts(self.capacity(2031, 3, 1), 2, 0, 1, 1, when="on 2031-03-01, the discharge day")

        placement = v.placements.GetPlacement(v.placement_pb2.GetPlacementRequest(placement_id="py-p1"),
                                              metadata=CASEWORKER_101, timeout=30)
        self.assertEqual(placement.status, v.placement_pb2.PLACEMENT_STATUS_DISCHARGED)
        listed = v.placements.ListPlacements(v.placement_pb2.ListPlacementsRequest(offer_id=OFFER),
                                             metadata=CASEWORKER_101, timeout=30)
        self.assertEqual(sorted((p.placement_id, p.status) for p in listed.placements),
                         [("py-p1", v.placement_pb2.PLACEMENT_STATUS_DISCHARGED),
                          ("py-p2", v.placement_pb2.PLACEMENT_STATUS_RESERVED)])

        # Discharging twice is refused; the same discharge retried is a duplicate.
        self.assert_refused(grpc.StatusCode.FAILED_PRECONDITION, v.placements.DischargePlacement,
                            v.placement_pb2.DischargePlacementRequest(command_id="py-discharge-2",
                                                                      placement_id="py-p1", on=date(v, 2031, 3, 2)),
                            metadata=CASEWORKER_101)
        retried = v.placements.DischargePlacement(
            v.placement_pb2.DischargePlacementRequest(command_id="py-discharge-1", placement_id="py-p1",
                                                      on=date(v, 2031, 3, 1)),
            metadata=CASEWORKER_101, timeout=30)
        self.assertTrue(retried.result.duplicate)
        self.assertEqual(retried.result.first_position, discharged.result.first_position)

    def test_5_the_chain_verifies(self):
        v = self.v
        head = v.audit.GetHead(v.audit_pb2.GetHeadRequest(), metadata=AUDITOR, timeout=30)
        # Nothing was written after the discharge: refusals and retries write nothing.
        self.assertEqual(head.position, type(self).last_written)
        self.assertEqual(len(head.hash), 32)
        verdict = v.audit.VerifyChain(v.audit_pb2.VerifyChainRequest(from_position=1), metadata=AUDITOR, timeout=60)
        self.assertTrue(verdict.ok, verdict.problem)
        self.assertEqual(verdict.events_checked, head.position)
        self.assertEqual(verdict.head_hash, head.hash)
        events = list(v.audit.StreamEvents(v.audit_pb2.StreamEventsRequest(from_position=1),
                                           metadata=AUDITOR, timeout=60))
        self.assertEqual([e.envelope.position for e in events], list(range(1, head.position + 1)))
        # Caseworkers may not read the log.
        self.assert_refused(grpc.StatusCode.PERMISSION_DENIED, v.audit.VerifyChain,
                            v.audit_pb2.VerifyChainRequest(from_position=1), metadata=CASEWORKER_101)

    def test_9_stops_cleanly_on_sigterm(self):
        self.channel.close()
        type(self).channel = None
        self.server.send_signal(signal.SIGTERM)
        try:
            code = self.server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
            self.fail("placementd did not stop within 60 s of SIGTERM")
        self.assertEqual(code, 0, "placementd exit status after SIGTERM\n" + self.server_output())
        self.assertNotIn(CPR, self.server_output(), "the server logged a CPR number")
        self.assertNotIn(OTHER_CPR, self.server_output(), "the server logged a CPR number")


def main():
    global OPTIONS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--placementd", required=True, help="the placementd binary under test")
    parser.add_argument("--protos", required=True, help="the protos/ folder of the repository")
    OPTIONS, rest = parser.parse_known_args()
    OPTIONS.placementd = os.path.abspath(OPTIONS.placementd)
    OPTIONS.protos = os.path.abspath(OPTIONS.protos)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
