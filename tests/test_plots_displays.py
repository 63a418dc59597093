"""The public ``coordgap.plots`` module: a Display for every result kind, scikit-learn style.

Each display is built with ``from_result`` (or ``display_for``), ``.plot()`` returns the display
with ``figure_`` and ``ax_`` set, what is drawn is the result's numbers (read back from the
artists), and no two texts overlap.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import stats

import coordgap as cg
import coordgap.plots as plots
from coordgap.plots import display_for
from coordgap.plots.layout import text_overlaps


def _small_game():
    return cg.PreparednessGame(share=0.1, cost=1.0, n_actors=5, cost_exponent=2.0)


def _results():
    """One small result of every kind a display draws (name → result)."""
    from coordgap.analysis.metrics import PreparednessMetrics
    from coordgap.games.capture import CaptureModel
    from coordgap.games.disclosure import DisclosureGame
    from coordgap.games.learning import LearningModel
    from coordgap.games.library_scope import LibraryScopeModel
    from coordgap.registry import load_registry
    from coordgap.registry.exchange import exchange_exercise
    from coordgap.registry.tabletop import tabletop

    model = cg.PolicyModel.default()
    bond = cg.Design("bond", [cg.PerformanceBond()])
    registry = load_registry()
    scenario = registry.scenarios[0].id
    x = np.random.default_rng(0).random((200, 2))
    return {
        "GapReport": cg.gap(_small_game()),
        "Comparison": cg.compare(model, [cg.Design("baseline", []), bond]),
        "SweepResult": cg.sweep(
            PreparednessMetrics(_small_game()), {"share_scale": [0.5, 1.0, 2.0]}
        ),
        "MonteCarloResult": cg.monte_carlo(
            model, [bond], n=4, target=("credible_coverage", 0.4), rng=0
        ),
        "SensitivityResult": cg.sensitivity(
            model,
            [bond],
            {"PerformanceBond.amount": stats.uniform(0, 4)},
            n=4,
            rng=1,
            metrics=["credible_coverage_best"],
        ),
        "PrimResult": cg.prim(x, x[:, 0] > 0.7),
        "TabletopResult": tabletop(registry, scenario, 40, rng=0),
        "ExchangeResult": exchange_exercise(registry, scenario, 40, levels=(0.0, 1.0), rng=0),
        "LearningPaths": LearningModel(
            n_actors=10, growth=0.7, incident_rate=2.0, learning_rate=0.1, sharing=0.3
        ).simulate(5.0, 50, 20, rng=0),
        "DisclosureCurve": DisclosureGame(
            private_precision=4.0, public_precision=1.0, public_signal=0.4, cost=0.5
        ).curve(np.geomspace(0.25, 16, 5)),
        "CaptureCurve": CaptureModel().curve(np.linspace(0, 1, 4)),
        "LibraryScopeCurve": LibraryScopeModel().curve(),
        "Implementation": cg.cheapest_implementation(model, check_minimal=False),
        "BondCurve": cg.optimal_bond(model, bonds=[0.0, 0.5, 1.0, 2.0]),
    }


@pytest.fixture(scope="module")
def results():
    return _results()


def test_every_result_kind_has_a_display(results):
    assert set(results) == set(plots.DISPLAYS)
    for name, result in results.items():
        display = display_for(result)
        assert isinstance(display, plots.Display), name
        assert display.plot() is display, name  # .plot() returns the display
        assert display.figure_ is not None and display.ax_ is not None, name
        axes = display.ax_ if isinstance(display.ax_, tuple) else (display.ax_,)
        assert all(ax.figure is display.figure_ for ax in axes), name
        found = text_overlaps(display.figure_)
        assert found == {"pairs": [], "outside": []}, (name, found)
        plt.close(display.figure_)


def test_displays_draw_on_given_axes(results):
    fig, ax = plt.subplots(layout="constrained")
    display = plots.GapDisplay.from_result(results["GapReport"]).plot(ax=ax)
    assert display.ax_ is ax and display.figure_ is fig
    plt.close(fig)


def test_gap_display_draws_the_report(results):
    report = results["GapReport"]
    d = plots.GapDisplay.from_result(report, metric="welfare").plot()
    heights = [p.get_height() for p in d.ax_.patches]
    assert heights == pytest.approx([report.welfare_opt, report.welfare_worst, report.welfare_best])
    assert d.ax_.get_ylabel() == "Welfare (USD m)"
    with pytest.raises(cg.InvalidParameterError, match="metric"):
        plots.GapDisplay.from_result(report, metric="nope")
    plt.close(d.figure_)


def test_exchange_display_uses_two_panels_not_two_scales(results):
    res = results["ExchangeResult"]
    d = plots.ExchangeDisplay.from_result(res).plot()
    top, bottom = d.ax_
    assert len(d.figure_.axes) == 2  # no twin axis
    assert top.get_shared_x_axes().joined(top, bottom)
    y = bottom.get_lines()[0].get_ydata()
    assert np.allclose(y, res.summary["p_coordinated"])
    assert "hours" in top.get_ylabel()
    plt.close(d.figure_)


def test_exchange_display_splits_a_single_axes(results):
    fig, ax = plt.subplots(layout="constrained")
    plots.ExchangeDisplay.from_result(results["ExchangeResult"]).plot(ax)
    assert len(fig.axes) == 2 and ax not in fig.axes
    plt.close(fig)


def test_library_scope_display_marks_the_optimum(results):
    curve = results["LibraryScopeCurve"]
    d = plots.LibraryScopeDisplay.from_result(curve).plot()
    star = next(line for line in d.ax_.get_lines() if line.get_label() == "optimal breadth")
    assert star.get_xdata()[0] == pytest.approx(curve.optimal_breadth)
    plt.close(d.figure_)


def test_capture_display_labels_have_no_snake_case(results):
    d = plots.CaptureDisplay.from_result(results["CaptureCurve"]).plot()
    labels = [t.get_text() for t in d.ax_.get_legend().get_texts()]
    assert labels and not any("_" in label for label in labels)
    plt.close(d.figure_)


def test_sweep_display_from_result_defaults(results):
    sweep = results["SweepResult"]
    d = plots.SweepDisplay.from_result(sweep).plot()
    line = d.ax_.get_lines()[0]
    assert np.allclose(line.get_xdata(), [0.5, 1.0, 2.0])
    assert np.allclose(line.get_ydata(), sweep.frame.sort_values("share_scale")[sweep.metrics[0]])
    plt.close(d.figure_)


def test_prim_display_returns_itself_with_two_axes(results):
    d = plots.PrimDisplay.from_result(results["PrimResult"]).plot()
    assert len(d.ax_) == 2
    plt.close(d.figure_)


def test_display_for_rejects_unknown_results():
    with pytest.raises(TypeError, match="no display draws a float"):
        display_for(1.5)


def test_public_module_exports():
    for name in plots.__all__:
        assert hasattr(plots, name), name
