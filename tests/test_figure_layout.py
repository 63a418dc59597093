"""Publication-grade figures: no overlapping text, TrueType fonts, deterministic SVG, styles,
provenance with versions and the plotted data, figure-id collisions.

Every figure of every model file (the default model and the living registry) is built (fast
grids) and drawn in every style; the test reads each text's box from the renderer
(``Text.get_window_extent``) and checks that no two intersect and that all lie inside the
figure. The PDF check reads the font dictionaries of the file itself
(matplotlib writes them as plain objects; only content streams are compressed), independently
of matplotlib's settings.
"""

import hashlib
import io
import json
import re
import struct
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize

import coordgap as cg
from coordgap.cli import main
from coordgap.plots import io as plot_io
from coordgap.plots.layout import fit_text, label_line_ends, spread, text_overlaps
from coordgap.plots.recipes import build_figure, run_figures
from coordgap.plots.style import OKABE_ITO, STYLES, figure_style, style_params
from coordgap.spec.figures import FigureIdCollisionError

ROOT = Path(__file__).resolve().parents[1]
SPEC = cg.load_model(ROOT / "models" / "default.toml")
IDS = sorted(SPEC.figures)
# Every figure of every model file of the project (each id is declared once).
SPECS = {
    fig_id: spec
    for spec in (cg.load_model(p) for p in sorted((ROOT / "models").glob("*.toml")))
    for fig_id in spec.figures
}
ALL_IDS = sorted(SPECS)


def _build(fig_id, style="default"):
    spec = SPECS.get(fig_id, SPEC)
    return build_figure(spec, fig_id, spec.figures[fig_id], fast=True, style=style)


def pdf_fonts(data: bytes) -> dict:
    """Font subtypes and embedded font programs of a PDF, read from its object dictionaries."""
    subtypes = re.findall(rb"/Type\s*/Font\b[^>]*?/Subtype\s*/(\w+)", data, flags=re.S)
    subtypes += re.findall(rb"/Subtype\s*/(\w+)[^>]*?/Type\s*/Font\b", data, flags=re.S)
    return {
        "subtypes": sorted({s.decode() for s in subtypes}),
        "type3": bool(re.search(rb"/Subtype\s*/Type3\b", data)),
        "truetype_programs": len(re.findall(rb"/FontFile2\b", data)),
    }


# -- label placement ------------------------------------------------------------------------


def test_spread_is_the_least_squares_solution():
    # The nearest positions (least squares) with consecutive gaps >= g, checked against a
    # general constrained optimizer on random targets.
    rng = np.random.default_rng(3)
    for _ in range(20):
        t = rng.normal(size=6)
        g = 0.4
        got = spread(t, g)
        order = np.argsort(t)
        cons = [
            {"type": "ineq", "fun": lambda y, i=i: y[order[i + 1]] - y[order[i]] - g}
            for i in range(len(t) - 1)
        ]
        ref = minimize(lambda y: np.sum((y - t) ** 2), t, constraints=cons, method="SLSQP")
        assert np.sum((got - t) ** 2) <= ref.fun + 1e-7
        assert np.all(np.diff(got[order]) >= g - 1e-12)


def test_spread_closed_forms():
    # Three equal targets with gap 1: y = c + (-1, 0, 1), least squares puts c at the target.
    assert spread([2.0, 2.0, 2.0], 1.0).tolist() == [1.0, 2.0, 3.0]
    # Targets already apart are left alone; bounds shift the block inside.
    assert spread([0.0, 5.0], 1.0).tolist() == [0.0, 5.0]
    assert spread([0.0, 0.0], 1.0, low=0.0).tolist() == [0.0, 1.0]
    assert spread([10.0, 10.0], 1.0, high=10.0).tolist() == [9.0, 10.0]
    with pytest.raises(cg.InvalidParameterError, match="gap"):
        spread([0.0], -1.0)


def test_line_end_labels_never_overlap():
    # "baseline" and "bond" end at the same value: their labels are spread apart.
    fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    for k in range(6):
        ax.plot([0, 1], [1.0, 1.0 + 0.001 * k], label=f"design {k}")
    texts = label_line_ends(ax)
    assert len(texts) == 6
    assert text_overlaps(fig)["pairs"] == []
    plt.close(fig)


def test_overlap_check_sees_an_overlap():
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "baseline")
    ax.text(0.5, 0.5, "bond")
    ax.text(2.0, 0.5, "far outside", transform=ax.transAxes)
    found = text_overlaps(fig)
    assert ("baseline", "bond") in found["pairs"]
    assert found["outside"] == ["far outside"]
    plt.close(fig)


def test_fit_text_wraps_long_labels():
    fig, ax = plt.subplots(figsize=(2.5, 2.0), layout="constrained")
    ax.set_xlabel("benefit share multiplier σ (times the calibrated shares; smaller is diffuse)")
    ax.set_title("a title much longer than the narrow axes it belongs to, by far")
    fit_text(fig)
    assert text_overlaps(fig) == {"pairs": [], "outside": []}
    plt.close(fig)


# -- every figure kind, drawn -----------------------------------------------------------


@pytest.mark.parametrize("fig_id", ALL_IDS)
def test_figure_text_does_not_overlap(fig_id):
    fig, _ = _build(fig_id)
    try:
        found = text_overlaps(fig)
        assert found["pairs"] == [], f"{fig_id}: overlapping texts {found['pairs']}"
        assert found["outside"] == [], f"{fig_id}: texts outside the figure {found['outside']}"
        labels = [
            t.get_text()
            for ax in fig.axes
            for t in (ax.xaxis.label, ax.yaxis.label, ax.title)
            if t.get_text()
        ]
        for label in labels:
            assert "(1)" not in label, (fig_id, label)
            assert not re.search(r"[a-z]_[a-z]", label), (fig_id, label)  # no snake_case
        assert len(fig.axes) - sum(1 for ax in fig.axes if ax.get_label() == "<colorbar>") <= 2
        twins = [ax for ax in fig.axes if ax.get_shared_x_axes().get_siblings(ax) != [ax]]
        for ax in twins:  # shared axes are stacked panels, never twins over one another
            for other in twins:
                if other is not ax:
                    assert ax.get_position().bounds != other.get_position().bounds
    finally:
        plt.close(fig)


def test_every_model_file_is_checked_in_every_style():
    # The all-styles test below runs over ALL_IDS: it is not vacuous for the living registry,
    # whose four figure kinds are drawn only there.
    living = cg.load_model(ROOT / "models" / "living_registry.toml")
    assert set(IDS) | set(living.figures) <= set(ALL_IDS)
    kinds = {block["kind"] for block in living.figures.values()}
    assert {"review_cycles", "exchange_region", "quality_incentives", "venue_selection"} <= kinds


@pytest.mark.slow
@pytest.mark.parametrize("style", [s for s in STYLES if s != "default"])
@pytest.mark.parametrize("fig_id", ALL_IDS)
def test_figure_text_does_not_overlap_in_every_style(fig_id, style):
    fig, _ = _build(fig_id, style)
    try:
        assert fig.get_figwidth() == pytest.approx(STYLES[style][0], rel=0.1)
        with figure_style(style):
            found = text_overlaps(fig)
        assert found == {"pairs": [], "outside": []}, (fig_id, style, found)
    finally:
        plt.close(fig)


@pytest.mark.parametrize("fig_id", ALL_IDS)
def test_pdf_embeds_truetype_fonts_only(fig_id):
    fig, _ = _build(fig_id)
    try:
        fonts = pdf_fonts(plot_io.figure_bytes(fig, "pdf"))
    finally:
        plt.close(fig)
    assert not fonts["type3"], fig_id
    assert fonts["truetype_programs"] >= 1, fig_id
    assert set(fonts["subtypes"]) <= {"TrueType", "Type0", "CIDFontType2"}, fonts


def test_pdf_font_reader_sees_type3():
    # The reader is not vacuous: a PDF saved with fonttype 3 is caught.
    fig, ax = plt.subplots()
    ax.set_title("Type 3")
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 3}):
        fig.savefig(buffer, format="pdf")
    plt.close(fig)
    assert pdf_fonts(buffer.getvalue())["type3"]


def test_svg_is_deterministic():
    # Two builds of the same figure give byte-identical SVG: no date, fixed ids.
    first, _ = _build("design_comparison")
    second, _ = _build("design_comparison")
    try:
        a, b = plot_io.figure_bytes(first, "svg"), plot_io.figure_bytes(second, "svg")
    finally:
        plt.close(first)
        plt.close(second)
    assert a == b
    assert b"<dc:date>" not in a


def test_png_dpi_sets_the_pixel_size():
    fig, ax = plt.subplots(figsize=(2.0, 1.0))
    sizes = {}
    for dpi in (100, 300):
        data = plot_io.figure_bytes(fig, "png", dpi=dpi)
        sizes[dpi] = struct.unpack(">II", data[16:24])  # the IHDR chunk: width, height
    plt.close(fig)
    assert sizes == {100: (200, 100), 300: (600, 300)}


def test_styles_are_publication_presets():
    assert STYLES["paper"][0] == 3.5 and STYLES["paper-double"][0] == 7.2
    for name in STYLES:
        params = style_params(name)
        assert params["pdf.fonttype"] == 42 and params["ps.fonttype"] == 42
        assert params["svg.hashsalt"]
        assert params["axes.prop_cycle"].by_key()["color"] == list(OKABE_ITO)


# -- provenance and data ---------------------------------------------------------------


def test_provenance_records_versions_data_and_model(tmp_path):
    written = run_figures(
        [SPEC], tmp_path, only=["gap_vs_diffuseness"], fast=True, formats=("svg",), dpi=120
    )
    assert sorted(p.name for p in written) == [
        "gap_vs_diffuseness.csv",
        "gap_vs_diffuseness.json",
        "gap_vs_diffuseness.svg",
    ]
    prov = json.loads((tmp_path / "gap_vs_diffuseness.json").read_text())
    assert set(prov["versions"]) == {"python", "coordgap", "numpy", "scipy", "pandas", "matplotlib"}
    assert prov["versions"]["numpy"] == np.__version__
    assert prov["versions"]["matplotlib"] == matplotlib.__version__
    assert prov["git_commit"] is None or re.fullmatch(r"[0-9a-f]{40}", prov["git_commit"])
    assert prov["model_sha256"] == SPEC.sha256
    data = (tmp_path / "gap_vs_diffuseness.csv").read_bytes()
    assert prov["data"] == "gap_vs_diffuseness.csv"
    assert prov["data_sha256"] == hashlib.sha256(data).hexdigest()
    assert prov["dpi"] == 120 and prov["formats"] == ["svg"] and prov["style"] == "default"
    # The CSV holds what was drawn: the equilibrium line is the sweep of robustness, computed
    # here again without any plotting code.
    from coordgap.analysis.metrics import PreparednessMetrics

    frame = pd.read_csv(io.BytesIO(data))
    line = frame[frame["series"] == "equilibrium"]
    grid = np.linspace(0.1, 1.5, 8)  # the recipe's fast grid
    sweep = cg.sweep(PreparednessMetrics(SPEC.preparedness_game()), {"share_scale": grid})
    assert np.allclose(line["x"], grid)
    assert np.allclose(line["y"], sweep.frame["robustness_nash"], rtol=1e-9)


def test_git_commit_is_absent_gracefully(monkeypatch):
    def no_git(*args, **kwargs):
        raise OSError("git not installed")

    plot_io.git_commit.cache_clear()
    monkeypatch.setattr(plot_io.subprocess, "run", no_git)
    try:
        assert plot_io.git_commit() is None
    finally:
        plot_io.git_commit.cache_clear()


def test_bad_formats_and_dpi_are_refused(capsys):
    fig, _ = plt.subplots()
    with pytest.raises(cg.InvalidParameterError, match="formats"):
        plot_io.figure_files(fig, "x", {}, formats=("jpg",))
    with pytest.raises(cg.InvalidParameterError, match="dpi"):
        plot_io.figure_files(fig, "x", {}, dpi=1)
    plt.close(fig)
    for argv, message in (
        (["--format", "png,gif"], "--format: must be a comma-separated list"),
        (["--dpi", "5"], "--dpi: must be an integer from 10 to 2400"),
        (["--style", "poster"], "--style: invalid choice"),
    ):
        with pytest.raises(SystemExit) as exc:
            main(["figures", *argv])
        assert exc.value.code == 2
        assert message in capsys.readouterr().err


# -- figure-id collisions ------------------------------------------------------------------


def test_two_files_with_one_figure_id_is_an_error_naming_both(tmp_path, capsys):
    # Two different model files (the second retitles a figure), both declaring every id.
    text = (ROOT / "models" / "default.toml").read_text()
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text(text)
    second.write_text(text.replace("[figures.capture]\n", "[figures.capture]\n# other\n"))
    specs = [cg.load_model(first), cg.load_model(second)]
    with pytest.raises(FigureIdCollisionError) as exc:
        run_figures(specs, tmp_path / "out", fast=True)
    assert isinstance(exc.value, ValueError)
    assert str(first) in str(exc.value) and str(second) in str(exc.value)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    code = main(["figures", str(first), str(second), "--fast", "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert "a.toml" in err and "b.toml" in err and "declared in both" in err


def test_plotted_data_reads_single_points_and_skips_colour_bars():
    import matplotlib.pyplot as plt

    from coordgap.plots.io import plotted_data

    fig, ax = plt.subplots()
    ax.scatter([1.0], [2.0], label="one")
    ax.fill_between([0.0, 1.0], [0.0, 1.0], [1.0, 2.0], label="band")
    mesh = ax.pcolormesh(np.arange(3.0), np.arange(4.0), np.arange(6.0).reshape(3, 2))
    fig.colorbar(mesh)
    data = plotted_data(fig)
    plt.close(fig)
    point = data[data.series == "one"]
    assert list(point.element) == ["points"] and (point.x.item(), point.y.item()) == (1.0, 2.0)
    assert set(data[data.series == "band"].element) == {"area"}
    cells = data[data.element == "cells"]
    # the 3 x 2 data cells only: the colour bar's own scale is not data
    assert len(cells) == 6 and sorted(cells.value) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
