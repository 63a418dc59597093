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
"""

from __future__ import annotations

import numpy as np

from .displays import _finish, wrap_title

__all__ = ["review_cycles_figure", "exchange_region_figure"]

#: Default drift rates of the review-cycles figure, full and fast.
DRIFTS = (np.array([0.0, 0.25, 0.5, 0.75, 1.0]), np.array([0.0, 1.0]))


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
    fig.delaxes(ax)
    width = fig.get_size_inches()[0]
    fig.set_size_inches(max(width, 9.6), 4.4)
    left, right = fig.subplots(1, 2)
    results = [
        review_cycles(registry, rounds, drift=float(d), n_runs=n_runs, rng=seed) for d in drifts
    ]
    shown = results[int(np.argmax(drifts))]
    frame = shown.to_frame()
    for regime, colour in (("reviewed", "tab:blue"), ("never_reviewed", "tab:red")):
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
    _finish(left, f"drift {float(drifts.max()):g} per round")
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
        right.plot(drifts, margin, marker=marker, label=f"{lam} review(s) per round")
    right.axhline(0.0, color="0.4", linestyle=":", label="keeps pace above this line")
    right.set_xlabel("probability per round that a scenario is replaced")
    right.set_ylabel("gap closed minus gap opened per round")
    _finish(right, "learning rate η·λ minus drift rate g")
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
    if scenario == "two_plan":
        model = TwoPlanConflict()
        registry = model.registry()
        r_fine = np.linspace(0, 1, 101)
        t_fine = np.linspace(0, max(8.0, float(taus.max())), 121)
        effect = model.effect(r_fine[None, :], t_fine[:, None])
        mesh = ax.pcolormesh(r_fine, t_fine, effect, cmap="RdBu", vmin=-1, vmax=1, shading="auto")
        ax.contour(r_fine, t_fine, effect, levels=[0.0], colors="black", linewidths=1.5)
        ax.plot([], [], color="black", label="closed-form boundary r*(τ)")
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
    frame = region.to_frame()
    for sign, marker, name in (
        (1, "P", "simulation: helps"),
        (-1, "_", "simulation: hurts"),
        (0, "o", "simulation: not distinguishable"),
    ):
        part = frame[frame["sign"] == sign]
        if len(part):
            ax.scatter(
                part["reveal"],
                part["resolve_time"],
                marker=marker,
                s=60,
                color="black",
                facecolors="none" if marker == "o" else None,
                linewidths=2,
                label=name,
            )
    fig.colorbar(mesh, ax=ax, label="effect on P(timely response)")
    ax.set_xlabel("share of conflicts exchange reveals r")
    ax.set_ylabel("hours to sequence a revealed conflict τ")
    _finish(ax, "")
    ax.legend(frameon=True, fontsize="small", loc="upper left")
    if title:
        fig.suptitle(wrap_title(title, 70))
    return [ax]
