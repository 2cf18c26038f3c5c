#!/usr/bin/python3
"""The planners' dashboard in a real browser: Debian's chromium, headless, driven by Debian's
python3-selenium through chromium-driver, against the real placementd with the demo scenario.

It starts placementd (fresh data folder, ports chosen by the system, --web-listen 127.0.0.1:0),
loads `placectl demo` through gRPC, signs in on the page with a planner's token and checks:
  - the heat maps, the occupancy, waiting-list and vacancy-bill tables show the figures that the
    gRPC views answer (queried with placectl --json, i.e. over gRPC);
  - a committed event (a capacity change written with placectl) shows on the page within a second,
    without a reload, and the page says it is live;
  - time travel: the slider at an earlier position shows that position's figures;
  - the planner's page holds no placement id (every id the auditor's export of the log names);
  - a request without a token is refused (401, no data) and a caseworker's token too (403);
  - a non-loopback --web-listen without TLS makes placementd refuse to start;
  - with the server's certificate (--tls-cert/--tls-key, made here by openssl from a throw-away CA)
    the dashboard speaks only TLS 1.2 or later, on loopback too: a client that trusts only that CA
    verifies it, a plaintext request and a TLS 1.1 client get nothing, and Chromium, trusting that
    one key, shows the page and the same heat map over HTTPS.
With --screenshots DIR it saves one PNG per page (docs/dashboard-*.png).

    /usr/bin/python3 tests/integration/web/dashboard_browser_test.py \\
        --placementd build/services/placementd/placementd --placectl build/clients/placectl/placectl
"""

import argparse
import json
import base64
import http.client
import hashlib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import warnings

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:  # pragma: no cover - the message is the point
    sys.stderr.write("dashboard_browser_test: python3-selenium is not installed (scripts/setup installs it)\n")
    sys.exit(1)

OPTIONS = None
DATE = "2018-10-15"
FROM, TO = "2018-01-01", "2019-01-01"
LEVEL = {"LET": 1, "MODERAT": 2, "HOJT": 3}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1400,1800"]


class Server:
    """placementd on loopback with the dashboard, and placectl against it."""

    def __init__(self, folder, extra=(), client=()):
        self.folder = folder
        self.client = list(client)  # placectl's global options for this server (e.g. --tls-ca)
        self.data = os.path.join(folder, "data")
        self.secret = self.data + ".token-secret"
        ready = os.path.join(folder, "ready")
        self.log = open(os.path.join(folder, "placementd.log"), "wb")
        self.process = subprocess.Popen(
            [OPTIONS.placementd, "--data", self.data, "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
             "--web-listen", "127.0.0.1:0", "--ready-file", ready, *extra],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if os.path.exists(ready):
                lines = open(ready).read().splitlines()
                if len(lines) >= 3 and lines[2]:
                    self.address, self.url = lines[0], lines[2]
                    return
            if self.process.poll() is not None:
                raise RuntimeError("placementd exited: " + open(self.log.name).read())
            time.sleep(0.05)
        raise RuntimeError("placementd not ready")

    def placectl(self, *args, role="planner"):
        command = [OPTIONS.placectl, "--server", self.address, "--as", role, "--secret-file", self.secret,
                   *self.client, *args]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout

    def rows(self, *args, role="planner"):
        """The rows placectl prints with --json, without a total row (the one whose group key is null)."""
        rows = [json.loads(line) for line in self.placectl(*args, "--json", role=role).splitlines() if line.strip()]
        keys = ("region", "level", "target_group", "offer_id", "municipality")
        return [r for r in rows if not any(k in r and r[k] is None for k in keys)]

    def token(self, role, municipality=None):
        args = ["token", "issue", "--role", role, "--subject", "browser-test", "--ttl", "1h", "--secret-file", self.secret]
        if municipality:
            args += ["--municipality", str(municipality)]
        return subprocess.run([OPTIONS.placectl, *args], check=True, capture_output=True, text=True).stdout.strip()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=60)
        self.log.close()
        return code


def http_get(url, token=None, context=None):
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def start_chromium(folder, extra_flags=()):
    options = webdriver.ChromeOptions()
    options.binary_location = OPTIONS.chromium
    for flag in CHROMIUM_FLAGS + ["--user-data-dir=" + os.path.join(folder, "chromium-profile"), *extra_flags]:
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(OPTIONS.chromedriver), options=options)
    browser.set_page_load_timeout(30)
    return browser


def sign_in(browser, url, token):
    """Opens the page, signs in with the token and waits for the capacity heat map; returns the wait."""
    browser.get(url)
    wait = WebDriverWait(browser, 20, poll_frequency=0.02)
    wait.until(lambda b: b.find_element(By.ID, "signin").is_displayed())
    browser.find_element(By.ID, "token").send_keys(token)
    browser.find_element(By.CSS_SELECTOR, "#signin-form button").click()
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#heat-level td[data-open]"))
    return wait


class DashboardInTheBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="dashboard-test-")
        cls.server = Server(cls.folder)
        cls.server.placectl("demo", role="admin")
        cls.planner = cls.server.token("planner")
        cls.browser = start_chromium(cls.folder)
        cls.wait = sign_in(cls.browser, cls.server.url, cls.planner)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        code = cls.server.stop()
        shutil.rmtree(cls.folder, ignore_errors=True)
        assert code == 0, f"placementd exited {code}"

    # ---- helpers ----
    def tab(self, name, ready_selector):
        self.browser.find_element(By.CSS_SELECTOR, f'#tabs button[data-tab="{name}"]').click()
        self.wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, ready_selector))
        self.wait.until(lambda b: not b.execute_script("return state.loading"))

    def stamp_position(self):
        return int(self.browser.find_element(By.ID, "stamp").get_attribute("data-position") or 0)

    def table_rows(self, name):
        return self.browser.execute_script(
            "return [...document.querySelectorAll(`table[data-table='${arguments[0]}'] tbody tr`)]"
            ".map(tr => [...tr.cells].map(td => td.textContent));", name)

    def heat_cells(self, field):
        attribute = "level" if field == "level" else "group"
        return self.browser.execute_script(
            "return [...document.querySelectorAll(`#heat-${arguments[0]} td[data-open]`)]"
            ".map(td => [Number(td.dataset.region), Number(td.dataset[arguments[1]]), Number(td.dataset.open),"
            " Number(td.dataset.vacant)]);", "level" if field == "level" else "group", attribute)

    def screenshot(self, name):
        if OPTIONS.screenshots:
            os.makedirs(OPTIONS.screenshots, exist_ok=True)
            self.browser.save_screenshot(os.path.join(OPTIONS.screenshots, f"dashboard-{name}.png"))

    # ---- the tests, in order (unittest sorts by name) ----
    def test_1_heat_maps_equal_the_grpc_capacity_view(self):
        self.tab("capacity", "#heat-level td[data-open]")
        for by, field, key in (("region,level", "level", "level"), ("region,target-group", "group", "target_group")):
            expected = sorted((r["region"], LEVEL.get(r[key], r[key]), r["open"], r["vacant"])
                              for r in self.server.rows("capacity", "--at", DATE, "--by", by))
            shown = sorted(tuple(cell) for cell in self.heat_cells(field))
            self.assertEqual(len(shown), len(expected), by)
            self.assertEqual([s[2:] for s in shown], [e[2:] for e in expected], by)
        self.assertIn("pr. logposition", self.browser.find_element(By.ID, "stamp").text)
        self.assertIn("registreret", self.browser.find_element(By.ID, "stamp").text)
        self.screenshot("capacity")

    def test_2_a_cell_opens_its_offers(self):
        self.tab("capacity", "#heat-level td[data-open]")
        cell = self.browser.find_element(By.CSS_SELECTOR, '#heat-level td[data-region="1084"][data-level="3"]')
        cell.click()
        rows = self.table_rows("tilbud")
        self.assertEqual([r[0] for r in rows], ["demo-sp-hovedstaden"])
        self.assertIn("Særlige pladser", rows[0][1])
        capacity = self.server.rows("capacity-of", "demo-sp-hovedstaden", "--at", DATE)[0]
        self.assertEqual([int(v.replace(".", "")) for v in rows[0][3:8]],
                         [capacity[k] for k in ("open", "occupied", "reserved", "vacant", "waiting")])

    def test_3_occupancy_equals_the_grpc_view(self):
        self.tab("occupancy", "table[data-table='belaegning-tilbud'] tbody tr")
        expected = {r["offer_id"]: r["occupancy_bp"] for r in self.server.rows("occupancy", "--from", FROM, "--to", TO, "--by", "offer")}
        shown = {r[0]: int(round(float(r[2].replace(" %", "").replace(",", ".")) * 100)) for r in self.table_rows("belaegning-tilbud")}
        self.assertEqual(shown, expected)
        Select(self.browser.find_element(By.ID, "occ-by")).select_by_value("offer")
        self.wait.until(lambda b: "demo-solbakken" in (self.table_rows("belaegning") or [[""]])[0][0] or
                        any("demo-" in r[0] for r in self.table_rows("belaegning")))
        self.wait.until(lambda b: not b.execute_script("return state.loading"))
        self.screenshot("occupancy")
        Select(self.browser.find_element(By.ID, "occ-by")).select_by_value("region")

    def test_4_waiting_lists_equal_the_grpc_view(self):
        self.tab("waiting", "table[data-table='venteliste-tilbud']")
        expected = {r["offer_id"]: r["length"] for r in self.server.rows("waiting", "--at", DATE)}
        shown = {r[0]: int(r[5]) for r in self.table_rows("venteliste-tilbud")}
        self.assertEqual(shown, expected)
        self.assertTrue(expected, "the demo has a waiting list")
        self.screenshot("waiting")

    def test_5_the_vacancy_bill_equals_the_grpc_financing_view(self):
        self.tab("financing", "table[data-table='tomgang-kommune'] tbody tr")
        expected = {r["municipality"]: r["objective_share_ore"] for r in self.server.rows("financing", "--from", FROM, "--to", TO)}
        shown = {}
        for row in self.table_rows("tomgang-kommune"):
            code = int(row[0].split()[0])
            shown[code] = int(row[2].replace(".", "").replace(",", "").replace("\u2212", "-"))
        for code, ore in shown.items():
            self.assertEqual(ore, expected[code], code)
        self.assertEqual(sum(shown.values()), sum(expected.values()))
        models = self.table_rows("finansieringsmodeller")
        self.assertTrue(models and len(models[0]) == 5, models[:1])
        self.screenshot("financing")

    def test_6_a_committed_event_shows_within_a_second(self):
        self.tab("capacity", "#heat-level td[data-open]")
        self.wait.until(lambda b: b.find_element(By.ID, "live").get_attribute("data-mode") == "on")
        self.assertIn("Live", self.browser.find_element(By.ID, "live").text)
        before = self.stamp_position()
        selector = '#heat-level td[data-region="1084"][data-level="2"]'
        cell_open = lambda b: int(b.execute_script(
            "const c = document.querySelector(arguments[0]); return c ? c.dataset.open : -1;", selector))
        open_before = cell_open(self.browser)
        self.server.placectl("--operator", "101", "offers", "capacity", "demo-solbakken", "--from", "2018-10-01",
                             "--places", "20", role="operator")
        written = time.monotonic()
        try:
            WebDriverWait(self.browser, 5, poll_frequency=0.01).until(
                lambda b: cell_open(b) == open_before + 8)
        except TimeoutException:
            self.fail(f"not shown: cell {cell_open(self.browser)}"
                      f" (was {open_before}), stamp {self.stamp_position()} (was {before}),"
                      f" live '{self.browser.find_element(By.ID, 'live').text}', error '{self.browser.find_element(By.ID, 'error').text}'")
        elapsed = time.monotonic() - written
        self.assertLess(elapsed, 1.0, f"the page showed the commit after {elapsed:.3f} s")
        self.assertGreater(self.stamp_position(), before)
        print(f"live update shown {elapsed * 1000:.0f} ms after the command returned", file=sys.stderr)

    def test_7_time_travel_shows_an_earlier_position(self):
        self.tab("capacity", "#heat-level td[data-open]")
        head = self.stamp_position()
        earlier = head - 1  # before test 6's capacity change
        self.browser.execute_script(
            "const s = document.getElementById('asof'); s.value = arguments[0];"
            "s.dispatchEvent(new Event('change'));", earlier)
        self.wait.until(lambda b: self.stamp_position() == earlier)
        self.wait.until(lambda b: not b.execute_script("return state.loading"))
        expected = sorted((r["region"], LEVEL[r["level"]], r["open"]) for r in
                          self.server.rows("capacity", "--at", DATE, "--by", "region,level", "--as-of", str(earlier)))
        shown = sorted((c[0], c[1], c[2]) for c in self.heat_cells("level"))
        self.assertEqual(shown, expected)
        self.assertEqual(self.browser.find_element(By.ID, "live").get_attribute("data-mode"), "past")
        self.browser.find_element(By.ID, "now").click()
        self.wait.until(lambda b: self.stamp_position() == head)

    def test_8_the_planners_page_holds_no_placement_id(self):
        events = [json.loads(line) for line in self.server.placectl("--json", "audit", "export", role="auditor").splitlines()
                  if line.strip()]
        ids = sorted({e["stream_id"][len("placement-"):] for e in events if e["stream_id"].startswith("placement-")})
        self.assertGreater(len(ids), 10)
        for name, ready in (("capacity", "#heat-level td[data-open]"), ("occupancy", "table[data-table='belaegning-tilbud']"),
                            ("waiting", "table[data-table='venteliste-tilbud']"), ("financing", "table[data-table='tomgang-kommune']")):
            self.tab(name, ready)
            page = self.browser.page_source
            for placement_id in ids:
                self.assertNotIn(placement_id, page, f"{name} page shows {placement_id}")
        # Nor does anything the API sends, whatever the page does with it.
        for path in (f"/api/names", f"/api/capacity?date={DATE}&by=offer,region,level", f"/api/waiting?date={DATE}",
                     f"/api/occupancy-series?from={FROM}&to={TO}&by=offer", f"/api/financing?from={FROM}&to={TO}",
                     f"/api/financing-models?from={FROM}&to={TO}"):
            status, body = http_get(self.server.url.rstrip("/") + path, self.planner)
            self.assertEqual(status, 200, path)
            for placement_id in ids:
                self.assertNotIn(placement_id, body, path)

    def test_9_requests_without_a_valid_token_are_refused(self):
        base = self.server.url.rstrip("/")
        for path in (f"/api/capacity?date={DATE}&by=region", "/api/head", "/api/live", "/api/names"):
            status, body = http_get(base + path)
            self.assertEqual(status, 401, path)
            self.assertNotIn("demo-", body)
            self.assertNotIn("position", body)
            status, body = http_get(base + path, "not-a-token")
            self.assertEqual(status, 401, path)
        status, body = http_get(base + f"/api/capacity?date={DATE}", self.server.token("caseworker", 101))
        self.assertEqual(status, 403)
        self.assertNotIn("demo-", body)

    def test_a_non_loopback_listener_without_tls_is_refused(self):
        folder = tempfile.mkdtemp(prefix="dashboard-refused-")
        try:
            result = subprocess.run(
                [OPTIONS.placementd, "--data", os.path.join(folder, "data"), "--listen", "127.0.0.1:0",
                 "--admin-listen", "", "--web-listen", "0.0.0.0:0"], capture_output=True, text=True, timeout=60)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("--tls-cert and --tls-key", result.stderr + result.stdout)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def make_certificates(folder):
    """A throw-away CA and a server certificate for 127.0.0.1 that it signed (EC P-256, 2 days)."""
    def openssl(*args):
        subprocess.run(["/usr/bin/openssl", *args], check=True, capture_output=True)
    path = lambda name: os.path.join(folder, name)
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path("ca.key"),
            "-out", path("ca.pem"), "-subj", "/CN=dashboard test CA", "-days", "2")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path("server.key"),
            "-out", path("server.csr"), "-subj", "/CN=127.0.0.1")
    with open(path("server.ext"), "w") as ext:
        ext.write("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
            "-set_serial", "2", "-days", "2", "-extfile", path("server.ext"), "-out", path("server.pem"))
    os.chmod(path("server.key"), 0o600)
    return path("ca.pem"), path("server.pem"), path("server.key")


def spki_pin(certificate):
    """base64 of the SHA-256 of the certificate's public key (what --ignore-certificate-errors-spki-list takes)."""
    key = subprocess.run(["/usr/bin/openssl", "x509", "-in", certificate, "-noout", "-pubkey"],
                         check=True, capture_output=True).stdout
    der = subprocess.run(["/usr/bin/openssl", "pkey", "-pubin", "-outform", "DER"], input=key,
                         check=True, capture_output=True).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


class DashboardOverTls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="dashboard-tls-test-")
        cls.ca, cls.certificate, key = make_certificates(cls.folder)
        cls.server = Server(cls.folder, ["--tls-cert", cls.certificate, "--tls-key", key], client=["--tls-ca", cls.ca])
        cls.server.placectl("demo", role="admin")
        cls.planner = cls.server.token("planner")
        cls.trusting = ssl.create_default_context(cafile=cls.ca)  # trusts this CA only

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        shutil.rmtree(cls.folder, ignore_errors=True)
        assert code == 0, f"placementd exited {code}"

    def host_port(self):
        host, _, port = self.server.url.removeprefix("https://").rstrip("/").rpartition(":")
        return host, int(port)

    def test_1_the_page_and_the_api_are_served_over_verified_tls(self):
        self.assertTrue(self.server.url.startswith("https://127.0.0.1:"), self.server.url)
        status, body = http_get(self.server.url, context=self.trusting)
        self.assertEqual(status, 200)
        self.assertIn("<html", body.lower())
        status, body = http_get(self.server.url + f"api/capacity?date={DATE}&by=region", self.planner, self.trusting)
        self.assertEqual(status, 200)
        total = sum(row["open"] for row in self.server.rows("capacity", "--at", DATE, "--by", "region"))
        self.assertEqual(int(json.loads(body)["view"]["total"]["open"]), total)
        with urllib.request.urlopen(self.server.url, timeout=10, context=self.trusting) as response:
            self.assertIn("max-age=", response.headers.get("Strict-Transport-Security", ""))
        with socket.create_connection(self.host_port(), timeout=10) as raw:
            with self.trusting.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                self.assertIn(tls.version(), ("TLSv1.2", "TLSv1.3"))

    def test_2_a_client_that_does_not_trust_the_ca_is_refused_the_handshake(self):
        with self.assertRaises(urllib.error.URLError) as raised:
            http_get(self.server.url, context=ssl.create_default_context())  # the system's CAs only
        self.assertIsInstance(raised.exception.reason, ssl.SSLCertVerificationError)

    def test_3_plaintext_and_tls_1_1_get_nothing(self):
        with self.assertRaises((ConnectionError, http.client.HTTPException, urllib.error.URLError, OSError)):
            http_get(self.server.url.replace("https://", "http://") + f"api/capacity?date={DATE}", self.planner)
        # A client that offers nothing newer than TLS 1.1 (OpenSSL's security level 0 lets it try).
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.load_verify_locations(cafile=self.ca)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            old.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
            old.maximum_version = ssl.TLSVersion.TLSv1_1
        old.set_ciphers("ALL:@SECLEVEL=0")
        with socket.create_connection(self.host_port(), timeout=10) as raw:
            with self.assertRaises(ssl.SSLError):
                with old.wrap_socket(raw, server_hostname="127.0.0.1"):
                    pass

    def test_4_chromium_shows_the_heat_map_over_https(self):
        browser = start_chromium(self.folder, ["--ignore-certificate-errors-spki-list=" + spki_pin(self.certificate)])
        try:
            sign_in(browser, self.server.url, self.planner)
            self.assertTrue(browser.current_url.startswith("https://"))
            shown = browser.execute_script(
                "return [...document.querySelectorAll('#heat-level td[data-open]')]"
                ".reduce((sum, td) => sum + Number(td.dataset.open), 0);")
            expected = sum(r["open"] for r in self.server.rows("capacity", "--at", DATE, "--by", "region,level"))
            self.assertEqual(shown, expected)
        finally:
            browser.quit()


def main():
    global OPTIONS
    parser = argparse.ArgumentParser()
    parser.add_argument("--placementd", required=True)
    parser.add_argument("--placectl", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    parser.add_argument("--screenshots", default="")
    OPTIONS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
