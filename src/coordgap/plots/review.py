"""Figures of the living registry: review cycles and the falsification region of exchange.

``review_cycles``: coverage and credible coverage of the active scenarios over review cycles,
reviewed against never reviewed, at one drift rate (left), and the registry's measured
learning rate η·λ minus the drift rate g it faces, with one and four reviews per round
(right): above zero it keeps pace.

``exchange_region``: the effect of exchanging decision logic on the probability of a timely
response over (share of conflicts revealed, hours to sequence one). For the two-plan registry
(:class:`~coordgap.registry.exchange.TwoPlanConflict`, the default) the colours are the closed
form, the black line its boundary r*(τ), and the markers the Monte Carlo signs (+ helps,
− hurts, ○ not distinguishable at 3 standard errors); for a scenario of the sample registry
the colours are the Monte Carlo effect.

Both kinds are drawn at the width of the figure style: two panels stand side by side on a
page-wide or slide figure and are stacked on a narrower one (see :func:`panel_pair`).
"""

from __future__ import annotations

import numpy as np

from .displays import _finish, wrap_title
from .layout import label_line_ends
from .style import color

__all__ = ["review_cycles_figure", "exchange_region_figure", "panel_pair", "SIDE_BY_SIDE"]

#: Default drift rates of the review-cycles figure, full and fast.
DRIFTS = (np.array([0.0, 0.25, 0.5, 0.75, 1.0]), np.array([0.0, 1.0]))

#: Least figure width (inches) at which two panels stand side by side; narrower figures
#: (the default style's 6.4 in and one journal column) stack them.
SIDE_BY_SIDE = 7.0


def panel_pair(fig, *, sharex: bool = False) -> tuple:
    """Replace the axes of ``fig`` by two panels sized for the figure style in force.

    The figure keeps the width of the style (``figure.figsize``): at
    :data:`SIDE_BY_SIDE` inches or more the panels stand side by side (height half the
    width), below it they are stacked (height 0.9 times the width, 1.35 times in one journal
    column, where labels wrap onto more lines).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; its axes are removed.
    sharex : bool
        Stacked panels share their x axis (for two measures over one grid); side by side
        panels never do.

    Returns
    -------
    tuple of matplotlib.axes.Axes
        The first (left or top) and the second (right or bottom) panel.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from coordgap.plots.style import figure_style
    >>> with figure_style("paper"):
    ...     fig = plt.figure()
    ...     top, bottom = panel_pair(fig, sharex=True)
    >>> fig.get_size_inches().tolist(), top.get_subplotspec().rowspan.start
    ([3.5, 4.725], 0)
    >>> plt.close(fig)
    >>> with figure_style("slides"):
    ...     fig = plt.figure()
    ...     left, right = panel_pair(fig)
    >>> fig.get_size_inches().tolist(), right.get_subplotspec().colspan.start
    ([10.0, 5.0], 1)
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    width = float(mpl.rcParams["figure.figsize"][0])
    for ax in list(fig.axes):
        ax.remove()
    if width >= SIDE_BY_SIDE:
        fig.set_size_inches(width, 0.5 * width)
        first, second = fig.subplots(1, 2)
    else:
        fig.set_size_inches(width, (1.35 if width < 5.0 else 0.9) * width)
        first, second = fig.subplots(2, 1, sharex=sharex)
    return first, second


def review_cycles_figure(fig, ax, block: dict, fast: bool, seed: int, title: str) -> list:
    """Draw coverage over review cycles (left) and learning minus drift rate (right).

    The block's ``values`` are drift rates (the left panel uses the largest), ``horizon`` the
    number of rounds (default 20; 6 in fast mode) and ``n`` the tabletop runs per exercise
    (default 200; ``fast_n`` 50). The registry is the packaged sample.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    ax : matplotlib.axes.Axes
        Replaced by two panels.
    block : dict
    fast : bool
    seed : int
    title : str

    Returns
    -------
    list of matplotlib.axes.Axes
        The two panels.
    """
    from ..registry import load_registry
    from ..registry.cycles import review_cycles

    drifts = np.asarray(
        block.get("fast_values" if fast else "values", DRIFTS[1] if fast else DRIFTS[0]),
        dtype=float,
    )
    rounds = 6 if fast else int(block.get("horizon", 20))
    n_runs = int(block.get("fast_n", 50) if fast else block.get("n", 200))
    registry = load_registry()
    left, right = panel_pair(fig)
    results = [
        review_cycles(registry, rounds, drift=float(d), n_runs=n_runs, rng=seed) for d in drifts
    ]
    shown = results[int(np.argmax(drifts))]
    frame = shown.to_frame()
    for regime, colour in (("reviewed", color(0)), ("never_reviewed", color(5))):
        part = frame[frame["regime"] == regime]
        name = regime.replace("_", " ")
        left.plot(part["round"], part["coverage"], color=colour, label=f"{name}: coverage")
        left.plot(
            part["round"],
            part["credible_coverage"],
            color=colour,
            linestyle="--",
            label=f"{name}: credible coverage",
        )
    left.set_ylim(0, 1.02)
    left.set_xlabel("review round")
    left.set_ylabel("share of active scenario functions covered")
    _finish(left, f"drift {float(drifts.max()):g} per round", legend=False)
    # A compact key (colour: regime, dash: measure); the lines keep their full names, which
    # label their rows of the plotted data.
    from matplotlib.lines import Line2D

    key = [
        Line2D([], [], color=color(0), label="reviewed"),
        Line2D([], [], color=color(5), label="never reviewed"),
        Line2D([], [], color="black", label="coverage"),
        Line2D([], [], color="black", linestyle="--", label="credible coverage"),
    ]
    stacked = fig.get_figwidth() < SIDE_BY_SIDE  # the key spans the full width
    left.legend(handles=key, ncols=2 if stacked else 1, loc="best", frameon=False, fontsize="small")
    left.xaxis.get_major_locator().set_params(integer=True)  # rounds are whole numbers
    for lam, marker in ((1, "o"), (4, "^")):
        runs = (
            results
            if lam == 1
            else [
                review_cycles(
                    registry, rounds, drift=float(d), n_runs=n_runs, rng=seed, reviews_per_round=lam
                )
                for d in drifts
            ]
        )
        margin = [r.learning_rate * r.reviews_per_round - r.drift_rate for r in runs]
        right.plot(
            drifts, margin, marker=marker, label=f"{lam} review{'s' if lam > 1 else ''} per round"
        )
    # The zero line spans the drift rates only: its name is written at its end.
    span = [float(drifts.min()), float(drifts.max())]
    right.plot(span, [0.0, 0.0], color="0.4", linestyle=":", label="keeps pace above")
    right.set_xlabel("probability per round that a scenario is replaced")
    right.set_ylabel("gap closed minus gap opened per round")
    _finish(right, "learning rate η·λ minus drift rate g", legend=False)
    label_line_ends(right)  # each line named at its right end, clear of the others
    if title:
        fig.suptitle(wrap_title(title, 90))
    return [left, right]


def exchange_region_figure(fig, ax, block: dict, fast: bool, seed: int, title: str) -> list:
    """Draw the sign of the effect of exchange over (reveal, resolve_time).

    The block's ``scenario`` is ``"two_plan"`` (default: the closed form with Monte Carlo
    markers) or a scenario of the sample registry (Monte Carlo only); ``values`` are the
    resolve times of the Monte Carlo grid (h) and ``n`` its runs per point (default 4000;
    ``fast_n`` 400).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    ax : matplotlib.axes.Axes
    block : dict
    fast : bool
    seed : int
    title : str

    Returns
    -------
    list of matplotlib.axes.Axes
        The axes drawn on.
    """
    from matplotlib.lines import Line2D

    from ..registry.exchange import TwoPlanConflict, exchange_region

    n = int(block.get("fast_n", 400) if fast else block.get("n", 4000))
    reveals = np.array([0.0, 0.5, 1.0]) if fast else np.linspace(0.0, 1.0, 6)
    taus = np.asarray(
        block.get(
            "fast_values" if fast else "values",
            [0.0, 2.0, 4.0] if fast else [0.0, 1.0, 2.0, 3.0, 4.0, 6.0],
        ),
        dtype=float,
    )
    scenario = block.get("scenario", "two_plan")
    key: list = []  # the legend's entries (the colour map has its colour bar)
    if scenario == "two_plan":
        model = TwoPlanConflict()
        registry = model.registry()
        r_fine = np.linspace(0, 1, 51)  # steps of 0.02: finer than the eye sees in the colours
        t_fine = np.linspace(0, max(8.0, float(taus.max())), 81)
        effect = model.effect(r_fine[None, :], t_fine[:, None])
        mesh = ax.pcolormesh(r_fine, t_fine, effect, cmap="RdBu", vmin=-1, vmax=1, shading="auto")
        mesh.set_label("closed-form effect")  # names its rows of the plotted data
        boundary = ax.contour(r_fine, t_fine, effect, levels=[0.0], colors="black", linewidths=1.5)
        boundary.set_label("closed-form boundary r*(τ)")
        key.append(Line2D([], [], color="black", label="closed-form boundary r*(τ)"))
        region = exchange_region(
            registry,
            "conflict",
            reveals,
            taus,
            n,
            observation_delay=model.observation_delay,
            latency_spread=0.0,
            rng=seed,
        )
    else:
        from ..registry import load_registry

        region = exchange_region(load_registry(), scenario, reveals, taus, n, rng=seed)
        mesh = ax.pcolormesh(
            region.reveals,
            region.resolve_times,
            region.effect.T,
            cmap="RdBu",
            vmin=-1,
            vmax=1,
            shading="nearest",
        )
        mesh.set_label("simulated effect")
    frame = region.to_frame()
    import matplotlib as mpl

    size = 1.7 * float(mpl.rcParams["lines.markersize"])  # marks scale with the style
    for sign, marker, name in (
        (1, "P", "simulation: helps"),
        (-1, "_", "simulation: hurts"),
        (0, "o", "simulation: not distinguishable"),
    ):
        part = frame[frame["sign"] == sign]
        if len(part):
            marks = ax.scatter(
                part["reveal"],
                part["resolve_time"],
                marker=marker,
                s=size**2,
                color="black",
                facecolors="none" if marker == "o" else None,
                linewidths=0.8 * float(mpl.rcParams["lines.linewidth"]),
                label=name,
                clip_on=False,  # marks on the edges of the grid are drawn whole
                zorder=3,
            )
            key.append(marks)
    fig.colorbar(mesh, ax=ax, label="effect on P(timely response)")
    # The colour field fills the axes: the spines stand a few points off it, so that the
    # first tick labels of the two axes do not meet at the corner in large type.
    for side in ("left", "bottom"):
        ax.spines[side].set_position(("outward", 4))
    ax.set_xlabel("share of conflicts exchange reveals r")
    ax.set_ylabel("hours to sequence a revealed conflict τ")
    _finish(ax, "", legend=False)
    if fig.get_figwidth() < 5.0:  # one journal column: the key goes below, off the field
        fig.set_size_inches(fig.get_figwidth(), 1.25 * fig.get_figwidth())
        fig.legend(handles=key, loc="outside lower center", frameon=False, fontsize="small")
    else:
        ax.legend(handles=key, frameon=True, fontsize="small", loc="upper left")
    if title:
        fig.suptitle(wrap_title(title, 70))
    return [ax]
