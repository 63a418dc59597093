"""The policymaker report (``coordgap compare --html``): a summary first, readable tables, every
assumption with its value, unit and source, no raw NaN or inf, and a layout that fits a laptop
screen and an A4 page.

The HTML is read with the standard library's parser. The layout is checked in a real browser
(headless Chromium): the page is loaded at a laptop's and an A4 page's width, a small script
records whether the document is wider than the window, and a PDF is printed. These tests are
skipped when no Chromium binary is found (and, being slow, run with ``--run-slow``). Screenshots are kept under ``$COORDGAP_ARTIFACTS/report``
(default: the system temporary folder) for CI to publish.
"""

import math
import os
import re
import shutil
import struct
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import coordgap as cg
from coordgap.plots.displays import display_name
from coordgap.plots.report import comparison_html

CHROMIUM = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
    None,
)
needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary found")
ARTIFACTS = (
    Path(os.environ.get("COORDGAP_ARTIFACTS", Path(tempfile.gettempdir()) / "coordgap-artifacts"))
    / "report"
)
SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "render_report.sh"
# A4 is 210 mm wide: 794 px at 96 px per inch; the report prints with 14 mm side margins.
A4_PX = round(210 / 25.4 * 96)
A4_PRINTABLE_PX = round((210 - 2 * 14) / 25.4 * 96)


class _Page(HTMLParser):
    """Visible text, headings in order, tables (header texts and rows of cell texts), styles."""

    def __init__(self):
        super().__init__()
        self.text, self.headings, self.tables, self.style = [], [], [], ""
        self.ids = set()
        self._skip = 0
        self._heading: Any = None
        self._cell: Any = None
        self._row: Any = None
        self._table: Any = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in ("style", "script"):
            self._skip += 1
        elif tag in ("h1", "h2", "h3"):
            self._heading = ""
        elif tag == "table":
            self._table = {"class": attrs.get("class", ""), "header": [], "rows": []}
            self.tables.append(self._table)
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(self._heading.strip())
            self._heading = None
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table = self._table
            if not table["header"] and not table["rows"]:
                table["header"] = self._row
            else:
                table["rows"].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._skip:
            self.style += data
            return
        self.text.append(data)
        if self._heading is not None:
            self._heading += data
        if self._cell is not None:
            self._cell += data


@pytest.fixture(scope="module")
def report():
    spec = cg.load_model()
    comparison = cg.compare(spec.policy_model(), spec.designs)
    text = comparison_html(spec, comparison)
    page = _Page()
    page.feed(text)
    return spec, comparison, text, page


def test_summary_in_brief_comes_first_and_names_the_robust_choice(report):
    spec, comparison, _, page = report
    assert page.headings[1] == "In brief", page.headings  # right after the title
    frame = comparison.to_frame()
    # the design with the most welfare in the worst equilibrium, found here from the frame
    best = max(frame.index, key=lambda d: frame.at[d, "welfare_worst"])
    body = " ".join(" ".join(page.text).split())
    # the summary ends where the note on the calibration begins
    brief = body.split("In brief", 1)[1].split("The calibration is stylized", 1)[0]
    assert f"{display_name(best)} does best" in brief
    assert "fiscal cost" in brief and "USD" in brief and "m per year" in brief
    assert "How robust" in brief
    # one minute's reading: at most ~200 words
    assert len(brief.split()) <= 200, len(brief.split())


def test_assumptions_table_gives_value_unit_and_source_for_every_assumption(report):
    spec, _, _, page = report
    table = next(t for t in page.tables if t["class"] == "assumptions")
    assert table["header"] == ["Assumption", "Value", "Unit", "Converted from", "Source"]
    paths = sorted(set(spec.units) | set(spec.sources))
    assert len(table["rows"]) == len(paths)
    model = spec.policy_model()
    for path, row in zip(paths, table["rows"]):
        label, value, unit, _, source = row
        assert label.endswith(path), (label, path)  # readable name, then the file's key
        assert value and unit and source, row
        # the value shown is the number the model uses (read from the model here)
        used = np.atleast_1d(model.get(path))
        if used.dtype.kind in "fi":
            shown = [float(v) for v in value.split(", ")]
            assert shown == pytest.approx(used.tolist(), rel=1e-5), (path, value)


def test_headers_are_readable_not_column_names(report):
    _, comparison, _, page = report
    raw = set(comparison.to_frame().columns)
    for table in page.tables:
        for header in table["header"]:
            assert "_" not in header and header not in raw, header
            assert header[:1].isupper(), header


def test_no_raw_nan_or_inf_is_shown(report):
    _, comparison, _, page = report
    visible = " ".join(page.text)
    assert not re.search(r"\b(nan|NaN|inf|Infinity)\b", visible)
    frame = comparison.to_frame()
    # a design that averts harm at no fiscal cost has an unbounded harm averted per dollar
    free = [
        d
        for d in frame.index
        if frame.at[d, "fiscal_cost_worst"] == 0
        and frame.at[d, "residual_harm_worst"]
        < frame.at[comparison.baseline, "residual_harm_worst"]
    ]
    assert free, "the default model needs a design that averts harm for free"
    assert all(math.isinf(frame.at[d, "harm_averted_per_fiscal_worst"]) for d in free)
    assert re.search(r"unbounded\s*†", visible) and "fn-unbounded" in page.ids
    assert "averted at no fiscal cost" in visible


def test_numbers_carry_units(report):
    _, _, _, page = report
    designs = [t for t in page.tables if t["class"] == "designs"]
    assert designs
    units = ("actors", "%", "capacity units", "USD m per year", "USD per USD")
    for table in designs:
        for header in table["header"][1:]:
            if not header.startswith(("Full participation", "On the Pareto")):
                assert any(u in header for u in units), header


def test_print_and_screen_style(report):
    _, _, text, page = report
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", page.style)
    assert "@media print" in page.style
    assert 'name="viewport"' in text
    assert "http://" not in text and "https://" not in text


# -- a real browser ---------------------------------------------------------------------------
_MEASURE = """<script>
window.addEventListener('load', function () {
  var d = document.documentElement, wide = [];
  document.querySelectorAll('table, img, figure, p, li, h1, h2, h3').forEach(function (e) {
    if (e.getBoundingClientRect().right > d.clientWidth + 0.5) { wide.push(e.tagName); }
  });
  var m = document.createElement('div');
  m.id = 'measured';
  m.setAttribute('data-fits', String(d.scrollWidth <= d.clientWidth));
  m.setAttribute('data-scroll', String(d.scrollWidth));
  m.setAttribute('data-client', String(d.clientWidth));
  m.setAttribute('data-wide', wide.join(','));
  document.body.appendChild(m);
});
</script>"""


def _chromium(*args, timeout=120):
    profile = tempfile.mkdtemp(prefix="coordgap-chromium-")
    try:
        return subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def written(report, tmp_path_factory):
    _, _, text, _ = report
    folder = tmp_path_factory.mktemp("report")
    page = folder / "report.html"
    page.write_text(text, encoding="utf-8")
    measured = folder / "measured.html"
    measured.write_text(text.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    return page, measured


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize(
    "width", [1366, A4_PX, A4_PRINTABLE_PX], ids=["laptop", "a4-screen", "a4-printable"]
)
def test_page_fits_the_width_in_a_browser(written, width):
    _, measured = written
    done = _chromium(
        f"--window-size={width},900",
        "--virtual-time-budget=5000",
        "--dump-dom",
        measured.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    tag = re.search(r'<div id="measured"[^>]*>', done.stdout)
    assert tag, done.stdout[-2000:]
    attrs = dict(re.findall(r'data-([a-z]+)="([^"]*)"', tag.group(0)))
    assert attrs["fits"] == "true", attrs
    assert attrs["wide"] == "", attrs


@pytest.mark.slow
@needs_browser
def test_screenshots_and_pdf(written):
    page, _ = written
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, (w, h) in {"laptop": (1366, 768), "a4": (A4_PX, 1123)}.items():
        shot = ARTIFACTS / f"report-{name}.png"
        done = _chromium(f"--window-size={w},{h}", f"--screenshot={shot}", page.as_uri())
        assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
        assert _png_size(shot) == (w, h)
    pdf = ARTIFACTS / "report.pdf"
    done = _chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert done.returncode == 0 and pdf.is_file(), done.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # every page is A4: 210 × 297 mm = 595.3 × 841.9 pt
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes
    for w, h in boxes:
        assert float(w) == pytest.approx(595.3, abs=1.5) and float(h) == pytest.approx(
            841.9, abs=1.5
        )


# -- scripts/render_report.sh -------------------------------------------------------------------
def test_render_script_without_a_browser_says_what_to_install(tmp_path):
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("cat", "mkdir", "mktemp"):  # a PATH with basic tools and no browser
        found = shutil.which(name)
        if found:
            (tools / name).symlink_to(found)
    env = {"PATH": str(tools), "HOME": str(tmp_path)}
    done = subprocess.run(
        [bash, str(SCRIPT), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "no headless browser found" in done.stderr
    assert "apt-get install chromium" in done.stderr


@pytest.mark.slow
@needs_browser
def test_render_script_writes_two_screenshots_and_a_pdf(tmp_path):
    import sys

    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHON"] = sys.executable
    out = tmp_path / "out"
    done = subprocess.run(
        ["bash", str(SCRIPT), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert _png_size(out / "report-laptop.png") == (1366, 768)
    assert _png_size(out / "report-a4.png") == (A4_PX, 1123)
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
