"""The design-comparison figure and report: what a policymaker reads off them.

Each design appears at the fiscal cost and credible coverage of both its worst and its best
equilibrium, labels are display names that never overlap, units are in words, titles fit.
"""

import itertools
from html.parser import HTMLParser

import matplotlib
import numpy as np
import pytest

import coordgap as cg
from coordgap.plots.displays import ComparisonDisplay, RobustnessDisplay, display_name

matplotlib.use("Agg")
import matplotlib.pyplot as plt

LONG_TITLE = (
    "Incentive designs for the Scenario Response Registry compared: fiscal cost "
    "against credible coverage under the worst and the best equilibrium"
)


@pytest.fixture(scope="module")
def comparison():
    model = cg.PolicyModel.default()
    designs = [
        cg.Design("bond", [cg.PerformanceBond(amount=1.0)]),
        cg.Design("compute_access", [cg.ComputeAccess(units=2.0, discount=0.5)]),
        cg.Design(
            "procurement",
            [
                cg.ProcurementPreference(
                    margin=0.1,
                    volume=10.0,
                    win_prob=0.5,
                    roles=("ai_developer", "cloud_provider", "infrastructure_operator"),
                )
            ],
        ),
        cg.Design(
            "regulatory_flexibility", [cg.RegulatoryFlexibility(relief=0.3, risk_increase=0.02)]
        ),
    ]
    return cg.compare(model, designs)


@pytest.fixture(scope="module")
def spec_comparison():
    spec = cg.load_model()
    return spec, cg.compare(spec.policy_model(), spec.designs)


def _draw(frame, title=LONG_TITLE):
    fig, ax = plt.subplots(figsize=(7.0, 5.2), dpi=100, layout="constrained")
    ComparisonDisplay.from_frame(frame, title=title).plot(ax)
    fig.canvas.draw()
    return fig, ax


def _by_gid(ax, gid):
    found = [line for line in ax.lines if line.get_gid() == gid]
    assert len(found) == 1, gid
    return found[0]


def _no_label_overlaps(fig, ax):
    renderer = fig.canvas.get_renderer()
    boxes = {t.get_text(): t.get_window_extent(renderer) for t in ax.texts if t.get_visible()}
    for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
        assert not box_a.overlaps(box_b), f"labels {a!r} and {b!r} overlap"
    return boxes


def _inside(inner, outer):
    return (
        inner.x0 >= outer.x0 - 0.5
        and inner.y0 >= outer.y0 - 0.5
        and inner.x1 <= outer.x1 + 0.5
        and inner.y1 <= outer.y1 + 0.5
    )


def test_display_name():
    assert display_name("compute_access") == "Compute access"
    assert display_name("regulatory_flexibility") == "Regulatory flexibility"
    assert display_name("baseline") == "Baseline"
    assert display_name("bond") == "Bond"
    assert display_name("Already Named") == "Already Named"


@pytest.mark.slow
def test_every_design_at_its_own_worst_and_best_cost(comparison):
    frame = comparison.to_frame()
    assert (frame["fiscal_cost_worst"] != frame["fiscal_cost_best"]).any(), (
        "the test needs a design whose fiscal cost differs between the equilibria"
    )
    fig, ax = _draw(frame)
    try:
        for name, row in frame.iterrows():
            worst, best = _by_gid(ax, f"{name}:worst"), _by_gid(ax, f"{name}:best")
            np.testing.assert_allclose(
                np.r_[worst.get_xdata(), worst.get_ydata()],
                [row["fiscal_cost_worst"], row["credible_coverage_worst"]],
            )
            np.testing.assert_allclose(
                np.r_[best.get_xdata(), best.get_ydata()],
                [row["fiscal_cost_best"], row["credible_coverage_best"]],
            )
            assert worst.get_marker() == best.get_marker() == "o"
            assert worst.get_markerfacecolor() != best.get_markerfacecolor()  # filled vs open
            seg = _by_gid(ax, f"{name}:range")
            np.testing.assert_allclose(
                seg.get_xdata(), [row["fiscal_cost_worst"], row["fiscal_cost_best"]]
            )
            np.testing.assert_allclose(
                seg.get_ydata(), [row["credible_coverage_worst"], row["credible_coverage_best"]]
            )
        on = list(frame.index[frame["pareto"].astype(bool)])
        frontier = _by_gid(ax, "pareto")
        assert sorted(frontier.get_xdata()) == sorted(frame.loc[on, "fiscal_cost_worst"])
    finally:
        plt.close(fig)


@pytest.mark.slow
def test_labels_axes_legend_and_title_read_well(comparison):
    frame = comparison.to_frame()
    fig, ax = _draw(frame)
    try:
        boxes = _no_label_overlaps(fig, ax)
        assert sorted(boxes) == sorted(display_name(n) for n in frame.index)
        assert all("_" not in text for text in boxes)
        axes_box = ax.get_window_extent(fig.canvas.get_renderer())
        for text, box in boxes.items():
            assert _inside(box, axes_box), f"label {text!r} leaves the axes"
        assert ax.get_xlabel() == "Fiscal cost (USD m per year)"
        assert ax.get_ylabel() == "Credible coverage (share of required capacity)"
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert any("worst equilibrium (least participation)" in t for t in legend)
        assert any("best equilibrium (greatest participation)" in t for t in legend)
        fig_box = fig.bbox
        title = ax.title
        assert "\n" in title.get_text()  # wrapped
        assert _inside(title.get_window_extent(), fig_box)
        assert _inside(ax.get_legend().get_window_extent(), fig_box)
        assert _inside(ax.xaxis.label.get_window_extent(), fig_box)
    finally:
        plt.close(fig)


@pytest.mark.slow
def test_missing_best_cost_falls_back_to_worst(comparison):
    frame = comparison.to_frame().drop(columns=["fiscal_cost_best", "pareto"])
    display = ComparisonDisplay.from_frame(frame)
    np.testing.assert_array_equal(display.cost_best, display.cost_worst)
    assert display.pareto == []
    fig, ax = _draw(frame)
    plt.close(fig)


@pytest.mark.slow
def test_recipe_figure_of_the_model_file(spec_comparison, tmp_path):
    """The committed figure's recipe: seven designs, several of them at zero fiscal cost."""
    from coordgap.plots.recipes import build_figure

    spec, comparison = spec_comparison
    frame = comparison.to_frame()
    fig, _ = build_figure(spec, "design_comparison", spec.figures["design_comparison"], fast=True)
    try:
        fig.canvas.draw()
        ax = fig.axes[0]
        boxes = _no_label_overlaps(fig, ax)
        assert sorted(boxes) == sorted(display_name(n) for n in frame.index)
        for name in frame.index:
            x = _by_gid(ax, f"{name}:best").get_xdata()[0]
            assert x == pytest.approx(frame.at[name, "fiscal_cost_best"])
        for a in fig.axes:
            assert "(1)" not in a.get_xlabel() + a.get_ylabel()
            assert _inside(a.title.get_window_extent(), fig.bbox)
        # labels stay apart when the same figure is rendered at another resolution
        fig.savefig(tmp_path / "c.png", dpi=150)
        _no_label_overlaps(fig, ax)
    finally:
        plt.close(fig)


@pytest.mark.slow
def test_no_figure_labels_unit_one(spec_comparison):
    """No figure of the model file labels an axis with the unit "(1)"; designs are named."""
    from coordgap.plots.recipes import build_figure

    spec, _ = spec_comparison
    for fig_id, block in spec.figures.items():
        if block["kind"] in ("design_comparison", "robustness", "learning", "exchange_speed"):
            continue  # slow ones: the comparison is tested above, the rest by their labels
        fig, _ = build_figure(spec, fig_id, block, fast=True)
        try:
            for a in fig.axes:
                assert "(1)" not in a.get_xlabel() + a.get_ylabel(), fig_id
        finally:
            plt.close(fig)


def test_robustness_display_uses_display_names():
    display = RobustnessDisplay(
        names=["baseline", "compute_access"],
        p_target=np.array([0.2, 0.8]),
        q05=np.array([0.1, 0.3]),
        q50=np.array([0.2, 0.4]),
        q95=np.array([0.3, 0.5]),
        target="credible coverage >= 0.4 (worst)",
    )
    ax = display.plot().ax_
    try:
        assert [t.get_text() for t in ax.get_xticklabels()] == ["Baseline", "Compute access"]
        assert "(1)" not in ax.get_ylabel()
    finally:
        plt.close(ax.figure)


class _Cells(HTMLParser):
    """Text of every table cell, by row header and ``data-metric``."""

    def __init__(self):
        super().__init__()
        self.cells, self.row, self.metric, self.text, self.in_row_head = {}, None, None, "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "th" and attrs.get("scope") == "row":
            self.in_row_head, self.text = True, ""
        elif tag == "td" and "data-metric" in attrs:
            self.metric, self.text = attrs["data-metric"], ""

    def handle_data(self, data):
        self.text += data

    def handle_endtag(self, tag):
        if tag == "th" and self.in_row_head:
            self.row, self.in_row_head = self.text.strip(), False
        elif tag == "td" and self.metric is not None:
            self.cells[(self.row, self.metric)] = self.text.strip()
            self.metric = None


@pytest.mark.slow
def test_report_shows_ranges_with_units_and_display_names(spec_comparison):
    from coordgap.plots.report import comparison_html, number, value_range

    spec, comparison = spec_comparison
    frame = comparison.to_frame()
    text = comparison_html(spec, comparison)
    parser = _Cells()
    parser.feed(text)
    cells = parser.cells
    differs = frame.index[frame["fiscal_cost_worst"] != frame["fiscal_cost_best"]]
    assert len(differs), "the model file needs a design whose fiscal cost differs"
    for name in frame.index:
        worst, best = frame.at[name, "fiscal_cost_worst"], frame.at[name, "fiscal_cost_best"]
        cell = cells[(display_name(name), "fiscal_cost")]
        assert cell == value_range(worst, best)
        if name in differs:
            assert cell == f"{number(worst)}–{number(best)}"
        low, high = (frame.at[name, f"credible_coverage_{s}"] for s in ("worst", "best"))
        assert cells[(display_name(name), "credible_coverage")] == value_range(low, high, "share")
    # every metric of the frame is in the tables, as a range
    metrics = {c.removesuffix("_worst") for c in frame.columns if c.endswith("_worst")}
    assert metrics <= {m for _, m in cells}
    for needed in (
        "USD m per year",
        "% of required capacity",
        "worst equilibrium",
        "least participation",
        "greatest participation",
        "does not predict which equilibrium",
    ):
        assert needed in text, needed
    for name in frame.index:
        assert f"<b>{display_name(name)}</b>" in text
        if "_" in name:
            assert f"<b>{name}</b>" not in text and f">{name}<" not in text
    assert "fiscal cost USD" in text and "m per year" in text


def test_report_number_formats():
    from coordgap.plots.report import number, value_range

    assert value_range(6.0, 10.0) == "6–10"
    assert value_range(25.5, 45.0) == "25.5–45"
    assert value_range(3.0, 3.0) == "3"
    assert value_range(-922.0, -426.0) == "−922 to −426"
    assert value_range(12, 35, "count") == "12–35"
    assert value_range(0.1564, 0.3023, "share") == "15.6%–30.2%"
    assert number(999.93) == "1,000" and number(-1.25) == "−1.25"
    assert number(float("inf")) == "∞" and number(float("nan")) == "—"


@pytest.mark.slow
def test_undefined_metric_draws_without_its_label(comparison):
    frame = comparison.to_frame().copy()
    name = frame.index[1]
    frame.loc[name, ["credible_coverage_worst", "credible_coverage_best"]] = np.nan
    fig, ax = _draw(frame)
    try:
        shown = [t.get_text() for t in ax.texts if t.get_visible()]
        assert display_name(name) not in shown and len(shown) == len(frame) - 1
        _no_label_overlaps(fig, ax)
    finally:
        plt.close(fig)


def test_plot_sources_label_no_unit_one():
    """Labels say what a dimensionless axis is ("0 to 1", "ratio"), never the unit "(1)"."""
    import re
    from pathlib import Path

    import coordgap.plots as plots

    for path in sorted(Path(plots.__file__).parent.glob("*.py")):
        assert not re.search(r" \(1\)", path.read_text(encoding="utf-8")), path.name
