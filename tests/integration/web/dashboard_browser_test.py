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
  - a non-loopback --web-listen without TLS makes placementd refuse to start.
With --screenshots DIR it saves one PNG per page (docs/dashboard-*.png).

    /usr/bin/python3 tests/integration/web/dashboard_browser_test.py \\
        --placementd build/services/placementd/placementd --placectl build/clients/placectl/placectl
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

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

    def __init__(self, folder, extra=()):
        self.folder = folder
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
        command = [OPTIONS.placectl, "--server", self.address, "--as", role, "--secret-file", self.secret, *args]
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


def http_get(url, token=None):
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class DashboardInTheBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="dashboard-test-")
        cls.server = Server(cls.folder)
        cls.server.placectl("demo", role="admin")
        cls.planner = cls.server.token("planner")
        options = webdriver.ChromeOptions()
        options.binary_location = OPTIONS.chromium
        for flag in CHROMIUM_FLAGS + ["--user-data-dir=" + os.path.join(cls.folder, "chromium-profile")]:
            options.add_argument(flag)
        cls.browser = webdriver.Chrome(service=Service(OPTIONS.chromedriver), options=options)
        cls.browser.set_page_load_timeout(30)
        cls.browser.get(cls.server.url)
        cls.wait = WebDriverWait(cls.browser, 20, poll_frequency=0.02)
        cls.wait.until(lambda b: b.find_element(By.ID, "signin").is_displayed())
        cls.browser.find_element(By.ID, "token").send_keys(cls.planner)
        cls.browser.find_element(By.CSS_SELECTOR, "#signin-form button").click()
        cls.wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#heat-level td[data-open]"))

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
