"""Display objects: build from a result, then ``.plot(ax=None)``. Plots only draw.

Axis labels come from the declared parameter metadata (``coordgap.params.label``), with units.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..params import label as param_label

__all__ = ["axis_label", "SweepDisplay", "ComparisonDisplay", "RobustnessDisplay"]

_METRIC_LABELS = {
    "robustness_nash": "equilibrium robustness R (capacity units)",
    "robustness_opt": "optimal robustness R (capacity units)",
    "robustness_ratio": "R_nash / R_opt (1)",
    "residual_harm_ratio": "residual harm / optimum (1)",
    "participation": "filers (actors)",
    "credible_coverage": "credible coverage (share of required capacity)",
    "coverage": "coverage (capacity share)",
    "fiscal_cost": "fiscal cost (USD m per period)",
    "welfare": "welfare (USD m per period)",
    "residual_harm": "residual expected harm (USD m per period)",
}
_SCALE_LABELS = {"share_scale": "benefit share multiplier σ (1): smaller is more diffuse",
                 "cost_scale": "cost multiplier τ (1)"}


def axis_label(name: str) -> str:
    """Label for a grid key or metric: declared metadata for parameters, with units."""
    base = name.removesuffix("_worst").removesuffix("_best")
    if base in _METRIC_LABELS:
        return _METRIC_LABELS[base]
    if name in _SCALE_LABELS:
        return _SCALE_LABELS[name]
    head, _, key = name.rpartition(".")
    from .. import instruments
    from ..games.commitment import CommitmentModel
    from ..games.participation import ParticipationGame
    from ..games.preparedness import PreparednessGame

    owners = {"participation": ParticipationGame, "commitment": CommitmentModel,
              "preparedness": PreparednessGame, "": PreparednessGame}
    owner = owners.get(head) or getattr(instruments, head, None)
    if owner is not None:
        try:
            return param_label(owner, key)
        except KeyError:
            pass
    return name.replace("_", " ")


def _finish(ax, title: str, grid_axis: str = "both"):
    """Title, light grid and a frameless legend: the common end of every display."""
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3, axis=grid_axis)
    ax.legend(frameon=False, fontsize="small")
    return ax


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6.4, 4.2))
    return ax


@dataclass
class SweepDisplay:
    """Lines of sweep metrics against one grid column, optionally a shaded band between two.

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.analysis.metrics import PreparednessMetrics
    >>> from coordgap.plots.displays import SweepDisplay
    >>> game = cg.PreparednessGame(share=0.1, cost=1.0, n_actors=5, cost_exponent=2.0)
    >>> res = cg.sweep(PreparednessMetrics(game), {"share_scale": [0.5, 1.0, 2.0]})
    >>> ax = SweepDisplay.from_sweep(res, x="share_scale",
    ...                              y=["robustness_nash", "robustness_opt"]).plot()
    >>> ax.get_xlabel().startswith("benefit share multiplier")
    True
    """

    x: np.ndarray
    lines: dict
    x_label: str
    y_label: str
    band: tuple | None = None
    band_label: str = ""
    marks: dict = field(default_factory=dict)
    title: str = ""

    @classmethod
    def from_sweep(cls, sweep, *, x: str, y, band=None, band_label="", labels=None,
                   marks=None, title="") -> "SweepDisplay":
        frame = sweep.frame.sort_values(x)
        y = [y] if isinstance(y, str) else list(y)
        labels = labels or {}
        lines = {labels.get(k, k.replace("_", " ")): frame[k].to_numpy() for k in y}
        band_values = (frame[band[0]].to_numpy(), frame[band[1]].to_numpy()) if band else None
        return cls(x=frame[x].to_numpy(), lines=lines, x_label=axis_label(x),
                   y_label=axis_label(y[0]), band=band_values, band_label=band_label,
                   marks=marks or {}, title=title)

    def plot(self, ax=None):
        ax = _axes(ax)
        if self.band is not None:
            ax.fill_between(self.x, self.band[0], self.band[1], color="tab:red", alpha=0.15,
                            label=self.band_label or None, linewidth=0)
        for name, values in self.lines.items():
            ax.plot(self.x, values, marker="o", markersize=3, label=name)
        for name, (mx, my) in self.marks.items():
            ax.plot([mx], [my], marker="*", markersize=14, color="black", linestyle="none",
                    label=name)
        ax.set_xlabel(self.x_label)
        ax.set_ylabel(self.y_label)
        return _finish(ax, self.title)


@dataclass
class ComparisonDisplay:
    """Fiscal cost against credible coverage per design, with the Pareto frontier."""

    names: list
    cost: np.ndarray
    coverage_worst: np.ndarray
    coverage_best: np.ndarray
    pareto: list
    title: str = ""

    @classmethod
    def from_comparison(cls, comparison, title="") -> "ComparisonDisplay":
        frame = comparison.to_frame()
        return cls(names=list(frame.index), cost=frame["fiscal_cost_worst"].to_numpy(),
                   coverage_worst=frame["credible_coverage_worst"].to_numpy(),
                   coverage_best=frame["credible_coverage_best"].to_numpy(),
                   pareto=list(comparison.pareto), title=title)

    def plot(self, ax=None):
        ax = _axes(ax)
        ax.vlines(self.cost, self.coverage_worst, self.coverage_best, color="0.6", linewidth=2,
                  label="worst to best equilibrium")
        ax.scatter(self.cost, self.coverage_worst, color="tab:blue", zorder=3,
                   label="worst equilibrium")
        ax.scatter(self.cost, self.coverage_best, color="tab:green", marker="^", zorder=3,
                   label="best equilibrium")
        on = [i for i, n in enumerate(self.names) if n in self.pareto]
        order = sorted(on, key=lambda i: (self.cost[i], self.coverage_worst[i]))
        ax.plot(self.cost[order], self.coverage_worst[order], color="tab:red", linestyle="--",
                label="Pareto frontier (worst case)")
        for i, name in enumerate(self.names):
            ax.annotate(name, (self.cost[i], self.coverage_worst[i]), textcoords="offset points",
                        xytext=(5, -10), fontsize="x-small")
        ax.set_xlabel(axis_label("fiscal_cost"))
        ax.set_ylabel(axis_label("credible_coverage"))
        return _finish(ax, self.title)


@dataclass
class RobustnessDisplay:
    """Probability of meeting the target per design, with credible-coverage quantiles."""

    names: list
    p_target: np.ndarray
    q05: np.ndarray
    q50: np.ndarray
    q95: np.ndarray
    target: str
    title: str = ""

    @classmethod
    def from_result(cls, result, title="") -> "RobustnessDisplay":
        t = result.table
        return cls(names=list(t.index), p_target=t["p_target"].to_numpy(),
                   q05=t["credible_coverage_q05"].to_numpy(),
                   q50=t["credible_coverage_q50"].to_numpy(),
                   q95=t["credible_coverage_q95"].to_numpy(), target=result.target, title=title)

    def plot(self, ax=None):
        ax = _axes(ax)
        pos = np.arange(len(self.names))
        ax.bar(pos, self.p_target, color="tab:blue", alpha=0.7,
               label=f"P({self.target})")
        ax.errorbar(pos, self.q50, yerr=[self.q50 - self.q05, self.q95 - self.q50], fmt="o",
                    color="black", capsize=4,
                    label="credible coverage, worst equilibrium (5–50–95%)")
        ax.set_xticks(pos, self.names, rotation=30, ha="right")
        ax.set_ylabel("probability / credible coverage (1)")
        ax.set_ylim(0, 1.05)
        return _finish(ax, self.title, grid_axis="y")
