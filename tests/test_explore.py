"""The design explorer: its JSON API, its export, its page, and the page in a real browser.

The numbers are checked against an independent path through the public API: the design is
written out by hand from the packaged model file's designs (the instrument levels and the
roles of ``[designs.*]`` in ``models/default.toml``), evaluated with ``cg.compare`` on
``cg.PolicyModel.default()``, and compared with what the server sends and the page shows.
The browser tests run headless Chromium (``--dump-dom`` after a virtual-time budget, so the
page's fetches and scripts have run) and are skipped when no ``chromium`` binary is found.
Screenshots are saved under ``$COORDGAP_ARTIFACTS/explorer`` (default: the system's temporary
directory, ``coordgap-artifacts/explorer``) so that CI can keep them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

import coordgap as cg
from coordgap.cli import main as cli_main
from coordgap.errors import InvalidParameterError
from coordgap.explore import HOST, Explorer, ExplorerServer
from coordgap.spec import load_model

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary found")
ARTIFACTS = (
    Path(os.environ.get("COORDGAP_ARTIFACTS", Path(tempfile.gettempdir()) / "coordgap-artifacts"))
    / "explorer"
)
DRAWN = ("participation", "credible_coverage", "residual_harm", "welfare", "fiscal_cost")
# The procurement preference of the model file's [designs.procurement], written out by hand.
PROCUREMENT_ROLES = ("ai_developer", "cloud_provider", "infrastructure_operator")


def procurement(margin: float, volume: float = 10.0) -> cg.ProcurementPreference:
    return cg.ProcurementPreference(
        margin=margin, volume=volume, win_prob=0.5, roles=PROCUREMENT_ROLES
    )


# (query, the same design built by hand through the public API)
CASES = [
    ({}, []),
    ({"bond": "1"}, [cg.PerformanceBond(amount=1.0)]),
    ({"procurement": "0.1"}, [procurement(0.1)]),
    (
        {"bond": "0.5", "compute_access": "2", "compute_access.discount": "0.25"},
        [cg.PerformanceBond(amount=0.5), cg.ComputeAccess(units=2.0, discount=0.25)],
    ),
    ({"assurance": "58"}, [cg.AssuranceRefund(threshold=58, bonus=0.01)]),
    (
        {"regulatory_flexibility": "0.3", "procurement.volume": "20"},
        [cg.RegulatoryFlexibility(relief=0.3, risk_increase=0.02)],
    ),
]


def _serving(srv):
    """Serve ``srv`` on a background thread while the fixture is in use, then shut it down."""
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def server():
    yield from _serving(ExplorerServer(Explorer.from_model(), port=0))


@pytest.fixture(scope="module")
def model():
    return cg.PolicyModel.default()


def get(server, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(server.url + path.lstrip("/"), timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def api(server, query: dict) -> dict:
    status, body = get(server, "api/evaluate?" + urllib.parse.urlencode(query))
    assert status == 200, body
    return json.loads(body)


def by_hand(model, instruments) -> cg.analysis.compare.DesignOutcome:
    """The public API's evaluation of the hand-built design (``cg.compare``)."""
    result = cg.compare(model, [cg.Design("by_hand", instruments)])
    (outcome,) = [o for o in result.outcomes if o.design == "by_hand"]
    return outcome


def assert_same(out: dict, outcome) -> None:
    for side in ("worst", "best"):
        for key, value in getattr(outcome, side).items():
            assert out[side][key] == pytest.approx(value, rel=1e-12, abs=1e-12), (side, key)


# --- the JSON API -----------------------------------------------------------------------------


def test_server_listens_on_loopback_only(server):
    assert server.server_address[0] == HOST == "127.0.0.1"


@pytest.mark.parametrize(("query", "instruments"), CASES)
def test_api_numbers_are_the_public_compare_numbers(server, model, query, instruments):
    out = api(server, query)
    outcome = by_hand(model, instruments)
    assert_same(out, outcome)
    assert out["n_actors"] == 58
    assert out["full_participation_unique"] == outcome.full_participation_unique
    assert set(DRAWN) <= set(out["worst"]) and out["metrics"] == list(DRAWN)


def test_api_closed_forms(server):
    # No instruments: nothing is spent. Compute access waives discount × units of market
    # price per filer, all of it public money: fiscal cost = 0.5 × 2 = 1 USD m per member.
    assert api(server, {})["worst"]["fiscal_cost"] == 0.0
    out = api(server, {"compute_access": "2"})
    for side in ("worst", "best"):
        assert out[side]["fiscal_cost"] == pytest.approx(out[side]["participation"] * 1.0)
    # Monotone comparative statics: the best equilibrium has at least as many filers.
    assert out["worst"]["participation"] <= out["best"]["participation"]


def test_api_evaluation_is_fast(server):
    times = [api(server, {"bond": str(b)})["elapsed_ms"] for b in np.linspace(0, 3, 7)]
    assert float(np.median(times)) < 500.0


def test_readout_names_the_equilibrium_range(server):
    out = api(server, {"bond": "1", "procurement": "0.1"})
    w, b = out["worst"]["participation"], out["best"]["participation"]
    assert w < b  # this design has a coordination failure (two equilibria)
    assert f"{w}" in out["readout"] and f"{b}" in out["readout"]
    assert "performance bond" in out["readout"] or "bond" in out["readout"]


BAD = [
    ("bond=abc", "The 'bond' parameter of coordgap explore must be a finite number. Got 'abc'"),
    ("bond=nan", "must be a finite number. Got 'nan'"),
    ("bond=inf", "must be a finite number. Got 'inf'"),
    ("bond=-1", "The 'bond' parameter of coordgap explore must be a finite number >= 0"),
    ("bnd=1", "Did you mean 'bond'?"),
    ("assurance=70", "must be a number of actors from 0 to 58. Got 70.0"),
    ("procurement.win_prob=2", "must be a finite number >= 0 and <= 1"),
    ("bond=1&bond=2", "must be given once"),
    ("bond=", "must be a finite number. Got ''"),
]


@pytest.mark.parametrize(("query", "message"), BAD)
def test_bad_levels_are_http_400_with_the_error_message(server, query, message):
    status, body = get(server, "api/evaluate?" + query)
    assert status == 400
    error = json.loads(body)["error"]
    assert message in error
    # The very message the library raises for the same input.
    from urllib.parse import parse_qs

    with pytest.raises(InvalidParameterError) as exc:
        server.explorer.evaluate(parse_qs(query, keep_blank_values=True))
    assert error == str(exc.value)


def test_unknown_page_is_404(server):
    assert get(server, "nowhere")[0] == 404
    assert get(server, "static/../core.py")[0] == 404


# --- export -----------------------------------------------------------------------------------


def test_exported_snippet_loads_back_to_the_same_numbers(server, tmp_path):
    query = {"bond": "1.5", "procurement": "0.2", "procurement.volume": "12"}
    status, body = get(server, "api/export?" + urllib.parse.urlencode(query))
    assert status == 200
    snippet = body.decode("utf-8")
    assert snippet.startswith("[designs.explored]")
    text = resources.files("coordgap.data").joinpath("default_model.toml").read_text("utf-8")
    path = tmp_path / "with_explored.toml"
    path.write_text(text + "\n" + snippet, encoding="utf-8")
    assert cli_main(["check", str(path)]) == 0
    spec = load_model(path)
    (design,) = [d for d in spec.designs if d.name == "explored"]
    outcome = cg.analysis.compare.evaluate_design(spec.policy_model(), design)
    assert_same(api(server, query), outcome)
    # And the hand-built design: the snippet says what the sliders say.
    hand = by_hand(
        cg.PolicyModel.default(), [cg.PerformanceBond(amount=1.5), procurement(0.2, 12.0)]
    )
    assert_same(api(server, query), hand)


def test_explored_name_does_not_clash(tmp_path):
    text = resources.files("coordgap.data").joinpath("default_model.toml").read_text("utf-8")
    path = tmp_path / "m.toml"
    path.write_text(text + '\n[designs.explored]\ndescription = "x"\ninstruments = []\n', "utf-8")
    assert Explorer.from_model(path).name == "explored_2"


# --- the page is offline ----------------------------------------------------------------------


class _Loads(HTMLParser):
    """Every URL the page would load: src and href attributes, and CSS url(...)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "action", "data", "poster") and value:
                self.urls.append(value)


def test_page_loads_nothing_from_the_internet(server):
    status, html = get(server, "")
    assert status == 200
    parser = _Loads()
    parser.feed(html.decode("utf-8"))
    assert parser.urls, "the page should load its own script and style sheet"
    for url in parser.urls:
        assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", url, re.I), url  # relative only
        assert get(server, url)[0] == 200, url
    own = [u for u in parser.urls if not u.endswith("plotly.min.js")]
    for url in own:
        text = get(server, url)[1].decode("utf-8")
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text, re.I), url
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text, re.I), url
    assert not re.search(rb"https?://", html)


def test_plotly_is_served_from_the_installed_package(server):
    plotly = pytest.importorskip("plotly.offline")
    status, body = get(server, "static/plotly.min.js")
    assert status == 200
    assert body == plotly.get_plotlyjs().encode("utf-8")


# --- a real browser ---------------------------------------------------------------------------


def chromium(url: str, *args: str, tmp: Path) -> subprocess.CompletedProcess:
    """Headless Chromium on ``url``; only 127.0.0.1 resolves (every other host fails)."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        f"--user-data-dir={tmp / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=10000",
        *args,
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


class _Dom(HTMLParser):
    """Text and attributes of the elements with an id in a dumped DOM."""

    def __init__(self):
        super().__init__()
        self.attrs: dict[str, dict] = {}
        self.text: dict[str, str] = {}
        self.classes: list[str] = []
        self._open: list[str | None] = []
        self.body: dict = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        self.classes += (a.get("class") or "").split()
        key = a.get("id")
        if key:
            self.attrs[key] = a
            self.text.setdefault(key, "")
        if tag not in ("input", "br", "img", "meta", "link", "path", "rect", "line", "circle"):
            self._open.append(key)

    def handle_endtag(self, tag):
        if tag not in ("input", "br", "img", "meta", "link", "path", "rect", "line", "circle"):
            if self._open:
                self._open.pop()

    def handle_data(self, data):
        for key in self._open:
            if key:
                self.text[key] += data


def dumped_dom(url: str, tmp_path):
    """Headless Chromium's run on ``url`` with ``--dump-dom``, and the parsed DOM it printed."""
    run = chromium(url, "--dump-dom", tmp=tmp_path)
    dom = _Dom()
    dom.feed(run.stdout)
    return run, dom


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@needs_browser
def test_browser_renders_the_numbers_for_the_query_levels(server, model, tmp_path):
    run, dom = dumped_dom(server.url + "?bond=1&procurement=0.1", tmp_path)
    assert dom.body.get("data-state") == "ready", run.stderr[-2000:]
    outcome = by_hand(model, [cg.PerformanceBond(amount=1.0), procurement(0.1)])
    for key in DRAWN:
        for side in ("worst", "best"):
            cell = dom.attrs[f"value-{key}-{side}"]
            assert float(cell["data-value"]) == pytest.approx(
                getattr(outcome, side)[key], rel=1e-12, abs=1e-12
            )
    # What a reader sees: the counts of filers and the readout in words.
    w, b = outcome.worst["participation"], outcome.best["participation"]
    assert dom.text["value-participation-worst"] == f"{w} of 58"
    assert dom.text["value-participation-best"] == f"{b} of 58"
    readout = dom.text["readout"]
    assert str(w) in readout and str(b) in readout and "bond" in readout
    expected = api(server, {"bond": "1", "procurement": "0.1"})["readout"]
    assert readout.rstrip(".").lower() == expected.rstrip(".").lower()
    # The form shows the levels of the query string; the export is the design.
    assert dom.attrs["in-bond"]["name"] == "bond"
    assert "PerformanceBond" in dom.text["toml"] and "ProcurementPreference" in dom.text["toml"]
    # The chart was drawn (plotly.js served offline), and nothing was logged to the console.
    if "COORDGAP_NO_PLOTLY" not in get(server, "static/plotly.min.js")[1].decode()[:200]:
        assert "js-plotly-plot" in dom.classes
    assert console_lines(run.stderr) == []


# A same-origin page that loads the explorer in a frame and moves its controls as a user would
# (sets a slider and a number box and fires their "input" events), waits for the page to show
# the new design, then copies what the page shows into its own DOM for --dump-dom.
HARNESS = b"""<!DOCTYPE html><html><body data-done="no"><pre id="out"></pre>
<iframe id="f" src="/" width="1366" height="768"></iframe>
<script>
const frame = document.getElementById("f");
function when(test, then) {
  const timer = setInterval(() => { try { if (test()) { clearInterval(timer); then(); } } catch (e) {} }, 20);
}
frame.addEventListener("load", () => {
  const d = frame.contentDocument;
  when(() => d.body.dataset.state === "ready", () => {
    const before = d.getElementById("value-participation-best").dataset.value;
    const slider = d.getElementById("in-bond-range");
    slider.value = "1";
    slider.dispatchEvent(new Event("input", { bubbles: true }));
    const box = d.getElementById("in-procurement");
    box.value = "0.1";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    when(() => d.body.dataset.state === "ready"
        && d.getElementById("toml").value.includes("ProcurementPreference"), () => {
      // Every piece of text on the page, and which pairs of them overlap on screen.
      const texts = [...d.querySelectorAll(
        "h1,h2,h3,p,label,th,td,legend,button,input[type=number],#chart svg text")]
        .filter((n) => { const r = n.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && (n.textContent.trim() || n.value); });
      const overlaps = [];
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const a = texts[i], b = texts[j];
          if (a.contains(b) || b.contains(a)) continue;
          const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
          const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
          const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
          if (w > 1 && h > 1) overlaps.push([a.textContent || a.value, b.textContent || b.value]);
        }
      }
      const values = {};
      for (const cell of d.querySelectorAll("td[data-value]")) values[cell.id] = cell.dataset.value;
      document.getElementById("out").textContent = JSON.stringify({
        before: before,
        values: values,
        bond_box: d.getElementById("in-bond").value,
        search: frame.contentWindow.location.search,
        readout: d.getElementById("readout").textContent,
        n_texts: texts.length,
        overlaps: overlaps,
      });
      document.body.dataset.done = "yes";
    });
  });
});
</script></body></html>"""


@pytest.fixture(scope="module")
def harness_server():
    base = ExplorerServer.handler_class

    class Handler(base):  # type: ignore[valid-type,misc]
        def do_GET(self):
            if self.path == "/harness.html":
                self._send(200, HARNESS, "text/html; charset=utf-8")
            else:
                super().do_GET()

    class Server(ExplorerServer):
        handler_class = Handler

    yield from _serving(Server(Explorer.from_model(), port=0))


@needs_browser
def test_browser_moving_controls_updates_the_numbers(harness_server, model, tmp_path):
    run, dom = dumped_dom(harness_server.url + "harness.html", tmp_path)
    assert dom.body.get("data-done") == "yes", run.stderr[-2000:]
    seen = json.loads(dom.text["out"])
    # The page opened on the baseline, then showed the numbers of the moved controls.
    baseline = by_hand(model, [])
    assert float(seen["before"]) == baseline.best["participation"]
    moved = by_hand(model, [cg.PerformanceBond(amount=1.0), procurement(0.1)])
    for key in DRAWN:
        for side in ("worst", "best"):
            shown = float(seen["values"][f"value-{key}-{side}"])
            assert shown == pytest.approx(getattr(moved, side)[key], rel=1e-12, abs=1e-12)
    assert seen["bond_box"] == "1"  # the slider moved its number box
    assert "bond=1" in seen["search"] and "procurement=0.1" in seen["search"]
    assert str(moved.best["participation"]) in seen["readout"]
    # No two pieces of text overlap (labels, numbers, tick labels, axis titles, legend).
    assert seen["n_texts"] > 50
    assert seen["overlaps"] == []


@needs_browser
def test_browser_shows_the_error_of_a_bad_level(server, tmp_path):
    run, dom = dumped_dom(server.url + "?bond=abc", tmp_path)
    assert dom.body.get("data-state") == "error"
    assert "hidden" not in dom.attrs["error"]
    assert dom.text["error"].startswith("The 'bond' parameter of coordgap explore must be")


@needs_browser
def test_browser_screenshot_at_laptop_size(server, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "explorer-bond-procurement-1366x768.png"
    shot.unlink(missing_ok=True)
    run = chromium(
        server.url + "?bond=1&procurement=0.1",
        "--hide-scrollbars",
        "--window-size=1366,768",
        f"--screenshot={shot}",
        tmp=tmp_path,
    )
    assert shot.exists(), run.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (1366, 768)
    import matplotlib.image as mpimg

    pixels = mpimg.imread(shot)[..., :3]
    # The worst (vermillion #d55e00) and best (blue #0072b2) colours of the numbers and the
    # chart are on screen: the results were drawn, not just the empty page.
    for rgb in ((0xD5, 0x5E, 0x00), (0x00, 0x72, 0xB2)):
        close = np.all(np.abs(pixels * 255 - np.array(rgb)) < 24, axis=-1)
        assert close.sum() > 50, rgb


# --- the command ------------------------------------------------------------------------------


def test_cli_explore_serves_the_page(tmp_path):
    src = Path(cg.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(src)}
    code = "import sys; from coordgap.cli import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", code, "explore", "--no-browser", "--port", "0"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env=env, cwd=tmp_path
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            url = re.search(r"http://127\.0\.0\.1:\d+/", line)
            assert url, line
            with urllib.request.urlopen(url.group(0) + "api/model", timeout=20) as response:
                described = json.loads(response.read())
            assert [c["key"] for c in described["controls"] if c["is_level"]] == [
                "bond",
                "procurement",
                "compute_access",
                "regulatory_flexibility",
                "assurance",
            ]
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_cli_explore_port_in_use_is_a_clear_error(server, capsys):
    port = str(server.server_address[1])
    assert cli_main(["explore", "--no-browser", "--port", port]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "--port" in err


def test_cli_explore_rejects_a_bad_port(capsys):
    with pytest.raises(SystemExit) as exc:
        cli_main(["explore", "--no-browser", "--port", "70000"])
    assert exc.value.code == 2
    assert "must be an integer from 0 to 65535" in capsys.readouterr().err


def test_controls_come_from_the_model_file(tmp_path):
    # A model whose designs use a matching subsidy and an audit gets controls for them; the
    # instrument named by no single-instrument design is keyed by its class name.
    text = resources.files("coordgap.data").joinpath("default_model.toml").read_text("utf-8")
    extra = (
        "\n[designs.matching]\n"
        'instruments = [{ type = "MatchingSubsidy", rate = 0.5, unit_cost = 0.2 }]\n'
        "[designs.audited]\n"
        'instruments = [{ type = "PerformanceBond", amount = 1.0 }, '
        '{ type = "Audit", prob = 0.25, fine = 2.0, cost = 0.1 }]\n'
    )
    path = tmp_path / "more.toml"
    path.write_text(text + extra, encoding="utf-8")
    explorer = Explorer.from_model(path)
    keys = [c.key for c in explorer.controls]
    assert {"matching", "matching.unit_cost", "audit", "audit.fine", "audit.cost"} <= set(keys)
    out = explorer.evaluate({"matching": "0.5", "audit": "0.25"})
    hand = by_hand(
        cg.PolicyModel.default(),
        [cg.MatchingSubsidy(rate=0.5, unit_cost=0.2), cg.Audit(prob=0.25, fine=2.0, cost=0.1)],
    )
    assert_same(out, hand)
