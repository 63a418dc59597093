"""Displays of sensitivity indices and PRIM boxes, and one figure function per analysis.

As everywhere in :mod:`coordgap.plots`, a display is built from a result and only draws
(``.plot(ax=None)``); :func:`sensitivity_figure` and :func:`prim_figure` lay several displays out
in one figure. These figures are not among the ``[figures.*]`` kinds of a model file: a
sensitivity study takes tens of seconds, and ``coordgap figures`` is kept to a few.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .displays import (
    Display,
    _ax_sections,
    _axes,
    _finish,
    _legend_gap_points,
    _star,
    axis_label,
    display_name,
    wrap_title,
)
from .style import OKABE_ITO, color

__all__ = ["SobolDisplay", "PrimDisplay", "sensitivity_figure", "prim_figure"]


def _short_label(path: str) -> str:
    """A parameter path as a short tick label (its axis label, cut at the first bracket)."""
    label = axis_label(path)
    return label if label != path.replace("_", " ") else path


def _metric_name(metric: str) -> str:
    """A metric's name in words, without its unit (``credible_coverage_best`` → ``credible
    coverage, best equilibrium``)."""
    name = axis_label(metric).split(" (")[0]
    if metric.endswith("_worst"):
        name += ", worst equilibrium"
    elif metric.endswith("_best"):
        name += ", best equilibrium"
    return name


def _panel_doc(func):
    """Decorator: the sections every panel of a display shares, after its one-line docstring."""
    func.__doc__ += _ax_sections("matplotlib.axes.Axes\n    The axes drawn on.")
    return func


@dataclass
class SobolDisplay(Display):
    """Bars of one design's sensitivity indices (S1 and ST, or Morris mu* and sigma) per
    parameter, with confidence intervals.

    Parameters
    ----------
    parameters : list of str
        Parameter paths (one group of bars each).
    bars : dict of str to ndarray
        Legend label → one value per parameter.
    errors : dict of str to ndarray
        Legend label → half-width of the confidence interval (same keys as ``bars``, or
        fewer).
    y_label : str
        Label of the vertical axis.
    title : str
        Title of the plot.

    Examples
    --------
    >>> import numpy as np
    >>> d = SobolDisplay(["a", "b"], {"first order S1": np.array([0.2, 0.7]),
    ...                               "total ST": np.array([0.3, 0.8])}, {}, "index")
    >>> len(d.plot().ax_.patches)
    4
    """

    parameters: list
    bars: dict
    errors: dict
    y_label: str
    title: str = ""

    @classmethod
    def from_result(
        cls, result, design: str | None = None, metric: str | None = None, title=""
    ) -> SobolDisplay:
        """One design and metric of a :class:`~coordgap.analysis.sensitivity.SensitivityResult`.

        Parameters
        ----------
        result : SensitivityResult
            The study.
        design : str, optional
            The design (default: the study's first).
        metric : str, optional
            A metric of the study, or ``"rank[<rank_by>]"`` (default: the first metric).
        title : str
            Title of the plot (default: the design's name).

        Returns
        -------
        SobolDisplay
            The display, ready to :meth:`plot`.
        """
        frame = result.to_frame()
        metric = metric or result.metrics[0]
        design = design or str(frame["design"].iloc[0])
        part = frame[(frame["design"] == design) & (frame["metric"] == metric)]
        if part.empty:
            from ..errors import InvalidParameterError, did_you_mean

            raise InvalidParameterError(
                "SobolDisplay",
                "design/metric",
                "a design and a metric (or rank) of the study",
                f"{design}/{metric}",
                did_you_mean(metric, list(dict.fromkeys(frame["metric"]))),
            )
        if result.method == "sobol":
            bars = {
                "first order S1": part["S1"].to_numpy(),
                "total ST": part["ST"].to_numpy(),
            }
            errors = {
                "first order S1": part["S1_conf"].to_numpy(),
                "total ST": part["ST_conf"].to_numpy(),
            }
            y_label = f"share of the variance of {_metric_name(metric)}"
        else:
            bars = {
                "mu* (mean |effect|)": part["mu_star"].to_numpy(),
                "sigma": part["sigma"].to_numpy(),
            }
            errors = {"mu* (mean |effect|)": part["mu_star_conf"].to_numpy()}
            y_label = f"effect on {_metric_name(metric)} per unit quantile"
        return cls(
            parameters=list(part["parameter"]),
            bars=bars,
            errors=errors,
            y_label=y_label,
            title=title or display_name(design),
        )

    def plot(self, ax=None):
        """Draw grouped bars, one group per parameter."""
        ax = self._start(ax)
        pos = np.arange(len(self.parameters))
        width = 0.8 / max(1, len(self.bars))
        for k, (label, values) in enumerate(self.bars.items()):
            err = self.errors.get(label)
            ax.bar(
                pos + (k - (len(self.bars) - 1) / 2) * width,
                np.nan_to_num(np.asarray(values, dtype=float)),
                width,
                yerr=None if err is None else np.nan_to_num(np.asarray(err, dtype=float)),
                capsize=3,
                label=label,
                color=color(k),
            )
        ax.set_xticks(
            pos,
            [wrap_title(_short_label(p), 24) for p in self.parameters],
            rotation=0,
            fontsize="small",
        )
        ax.set_ylabel(self.y_label)
        ax.axhline(0.0, color="0.3", linewidth=0.6)
        _finish(ax, self.title, grid_axis="y")
        return self


@dataclass
class PrimDisplay(Display):
    """A PRIM box: on the left the peeling trajectory (density against coverage, the number
    of restricted parameters by colour, the selected box starred); on the right the box's
    limits on each parameter, as a share of the data's range.

    Parameters
    ----------
    coverage, density : ndarray
        Coverage and density of every box of the trajectory.
    n_restricted : ndarray
        Restricted parameters of every box of the trajectory.
    selected : int
        Position of the final box in the trajectory.
    parameters : list of str
        Parameter paths of the box.
    lower, upper : ndarray
        The box's limits, as shares of each parameter's data range (0 to 1).
    restricted : ndarray of bool
        Whether the box restricts each parameter.
    title : str
        Title of the figure.
    """

    coverage: np.ndarray
    density: np.ndarray
    n_restricted: np.ndarray
    selected: int
    parameters: list
    lower: np.ndarray
    upper: np.ndarray
    restricted: np.ndarray
    title: str = ""

    @classmethod
    def from_result(cls, result, box: int = 1, title="") -> PrimDisplay:
        """From a :class:`~coordgap.analysis.prim.PrimResult`.

        Parameters
        ----------
        result : PrimResult
            The PRIM result.
        box : int
            Which box (default 1, the first).
        title : str
            Title of the figure (default: the result's label).

        Returns
        -------
        PrimDisplay
            The display, ready to :meth:`plot`.
        """
        steps = result.trajectory[result.trajectory["box"] == box].reset_index(drop=True)
        limits = result.boxes[result.boxes["box"] == box]
        if steps.empty or limits.empty:
            from ..errors import InvalidParameterError

            raise InvalidParameterError(
                "PrimDisplay", "box", f"a box of the result (1 to {len(result.box_stats)})", box
            )
        span = (limits["data_max"] - limits["data_min"]).to_numpy()
        span = np.where(span > 0, span, 1.0)
        last = int(np.flatnonzero(steps["selected"].to_numpy())[-1])
        return cls(
            coverage=steps["coverage"].to_numpy(),
            density=steps["density"].to_numpy(),
            n_restricted=steps["n_restricted"].to_numpy(),
            selected=last,
            parameters=list(limits["parameter"]),
            lower=((limits["lower"] - limits["data_min"]).to_numpy() / span),
            upper=((limits["upper"] - limits["data_min"]).to_numpy() / span),
            restricted=limits["restricted"].to_numpy(dtype=bool),
            title=title or result.label,
        )

    @_panel_doc
    def plot_trajectory(self, ax=None):
        """Draw the peeling trajectory."""
        ax = _axes(ax)
        ax.plot(self.coverage, self.density, color="0.6", linewidth=0.8, zorder=1)
        points = ax.scatter(
            self.coverage, self.density, c=self.n_restricted, cmap="viridis", s=14, zorder=2
        )
        _star(ax, self.coverage[self.selected], self.density[self.selected], "selected box")
        ax.figure.colorbar(points, ax=ax, label="Restricted parameters")
        ax.set_xlabel("coverage (share of the cases in the box)")
        ax.set_ylabel("density (share of the box that are cases)")
        return _finish(ax, "Peeling trajectory")

    @_panel_doc
    def plot_box(self, ax=None):
        """Draw the box's limits on every parameter (0 to 1: the data's range)."""
        from matplotlib.transforms import offset_copy

        ax = _axes(ax)
        pos = np.arange(len(self.parameters))
        ax.barh(pos, np.ones(len(pos)), color="0.9", label="range of the data")
        ax.barh(
            pos,
            self.upper - self.lower,
            left=self.lower,
            color=np.where(self.restricted, OKABE_ITO[5], "0.55"),
            label="box",
        )
        ax.set_yticks(pos, [wrap_title(_short_label(p), 28) for p in self.parameters])
        ax.set_xlim(0, 1)
        ax.set_xlabel("position within the range of the data")
        ax.invert_yaxis()
        _finish(ax, "Box limits (vermillion: restricted)", grid_axis="x", legend=False)
        below = offset_copy(ax.transAxes, fig=ax.figure, y=-_legend_gap_points(), units="points")
        ax.legend(  # below the axes, clear of the bars
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            bbox_transform=below,
            ncol=2,
            frameon=False,
            fontsize="small",
        )
        return ax

    def plot(self, ax=None):
        """Draw the trajectory and the box side by side.

        Parameters
        ----------
        ax : sequence of two matplotlib.axes.Axes, optional
            The axes of the trajectory and of the box (default: a new figure's).

        Returns
        -------
        PrimDisplay
            ``self``; ``ax_`` is the pair of axes.
        """
        if ax is None:
            import matplotlib.pyplot as plt

            fig, ax = plt.subplots(1, 2, figsize=(10.0, 4.2), layout="constrained")
            if self.title:
                fig.suptitle(wrap_title(self.title, 90))
        left, right = self._start(tuple(ax))
        self.plot_trajectory(left)
        self.plot_box(right)
        return self


def sensitivity_figure(result, metric: str | None = None, *, designs=None, title: str = ""):
    """Sensitivity bars of every design of a study, one panel per design.

    Parameters
    ----------
    result : SensitivityResult
        The study (:func:`coordgap.sensitivity`).
    metric : str, optional
        A metric of the study or ``"rank[<rank_by>]"`` (default: the first metric).
    designs : sequence of str, optional
        The designs drawn (default: all).
    title : str
        Title of the figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (the caller closes it).

    Examples
    --------
    >>> import coordgap as cg
    >>> from scipy import stats
    >>> res = cg.sensitivity(cg.PolicyModel.default(), [cg.Design("bond", [cg.PerformanceBond()])],
    ...                      {"PerformanceBond.amount": stats.uniform(0, 4)}, n=4, rng=1,
    ...                      metrics=["credible_coverage_best"])
    >>> fig = sensitivity_figure(res)
    >>> len(fig.axes)
    1
    """
    import matplotlib.pyplot as plt

    names = list(designs) if designs is not None else list(dict.fromkeys(result.indices["design"]))
    cols = min(3, len(names))
    rows = -(-len(names) // cols)
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(4.2 * cols, 3.4 * rows),
        squeeze=False,
        sharey=result.method == "sobol",
        layout="constrained",
    )
    for k, ax in enumerate(axes.flat):
        if k >= len(names):
            ax.set_visible(False)
            continue
        SobolDisplay.from_result(result, names[k], metric).plot(ax)
        if k:
            legend = ax.get_legend()
            if legend is not None:
                legend.remove()
    metric = metric or result.metrics[0]
    fig.suptitle(
        wrap_title(
            title
            or f"Sensitivity of {metric.replace('_', ' ')} ({result.method}, "
            f"{result.n_evaluations} evaluations)",
            90,
        )
    )
    return fig


def prim_figure(result, box: int = 1, *, title: str = ""):
    """A PRIM box and its peeling trajectory in one figure.

    Parameters
    ----------
    result : PrimResult
        The PRIM result (:func:`coordgap.prim` or :func:`coordgap.scenario_discovery`).
    box : int
        Which box (default 1).
    title : str
        Title of the figure (default: the result's label).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (the caller closes it).

    Examples
    --------
    >>> import numpy as np, coordgap as cg
    >>> x = np.random.default_rng(0).random((400, 2))
    >>> fig = prim_figure(cg.prim(x, x[:, 0] > 0.7))
    >>> len(fig.axes)  # trajectory, its colour bar, box
    3
    """
    display = PrimDisplay.from_result(result, box, title=title)
    return display.plot().figure_
