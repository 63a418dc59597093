"""Figures of the living-registry instruments: quality-tied incentives and standing venues.

``quality_incentives``: per-filer inflation of declared capacity and worst-case credible
coverage against fiscal cost, for an incentive sized by credible (audited) capacity and the
same incentive sized by declared capacity, each scaled to the same budgets.

``venue_selection``: credible coverage under the least, the greatest and the expected
equilibrium as a standing venue's cut in joining costs grows, with the venue's selection
probability and running cost stated.
"""

from __future__ import annotations

import numpy as np

from ..analysis.registry_instruments import quality_comparison, venue_outcome
from ..errors import SpecError
from ..instruments.design import Design
from ..instruments.quality import QualityIncentive
from ..instruments.venue import StandingVenue
from .displays import _finish, wrap_title
from .review import panel_pair

__all__ = ["quality_incentives_figure", "venue_selection_figure"]

#: Default budgets (USD m per year) of the quality figure, full and fast.
QUALITY_BUDGETS = (np.array([10.0, 20.0, 30.0, 40.0, 60.0, 80.0, 120.0]), np.array([20.0, 60.0]))
#: Default joining-cost reductions of the venue figure, full and fast.
VENUE_REDUCTIONS = (np.linspace(0.0, 1.0, 11), np.array([0.0, 0.5, 1.0]))


def _grid(block: dict, fast: bool, defaults) -> np.ndarray:
    key = "fast_values" if fast else "values"
    return np.asarray(block.get(key, defaults[1] if fast else defaults[0]), dtype=float)


def _find(spec, name: str, cls, kind: str, source: str):
    """The design called ``name`` and its instrument of type ``cls``."""
    for design in spec.designs:
        if design.name == name:
            for item in design.instruments:
                if isinstance(item, cls):
                    return design, item
            raise SpecError(
                source, [f"figures: a {kind} figure needs a {cls.__name__} in design {name!r}"]
            )
    raise SpecError(source, [f"figures: unknown design {name!r}"])


def quality_incentives_figure(fig, spec, block: dict, fast: bool, title: str) -> list:
    """Draw the quality-incentive comparison on two panels of ``fig``.

    The block's ``design`` (default ``"quality"``) holds a :class:`QualityIncentive` with
    ``basis = "credible"`` (its precision is used) and the instruments held fixed for both
    bases (e.g. an audit); ``values`` are the budgets (USD m per year).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to draw on (its axes are replaced by two panels, side by side or stacked
        as :func:`~coordgap.plots.review.panel_pair` sizes them for the style).
    spec : ModelSpec
        The model file.
    block : dict
        The figure's block.
    fast : bool
        Use ``fast_values``.
    title : str
        Figure title.

    Returns
    -------
    list of matplotlib.axes.Axes
        The two panels.
    """
    name = block.get("design", "quality")
    design, item = _find(spec, name, QualityIncentive, "quality_incentives", spec.source)
    fixed = [i for i in design.instruments if not isinstance(i, QualityIncentive)]
    precision = item.precision if item.basis == "credible" else 0.0
    res = quality_comparison(
        spec.policy_model(), _grid(block, fast, QUALITY_BUDGETS), precision=precision, fixed=fixed
    )
    frame = res.to_frame()
    left, right = panel_pair(fig, sharex=True)  # side by side, or stacked on one fiscal axis
    stacked = right.get_subplotspec().rowspan.start == 1  # the second panel below
    styles = {
        "credible": dict(marker="o", label=f"credible basis (audit verifies {precision:.0%})"),
        "declared": dict(marker="s", linestyle="--", label="declared basis (per-filer)"),
    }
    for basis, part in frame.groupby("basis", sort=False):
        part = part[part["reached"]]
        left.plot(part["fiscal_cost"], part["inflation"], **styles[str(basis)])
        right.plot(part["fiscal_cost"], part["credible_coverage_worst"], **styles[str(basis)])
    if not stacked:
        left.set_xlabel("fiscal cost (USD m per year)")
    left.set_ylabel("declared minus true capacity per filer (capacity units)")
    right.set_xlabel("fiscal cost (USD m per year)")
    right.set_ylabel("worst-case credible coverage (share of required)")
    _finish(left, "", legend=False)
    _finish(right, "", legend=False)
    # One key for both panels, below them: clear of the lines at every budget and size.
    left.figure.legend(
        handles=left.get_lines(),
        loc="outside lower center",
        ncols=1 if fig.get_figwidth() < 5.0 else 2,
        frameon=False,
        fontsize="small",
    )
    if title:
        fig.suptitle(wrap_title(title, 90), fontsize="medium")
    return [left, right]


def venue_selection_figure(ax, spec, block: dict, fast: bool, title: str):
    """Draw credible coverage under the worst, best and expected equilibrium against a
    standing venue's cut in joining costs.

    The block's ``design`` (default ``"venue"``) holds a :class:`StandingVenue`; its
    selection probability and running cost are kept, and its ``cost_reduction`` takes the
    block's ``values`` (shares in [0, 1]).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to draw on.
    spec : ModelSpec
        The model file.
    block : dict
        The figure's block.
    fast : bool
        Use ``fast_values``.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    name = block.get("design", "venue")
    design, venue = _find(spec, name, StandingVenue, "venue_selection", spec.source)
    grid = _grid(block, fast, VENUE_REDUCTIONS)
    if np.any(grid > 1):
        raise SpecError(
            spec.source, ["figures: venue_selection values are shares of joining cost in [0, 1]"]
        )
    model = spec.policy_model()
    rows = []
    for rho in grid:
        items = [
            i.with_level(float(rho)) if isinstance(i, StandingVenue) else i
            for i in design.instruments
        ]
        out = venue_outcome(model, Design(name, items))
        rows.append(
            (
                out.worst["credible_coverage"],
                out.best["credible_coverage"],
                out.expected["credible_coverage"],
            )
        )
    worst, best, expected = np.asarray(rows).T
    ax.fill_between(grid, worst, best, alpha=0.15, linewidth=0, label="equilibrium range")
    ax.plot(grid, worst, marker="v", label="least (worst) equilibrium")
    ax.plot(grid, best, marker="^", label="greatest (best) equilibrium")
    ax.plot(
        grid,
        expected,
        marker="o",
        linestyle="--",
        color="black",
        label=f"expected, venue selects the best with probability {venue.selection:g}",
    )
    ax.set_xlabel(
        f"share of joining cost the venue removes (venue costs {venue.annual_cost:g} USD m per year)"
    )
    ax.set_ylabel("credible coverage (share of required capacity)")
    fig = ax.figure
    narrow = fig.get_figwidth() < 5.0  # one journal column: a taller figure, a one-column key
    if narrow:
        fig.set_size_inches(fig.get_figwidth(), 1.25 * fig.get_figwidth())
    _finish(ax, title, legend=False)
    # The key goes below the x label (the layout makes room for it however the label wraps).
    fig.legend(
        loc="outside lower center", ncols=1 if narrow else 2, frameon=False, fontsize="small"
    )
    return ax
