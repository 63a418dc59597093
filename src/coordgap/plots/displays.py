"""Display objects: build from a result, then ``.plot(ax=None)``. Plots only draw.

Axis labels come from the declared parameter metadata (``coordgap.params.label``), with units
in words; design names are shown as readers write them (:func:`display_name`).
"""

from __future__ import annotations

import abc
import functools
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

import numpy as np

from .. import instruments
from ..games.commitment import CommitmentModel
from ..games.participation import ParticipationGame
from ..games.preparedness import PreparednessGame
from ..params import label as param_label
from .style import OKABE_ITO, color

__all__ = [
    "axis_label",
    "display_name",
    "sentence",
    "wrap_title",
    "title_width",
    "category_ticks",
    "WORST_LABEL",
    "BEST_LABEL",
    "Display",
    "SweepDisplay",
    "ComparisonDisplay",
    "RobustnessDisplay",
]

_METRIC_LABELS = {
    "robustness_nash": "equilibrium robustness R (capacity units)",
    "robustness_opt": "optimal robustness R (capacity units)",
    "robustness_ratio": "R_nash / R_opt (ratio)",
    "residual_harm_ratio": "residual harm / optimum (ratio)",
    "participation": "filers (actors)",
    "credible_coverage": "credible coverage (share of required capacity)",
    "declared_coverage": "declared coverage (share of required capacity)",
    "coverage": "coverage (share of the actors' capacity)",
    "robustness": "robustness R (capacity units)",
    "preparedness": "voluntary preparedness R1 (capacity units)",
    "fiscal_cost": "fiscal cost (USD m per year)",
    "insurer_cost": "insurer cost (USD m per year)",
    "actor_cost": "cost to actors (USD m per year)",
    "programme_cost": "programme cost (USD m per year)",
    "deadweight": "deadweight loss (USD m per year)",
    "welfare": "welfare (USD m per year)",
    "residual_harm": "residual expected harm (USD m per year)",
    "harm_averted_per_fiscal": "harm averted per fiscal dollar (USD per USD)",
}
_SCALE_LABELS = {
    "share_scale": "benefit share multiplier σ (times the calibrated shares; "
    "smaller is more diffuse)",
    "cost_scale": "cost multiplier τ (times the calibrated costs)",
}
_ACRONYMS = {"ai": "AI", "usd": "USD", "eu": "EU", "us": "US", "uk": "UK"}

#: Legend text for the two equilibria every design is evaluated under.
WORST_LABEL = "worst equilibrium (least participation)"
BEST_LABEL = "best equilibrium (greatest participation)"


def display_name(name) -> str:
    """A design (or role) name as a reader writes it, not as code spells it.

    Parameters
    ----------
    name : str
        The name as code spells it (underscores between words).

    Returns
    -------
    str
        Words separated by spaces, known acronyms in capitals, the first letter capitalized.

    Examples
    --------
    >>> display_name("compute_access"), display_name("regulatory_flexibility")
    ('Compute access', 'Regulatory flexibility')
    >>> display_name("baseline"), display_name("ai_developer")
    ('Baseline', 'AI developer')
    """
    words = str(name).replace("_", " ").split()
    words = [_ACRONYMS.get(w.lower(), w) if w.islower() else w for w in words]
    text = " ".join(words)
    return sentence(text)


def sentence(text: str) -> str:
    """``text`` with a capital first letter (symbols such as σ are left alone).

    Parameters
    ----------
    text : str
        Any label or sentence.

    Returns
    -------
    str
        ``text`` with an ASCII lower-case first letter capitalized.
    """
    first = text[:1]
    if first.isascii() and first.islower():
        return first.upper() + text[1:]
    return text


def wrap_title(title: str, width: int = 60) -> str:
    """Wrap a title at about ``width`` characters so that it is never clipped.

    Parameters
    ----------
    title : str
        The title; existing line breaks are kept.
    width : int
        Longest line, in characters (default 60).

    Returns
    -------
    str
        The title with line breaks.
    """
    return "\n".join(
        line for part in str(title).splitlines() for line in (textwrap.wrap(part, width) or [""])
    )


def axis_label(name: str) -> str:
    """Label for a grid key or metric: declared metadata for parameters, with units.

    Parameters
    ----------
    name : str
        A metric (``_worst``/``_best`` suffixes allowed), a scale key such as
        ``share_scale``, or a parameter path such as ``PerformanceBond.amount``.

    Returns
    -------
    str
        The label with its unit in words; ``name`` with spaces for underscores when unknown.
    """
    base = name.removesuffix("_worst").removesuffix("_best")
    if base in _METRIC_LABELS:
        return _METRIC_LABELS[base]
    if name in _SCALE_LABELS:
        return _SCALE_LABELS[name]
    head, _, key = name.rpartition(".")

    owners = {
        "participation": ParticipationGame,
        "commitment": CommitmentModel,
        "preparedness": PreparednessGame,
        "": PreparednessGame,
    }
    owner = owners.get(head) or getattr(instruments, head, None)
    if owner is None and head.split(".")[0] == "actors":  # actors.*.registry.join_cost
        from ..instruments.base import ActorTable

        owner = ActorTable
    if owner is not None:
        try:
            return param_label(owner, key)
        except KeyError:
            pass
    return name.replace("_", " ")


def _finish(ax, title: str, grid_axis: str = "both", legend: bool = True):
    """Title, sentence-case axis labels, light grid, frameless legend: the end of every display."""
    if title:
        ax.set_title(wrap_title(title, title_width(ax)))
    ax.set_xlabel(sentence(ax.get_xlabel()))
    ax.set_ylabel(sentence(ax.get_ylabel()))
    ax.grid(alpha=0.3, axis=grid_axis)
    if legend:
        ax.legend(frameon=False, fontsize="small")
    return ax


def title_width(ax, fontsize=None) -> int:
    """Characters of a title line that fit the width of ``ax`` (at least 20).

    An average character of a proportional font is about 0.55 em wide; the title may span
    the width of the axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes the title belongs to.
    fontsize : float or str, optional
        The title's font size (default ``axes.titlesize``).

    Returns
    -------
    int
        The widest line, in characters.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(3.5, 2.5))
    >>> 20 <= title_width(ax) < 60
    True
    >>> plt.close(fig)
    """
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    size = FontProperties(size=fontsize or mpl.rcParams["axes.titlesize"]).get_size_in_points()
    width = ax.figure.get_figwidth() * 72.0 * max(ax.get_position().width, 0.5)
    return max(20, int(width / (0.55 * size)))


def _axes(ax, figsize=None):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _star(ax, x, y, label) -> None:
    """A black star at (x, y) with its legend label: an optimum, a selected box, a mark."""
    ax.plot([x], [y], marker="*", markersize=14, color="black", linestyle="none", label=label)


def _curves_and_optimum(ax, x, curves, optimum, optimum_label) -> None:
    """Plain lines of (values, legend label) ``curves`` against ``x``, in the palette's order,
    and the ``optimum`` (x, y) starred."""
    for k, (values, name) in enumerate(curves):
        ax.plot(x, values, color=color(k), label=name)
    x_opt, y_opt = optimum
    _star(ax, x_opt, y_opt, optimum_label)


def _copy_of(cls: Any, result, title: str):
    """The display ``cls`` whose fields other than ``title`` are the attributes of ``result``
    of the same names: fields annotated ``np.ndarray`` as float arrays, the others as floats."""
    values = {
        f.name: np.asarray(getattr(result, f.name), dtype=float)
        if f.type == "np.ndarray"
        else float(getattr(result, f.name))
        for f in fields(cls)
        if f.name != "title"
    }
    return cls(**values, title=title)


def category_ticks(ax, positions, names, fontsize=None) -> None:
    """Horizontal category labels on the x axis, wrapped to the width of their slot; vertical
    when a word is wider than the slot. Neither form lets two labels overlap (rotated labels
    at 30° do: their boxes intersect).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes.
    positions : sequence of float
        Tick positions (one per name, one unit apart).
    names : sequence of str
        The labels, as shown.
    fontsize : float or str, optional
        Font size (default ``xtick.labelsize``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(3.0, 2.0))
    >>> category_ticks(ax, [0, 1], ["Baseline", "Regulatory flexibility"])
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['Baseline', 'Regulatory\\nflexibility']
    >>> plt.close(fig)
    """
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    size = FontProperties(size=fontsize or mpl.rcParams["xtick.labelsize"]).get_size_in_points()
    n = max(len(names), 1)
    slot = ax.figure.get_figwidth() * 72.0 * ax.get_position().width / n
    chars = max(int(0.9 * slot / (0.6 * size)), 1)
    longest = max((len(w) for name in names for w in str(name).split()), default=0)
    if longest <= chars:
        ax.set_xticks(positions, [textwrap.fill(str(name), chars) for name in names])
    else:
        ax.set_xticks(positions, list(names), rotation=90)


def _ax_sections(returns: str) -> str:
    """The ``Parameters`` and ``Returns`` sections of a method that draws on one ``ax``;
    ``returns`` is the text of the ``Returns`` section."""
    return f"""

Parameters
----------
ax : matplotlib.axes.Axes, optional
    Axes to draw on (default: a new figure's axes).

Returns
-------
{returns}
"""


_FROM_RESULT_DOC = """From {article} :class:`{path}`.

Parameters
----------
result : {name}
    The result of {made_by}.
title : str
    {title}

Returns
-------
{{display}}
    The display, ready to :meth:`plot`.
"""


def _from_result_doc(path: str, made_by: str, title: str = "Title of the plot (default none)."):
    """Decorator: the docstring every ``from_result(result, title="")`` of a display shares.

    ``path`` is the result's class (as a cross-reference target), ``made_by`` what returns
    it, ``title`` the description of the ``title`` option; :class:`Display` fills in the
    display's name.
    """
    name = path.rpartition(".")[2]

    def decorate(func):
        func.__doc__ = _FROM_RESULT_DOC.format(
            article="an" if name[:1] in "AEIOU" else "a",
            path=path,
            name=name,
            made_by=made_by,
            title=title,
        )
        return func

    return decorate


def _complete_plot_doc(cls) -> None:
    """Append the sections every single-axes ``plot`` shares to a one-line docstring of
    ``cls.plot``."""
    plot = cls.__dict__.get("plot")
    if plot is not None and plot.__doc__ and "\n" not in plot.__doc__:
        plot.__doc__ += _ax_sections(
            f"{cls.__name__}\n    ``self``, with ``figure_`` and ``ax_`` set."
        )


class Display(abc.ABC):
    """Base of every display: build it from a result, then ``.plot(ax=None)``.

    As in scikit-learn's displays, :meth:`plot` draws and returns the display itself, whose
    ``figure_`` and ``ax_`` are then the figure and the axes drawn on (``ax_`` is a tuple for
    displays of several panels). Displays only draw: the analysis is done before.

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.plots import display_for
    >>> game = cg.PreparednessGame(share=0.1, cost=1.0, n_actors=5, cost_exponent=2.0)
    >>> d = display_for(cg.gap(game)).plot()
    >>> d.ax_.figure is d.figure_
    True
    """

    #: The figure drawn on (set by :meth:`plot`).
    figure_: Any = None
    #: The axes drawn on (set by :meth:`plot`).
    ax_: Any = None

    #: ``from_result(result, **options)``: the display of a result (a class method of every
    #: display; the options, such as ``title``, differ between displays).
    from_result: ClassVar[Callable[..., Any]]

    def __init_subclass__(cls, **kwargs):
        """Complete the docstrings a display shares with every other display.

        A one-line docstring of ``plot`` gets the ``Parameters`` and ``Returns`` sections of
        a single-axes display; a docstring of :func:`_from_result_doc` gets the display's name.
        """
        super().__init_subclass__(**kwargs)
        _complete_plot_doc(cls)
        from_result = getattr(cls.__dict__.get("from_result"), "__func__", None)
        if from_result is not None and "{display}" in (from_result.__doc__ or ""):
            from_result.__doc__ = from_result.__doc__.format(display=cls.__name__)

    def _start(self, ax, figsize=None):
        """The axes to draw on (a new figure's when ``ax`` is None), remembered."""
        ax = _axes(ax, figsize)
        first = ax[0] if isinstance(ax, (tuple, list, np.ndarray)) else ax
        self.ax_ = ax
        self.figure_ = first.figure
        return ax

    @abc.abstractmethod
    def plot(self, ax=None):
        """Draw the display (every display defines it; the base class is abstract)."""


_complete_plot_doc(Display)


@dataclass
class SweepDisplay(Display):
    """Lines of sweep metrics against one grid column, optionally a shaded band between two.

    Parameters
    ----------
    x : ndarray
        Values of the grid column on the horizontal axis.
    lines : dict of str to ndarray
        Legend label → metric values, one per ``x``.
    x_label, y_label : str
        Axis labels.
    band : tuple of (ndarray, ndarray), optional
        Lower and upper edges of a shaded band (default none).
    band_label : str
        Legend label of the band.
    marks : dict of str to (float, float)
        Legend label → a point marked with a star (default none).
    title : str
        Title of the plot.

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.analysis.metrics import PreparednessMetrics
    >>> from coordgap.plots.displays import SweepDisplay
    >>> game = cg.PreparednessGame(share=0.1, cost=1.0, n_actors=5, cost_exponent=2.0)
    >>> res = cg.sweep(PreparednessMetrics(game), {"share_scale": [0.5, 1.0, 2.0]})
    >>> d = SweepDisplay.from_sweep(res, x="share_scale",
    ...                             y=["robustness_nash", "robustness_opt"]).plot()
    >>> d.ax_.get_xlabel().startswith("Benefit share multiplier")
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
    def from_sweep(
        cls, sweep, *, x: str, y, band=None, band_label="", labels=None, marks=None, title=""
    ) -> SweepDisplay:
        """A display of metrics of a sweep against one of its grid columns.

        Parameters
        ----------
        sweep : SweepResult
            The sweep (its rows are drawn in the order of ``x``).
        x : str
            Grid column on the horizontal axis.
        y : str or sequence of str
            Metric(s) drawn as lines; the first names the vertical axis.
        band : tuple of (str, str), optional
            Metrics bounding a shaded band.
        band_label : str
            Legend label of the band.
        labels : dict of str to str, optional
            Metric → legend label (default: the metric with spaces).
        marks : dict of str to (float, float), optional
            Legend label → a point marked with a star.
        title : str
            Title of the plot.

        Returns
        -------
        SweepDisplay
            The display, ready to :meth:`plot`.
        """
        frame = sweep.frame.sort_values(x)
        y = [y] if isinstance(y, str) else list(y)
        labels = labels or {}
        lines = {labels.get(k, k.replace("_", " ")): frame[k].to_numpy() for k in y}
        # Several metrics of one quantity (robustness at equilibrium and at the optimum) share
        # the quantity's label; otherwise the first metric names the axis.
        bases = {
            k.removesuffix("_nash")
            .removesuffix("_opt")
            .removesuffix("_worst")
            .removesuffix("_best")
            for k in y
        }
        base = bases.pop() if len(bases) == 1 else y[0]
        band_values = (frame[band[0]].to_numpy(), frame[band[1]].to_numpy()) if band else None
        return cls(
            x=frame[x].to_numpy(),
            lines=lines,
            x_label=axis_label(x),
            y_label=axis_label(base),
            band=band_values,
            band_label=band_label,
            marks=marks or {},
            title=title,
        )

    @classmethod
    def from_result(cls, result, *, x=None, y=None, **kwargs) -> SweepDisplay:
        """From a :class:`~coordgap.SweepResult`: ``y`` (default: its first metric) against
        ``x`` (default: its first grid column); other options as :meth:`from_sweep`.

        Parameters
        ----------
        result : SweepResult
            The sweep.
        x : str, optional
            Grid column on the horizontal axis.
        y : str or sequence of str, optional
            Metric(s) drawn.
        **kwargs
            ``band``, ``band_label``, ``labels``, ``marks``, ``title``.

        Returns
        -------
        SweepDisplay
            The display, ready to :meth:`plot`.
        """
        x = x or next(iter(result.grid))
        y = y or result.metrics[0]
        return cls.from_sweep(result, x=x, y=y, **kwargs)

    def plot(self, ax=None):
        """Draw the lines, band and marks."""
        ax = self._start(ax)
        if self.band is not None:
            ax.fill_between(
                self.x,
                self.band[0],
                self.band[1],
                color=OKABE_ITO[5],
                alpha=0.15,
                label=self.band_label or None,
                linewidth=0,
            )
        markers = "os^Dv<>"
        for k, (name, values) in enumerate(self.lines.items()):
            ax.plot(
                self.x,
                values,
                marker=markers[k % len(markers)],
                markersize=3,
                color=color(k),
                label=name,
            )
        for name, (mx, my) in self.marks.items():
            _star(ax, mx, my, name)
        ax.set_xlabel(self.x_label)
        ax.set_ylabel(self.y_label)
        _finish(ax, self.title)
        return self


# == design comparison =====================================================================
# One colour per design (red is kept for the Pareto frontier, grey for the legend keys).
# The Okabe-Ito colours (vermillion kept for the frontier); labels name every design, so a
# colour shared by two designs far apart does not confuse.
_PALETTE = (
    OKABE_ITO[0],
    OKABE_ITO[1],
    OKABE_ITO[2],
    OKABE_ITO[3],
    OKABE_ITO[4],
    OKABE_ITO[6],
    OKABE_ITO[7],
)
_FRONTIER = OKABE_ITO[5]
_KEY = "0.3"
_WORST_SIZE, _BEST_SIZE, _LINE_WIDTH = 5.5, 9.0, 2.5
# Markers of a design's worst and best equilibrium (add its colour) and of the frontier.
_WORST_STYLE: dict[str, Any] = dict(linestyle="none", marker="o", markersize=_WORST_SIZE)
_BEST_STYLE: dict[str, Any] = dict(
    linestyle="none",
    marker="o",
    markersize=_BEST_SIZE,
    markerfacecolor="white",
    markeredgewidth=1.8,
)
_FRONTIER_STYLE: dict[str, Any] = dict(
    color=_FRONTIER,
    linestyle="--",
    linewidth=1.2,
    marker="o",
    markersize=13,
    markerfacecolor="none",
    markeredgecolor=_FRONTIER,
    markeredgewidth=1.2,
)


def _darker(color, factor: float = 0.72):
    from matplotlib.colors import to_rgb

    return tuple(factor * c for c in to_rgb(color))


def _lighter(color, factor: float = 0.5):
    """``color`` mixed with white (opaque, so that overlapping ranges keep their colours)."""
    from matplotlib.colors import to_rgb

    return tuple(1.0 - factor * (1.0 - c) for c in to_rgb(color))


def _legend_gap_points() -> float:
    """Points from the bottom of the axes to below its x tick labels and x label."""
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    rc = mpl.rcParams
    tick = FontProperties(size=rc["xtick.labelsize"]).get_size_in_points()
    label = FontProperties(size=rc["axes.labelsize"]).get_size_in_points()
    return (
        max(rc["xtick.major.size"], 0)
        + rc["xtick.major.pad"]
        + 1.25 * tick
        + rc["axes.labelpad"]
        + 1.25 * label
        + 4.0
    )


@dataclass
class ComparisonDisplay(Display):
    """Fiscal cost against credible coverage per design, under the worst and the best equilibrium.

    Each design is a filled dot at (fiscal cost, credible coverage) of its worst equilibrium
    (least participation), an open circle at those of its best equilibrium (greatest
    participation), and a line between them; designs on the Pareto frontier are ringed and
    joined by a dashed line. Labels are display names, placed so that none overlaps another.

    Parameters
    ----------
    names : list of str
        Design names, one per point pair.
    cost_worst, cost_best : ndarray
        Fiscal cost under the worst and the best equilibrium (USD m per year).
    coverage_worst, coverage_best : ndarray
        Credible coverage under the worst and the best equilibrium (share of required
        capacity).
    pareto : list of str
        Designs on the Pareto frontier (default none).
    title : str
        Title of the plot.

    Examples
    --------
    >>> import pandas as pd
    >>> from coordgap.plots.displays import ComparisonDisplay
    >>> frame = pd.DataFrame({"fiscal_cost_worst": [0.0, 6.0], "fiscal_cost_best": [0.0, 10.0],
    ...                       "credible_coverage_worst": [0.0, 0.2],
    ...                       "credible_coverage_best": [0.15, 0.5], "pareto": [True, True]},
    ...                      index=pd.Index(["baseline", "procurement"], name="design"))
    >>> ax = ComparisonDisplay.from_frame(frame).plot().ax_
    >>> sorted(t.get_text() for t in ax.texts)
    ['Baseline', 'Procurement']
    >>> ax.get_xlabel()
    'Fiscal cost (USD m per year)'
    """

    names: list
    cost_worst: np.ndarray
    cost_best: np.ndarray
    coverage_worst: np.ndarray
    coverage_best: np.ndarray
    pareto: list = field(default_factory=list)
    title: str = ""

    @classmethod
    def from_frame(cls, frame, title="") -> ComparisonDisplay:
        """From a frame like ``Comparison.to_frame()`` (one row per design).

        Parameters
        ----------
        frame : pandas.DataFrame
            Indexed by design, with ``fiscal_cost_worst``, ``credible_coverage_worst``
            and ``credible_coverage_best`` (``fiscal_cost_best`` and ``pareto`` optional).
        title : str
            Title of the plot (default none).

        Returns
        -------
        ComparisonDisplay
            The display, ready to :meth:`plot`.
        """
        worst = frame["fiscal_cost_worst"].to_numpy(dtype=float)
        best = (
            frame["fiscal_cost_best"].to_numpy(dtype=float)
            if "fiscal_cost_best" in frame
            else worst.copy()
        )
        pareto = (
            [n for n, on in zip(frame.index, frame["pareto"]) if bool(on)]
            if "pareto" in frame
            else []
        )
        return cls(
            names=list(frame.index),
            cost_worst=worst,
            cost_best=best,
            coverage_worst=frame["credible_coverage_worst"].to_numpy(dtype=float),
            coverage_best=frame["credible_coverage_best"].to_numpy(dtype=float),
            pareto=pareto,
            title=title,
        )

    @classmethod
    def from_comparison(cls, comparison, title="") -> ComparisonDisplay:
        """From a :class:`~coordgap.Comparison` (see :meth:`from_frame`).

        Parameters
        ----------
        comparison : Comparison
            The result of :func:`coordgap.compare`.
        title : str
            Title of the plot (default none).

        Returns
        -------
        ComparisonDisplay
            The display, ready to :meth:`plot`.
        """
        return cls.from_frame(comparison.to_frame(), title=title)

    @classmethod
    @_from_result_doc("~coordgap.Comparison", ":func:`coordgap.compare`")
    def from_result(cls, result, title="") -> ComparisonDisplay:
        return cls.from_comparison(result, title=title)

    def plot(self, ax=None):
        """Draw every design's worst and best points, the ranges and the Pareto frontier."""
        from matplotlib.lines import Line2D
        from matplotlib.transforms import offset_copy

        ax = self._start(ax, figsize=(7.0, 5.2))
        cw, cb = np.asarray(self.cost_worst, float), np.asarray(self.cost_best, float)
        vw, vb = np.asarray(self.coverage_worst, float), np.asarray(self.coverage_best, float)
        colors = [_PALETTE[i % len(_PALETTE)] for i in range(len(self.names))]
        # Longer ranges underneath, so that a short range on the same line stays visible.
        span_x = float(np.ptp(np.r_[cw, cb])) or 1.0
        span_y = float(np.ptp(np.r_[vw, vb])) or 1.0
        length = np.hypot((cb - cw) / span_x, (vb - vw) / span_y)
        rank = {int(i): r for r, i in enumerate(np.argsort(-length, kind="stable"))}
        points, lines, entries = [], [], []
        for i, name in enumerate(self.names):
            color, z = colors[i], 0.01 * rank[i]
            ax.plot(
                [cw[i], cb[i]],
                [vw[i], vb[i]],
                color=_lighter(color),
                linewidth=_LINE_WIDTH,
                solid_capstyle="round",
                zorder=2 + z,
                gid=f"{name}:range",
            )
            ax.plot(
                [cb[i]],
                [vb[i]],
                **_BEST_STYLE,
                markeredgecolor=color,
                zorder=3 + z,
                gid=f"{name}:best",
            )
            ax.plot(
                [cw[i]], [vw[i]], **_WORST_STYLE, color=color, zorder=4 + z, gid=f"{name}:worst"
            )
            points += [(cw[i], vw[i]), (cb[i], vb[i])]
            lines.append(((cw[i], vw[i]), (cb[i], vb[i])))
            anchors = [(cw[i], vw[i])]
            if (cb[i], vb[i]) != (cw[i], vw[i]):
                anchors.append((cb[i], vb[i]))
            anchors = [xy for xy in anchors if np.all(np.isfinite(xy))]
            text = ax.annotate(
                display_name(name),
                xy=(anchors or [(0.0, 0.0)])[0],
                xytext=(6, 6),
                textcoords="offset points",
                fontsize="small",
                color=_darker(color),
                fontweight="bold" if name in self.pareto else "normal",
                annotation_clip=False,
                zorder=7,
                gid=f"{name}:label",
            )
            text.set_in_layout(False)
            text.set_visible(bool(anchors))  # nothing to label where a metric is undefined
            entries.append((text, anchors))
        handles = [
            Line2D([], [], **_WORST_STYLE, color=_KEY, label=WORST_LABEL),
            Line2D([], [], **_BEST_STYLE, markeredgecolor=_KEY, label=BEST_LABEL),
            Line2D(
                [],
                [],
                color=_lighter(_KEY),
                linewidth=_LINE_WIDTH,
                label="range between the two equilibria",
            ),
        ]
        on = [i for i, n in enumerate(self.names) if n in self.pareto]
        if on:
            order = sorted(on, key=lambda i: (cw[i], vw[i]))
            ax.plot(cw[order], vw[order], **_FRONTIER_STYLE, zorder=2.5, gid="pareto")
            lines += list(
                zip(zip(cw[order][:-1], vw[order][:-1]), zip(cw[order][1:], vw[order][1:]))
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    **_FRONTIER_STYLE,
                    label="Pareto frontier, worst equilibrium (bold labels)",
                )
            )
        ax.margins(x=0.1, y=0.1)
        ax.set_xlabel(axis_label("fiscal_cost"))
        ax.set_ylabel(axis_label("credible_coverage"))
        _finish(ax, self.title, legend=False)
        below = offset_copy(ax.transAxes, fig=ax.figure, y=-_legend_gap_points(), units="points")
        wide = ax.figure.get_figwidth() >= 5.0  # two columns of legend fit
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            bbox_transform=below,
            ncol=2 if wide else 1,
            frameon=False,
            fontsize="small",
            handlelength=1.8,
            columnspacing=1.5,
            title="Each design under both equilibria of the participation game"
            if wide
            else "Each design under both equilibria\nof the participation game",
            title_fontsize="small",
        )
        ax.add_artist(_label_placer_class()(entries, points, lines))
        return self


def _overlap(a, b) -> float:
    """Area of the intersection of two boxes (x0, y0, x1, y1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _inside(box, xy) -> np.ndarray:
    return (xy[:, 0] >= box[0]) & (xy[:, 0] <= box[2]) & (xy[:, 1] >= box[1]) & (xy[:, 1] <= box[3])


def _distance(box, x, y):
    """Distance from points (x, y) to a box (x0, y0, x1, y1); zero inside."""
    dx = np.maximum(np.maximum(box[0] - x, x - box[2]), 0.0)
    dy = np.maximum(np.maximum(box[1] - y, y - box[3]), 0.0)
    return np.hypot(dx, dy)


def _candidates():
    """Offsets (points) and alignments around an anchor, nearest and to the right first."""
    out = []
    for radius in (7.0, 12.0, 19.0, 28.0, 40.0, 55.0, 75.0, 100.0):
        for k in (0, 2, -2, 1, -1, 4, -4, 3, -3, 6, -6, 5, -5, 8, 7, -7):
            angle = math.radians(22.5 * k)
            c, s = math.cos(angle), math.sin(angle)
            ha = "left" if c > 0.38 else "right" if c < -0.38 else "center"
            va = "bottom" if s > 0.38 else "top" if s < -0.38 else "center"
            out.append((radius, radius * c, radius * s, ha, va))
    return out


_CANDIDATES = _candidates()


def _place_labels(ax, entries, points, lines, renderer):
    """Greedy, deterministic placement of point labels in display coordinates.

    Every label tries offsets around each of its anchors (worst point first) and takes the one
    with the least overlap with labels already placed, with data markers and lines, and with
    the outside of the axes; ties go to the nearest offset. ``entries[i]`` is (text, anchors)
    of design i, whose worst and best points are ``points[2 * i]`` and ``points[2 * i + 1]``.
    Returns the leader lines (pixels).
    """
    px = renderer.points_to_pixels(1.0)
    to_px = ax.transData.transform
    frame = ax.get_window_extent(renderer)
    inner = (frame.x0 + 2 * px, frame.y0 + 2 * px, frame.x1 - 2 * px, frame.y1 - 2 * px)
    marker = 0.5 * _BEST_SIZE * px + 1.0
    pts = to_px(np.nan_to_num(np.asarray(points, dtype=float).reshape(-1, 2), nan=np.inf))
    markers = [(x - marker, y - marker, x + marker, y + marker) for x, y in pts]
    segments = []
    for a, b in lines:
        ends = to_px(np.array([a, b], dtype=float))
        if not np.all(np.isfinite(ends)):
            continue
        n = max(2, int(np.hypot(*(ends[1] - ends[0])) / (3 * px)) + 1)
        t = np.linspace(0.0, 1.0, n)[:, None]
        segments.append(ends[0] + t * (ends[1] - ends[0]))
    samples = np.vstack(segments) if segments else np.empty((0, 2))
    legend = ax.get_legend()
    blocked = []
    if legend is not None:
        bb = legend.get_window_extent(renderer)
        blocked.append((bb.x0, bb.y0, bb.x1, bb.y1))
    # Crowded labels first; ties keep the frame's order.
    firsts = to_px(
        np.array(
            [(anchors or [(np.inf, np.inf)])[0] for _, anchors in entries], dtype=float
        ).reshape(-1, 2)
    )
    crowd = [int(np.sum(np.hypot(*(pts - p).T) < 60 * px)) for p in firsts]
    order = sorted(
        (i for i, (_, anchors) in enumerate(entries) if anchors), key=lambda i: -crowd[i]
    )
    placed: list[tuple[float, float, float, float]] = []
    leaders: list[tuple] = []
    gap = 2.0 * px
    for i in order:
        text, anchors = entries[i]
        bb = text.get_window_extent(renderer)
        w, h = bb.width, bb.height
        best = None
        for a, anchor in enumerate(anchors):
            ax_, ay_ = to_px(np.asarray(anchor, dtype=float).reshape(1, 2))[0]
            # An anchor shared with another design's point is ambiguous: prefer another one.
            near = np.hypot(pts[:, 0] - ax_, pts[:, 1] - ay_) < 3 * px
            near[2 * i : 2 * i + 2] = False  # the label's own worst and best points
            shared = int(near.sum())
            others = np.delete(pts, [2 * i, 2 * i + 1], axis=0)
            for radius, dx, dy, ha, va in _CANDIDATES:
                x = ax_ + dx * px
                y = ay_ + dy * px
                x0 = x if ha == "left" else x - w if ha == "right" else x - w / 2
                y0 = y if va == "bottom" else y - h if va == "top" else y - h / 2
                box = (x0, y0, x0 + w, y0 + h)
                padded = (x0 - gap, y0 - gap, x0 + w + gap, y0 + h + gap)
                cost = 1e4 * sum(_overlap(padded, p) for p in placed + blocked)
                cost += 1e2 * (w * h - _overlap(box, inner))
                cost += 3.0 * sum(_overlap(box, m) for m in markers)
                cost += 2.0 * float(np.sum(_inside(box, samples))) if len(samples) else 0.0
                leader = None
                if radius > 10:
                    end = (min(max(ax_, box[0]), box[2]), min(max(ay_, box[1]), box[3]))
                    t = np.linspace(0.15, 1.0, 12)[:, None]
                    leader = np.array([ax_, ay_]) + t * (np.array(end) - np.array([ax_, ay_]))
                    cost += 50.0 * sum(float(np.sum(_inside(p, leader))) for p in placed)
                    leader = ((ax_, ay_), end)
                # A label must sit nearer its own point than any other design's point.
                own = _distance(box, ax_, ay_)
                cost += 40.0 * float(
                    np.sum(_distance(box, others[:, 0], others[:, 1]) < own + 2 * px)
                )
                cost += radius + 4.0 * a + 25.0 * shared
                if best is None or cost < best[0]:
                    best = (cost, anchor, (dx, dy), ha, va, box, leader)
        assert best is not None  # every label has an anchor and a candidate position
        _, anchor, offset, ha, va, box, leader = best
        text.xy = anchor
        text.xyann = offset
        text.set_horizontalalignment(ha)
        text.set_verticalalignment(va)
        placed.append(box)
        if leader is not None:
            leaders.append((leader, text.get_color()))
    return leaders


@functools.cache
def _label_placer_class():
    """The label-placing artist class (defined on first use: matplotlib is imported lazily)."""
    from matplotlib.artist import Artist
    from matplotlib.lines import Line2D
    from matplotlib.transforms import IdentityTransform

    class LabelPlacer(Artist):
        """Places the labels at draw time, once the layout of the figure is final.

        Placing at draw time keeps the labels apart whatever layout engine, size or resolution
        the figure is drawn with (PNG and PDF alike); distant labels get a thin leader line.
        """

        def __init__(self, entries, points, lines):
            super().__init__()
            self.entries, self.points, self.lines = entries, points, lines
            self.set_zorder(6.9)  # just before the labels (zorder 7)
            self.set_in_layout(False)

        def draw(self, renderer):
            if not self.get_visible() or not self.entries:
                return
            leaders = _place_labels(self.axes, self.entries, self.points, self.lines, renderer)
            px = renderer.points_to_pixels(1.0)
            for ((x0, y0), (x1, y1)), shade in leaders:
                d = math.hypot(x1 - x0, y1 - y0)
                shrink = (0.5 * _BEST_SIZE + 1.0) * px
                if d <= shrink:
                    continue
                f = shrink / d
                line = Line2D(
                    [x0 + f * (x1 - x0), x1],
                    [y0 + f * (y1 - y0), y1],
                    transform=IdentityTransform(),
                    color=shade,
                    linewidth=0.6,
                    alpha=0.8,
                )
                line.set_figure(self.figure)
                line.draw(renderer)
            self.stale = False

    return LabelPlacer


@dataclass
class RobustnessDisplay(Display):
    """Probability of meeting the target per design, with credible-coverage quantiles.

    Parameters
    ----------
    names : list of str
        Design names.
    p_target : ndarray
        Probability of meeting the target, per design.
    q05, q50, q95 : ndarray
        5%, 50% and 95% quantiles of worst-equilibrium credible coverage, per design.
    target : str
        Statement of the target (legend text).
    title : str
        Title of the plot.
    """

    names: list
    p_target: np.ndarray
    q05: np.ndarray
    q50: np.ndarray
    q95: np.ndarray
    target: str
    title: str = ""

    @classmethod
    @_from_result_doc("~coordgap.MonteCarloResult", ":func:`coordgap.robustness`")
    def from_result(cls, result, title="") -> RobustnessDisplay:
        t = result.table
        return cls(
            names=list(t.index),
            p_target=t["p_target"].to_numpy(),
            q05=t["credible_coverage_q05"].to_numpy(),
            q50=t["credible_coverage_q50"].to_numpy(),
            q95=t["credible_coverage_q95"].to_numpy(),
            target=result.target,
            title=title,
        )

    def plot(self, ax=None):
        """Draw the probability bars and the coverage quantiles."""
        ax = self._start(ax)
        pos = np.arange(len(self.names))
        target = str(self.target).replace(">=", "≥").replace("<=", "≤").replace("_", " ")
        ax.bar(pos, self.p_target, color=OKABE_ITO[4], label=f"probability that {target}")
        ax.errorbar(
            pos,
            self.q50,
            yerr=[self.q50 - self.q05, self.q95 - self.q50],
            fmt="o",
            color="black",
            capsize=4,
            label="credible coverage, worst equilibrium (5–50–95%)",
        )
        category_ticks(ax, pos, [display_name(n) for n in self.names])
        ax.set_ylabel("probability, or share of required capacity")
        ax.set_ylim(0, 1.05)
        from matplotlib.layout_engine import ConstrainedLayoutEngine

        engine = ax.figure.get_layout_engine()
        alone = len(ax.figure.axes) == 1 and isinstance(engine, ConstrainedLayoutEngine)
        _finish(ax, self.title, grid_axis="y", legend=not alone)
        if alone:  # below the figure, clear of the bars
            ax.figure.legend(loc="outside lower center", fontsize="small", frameon=False)
        return self


# == displays of the other results ==========================================================
_GAP_METRICS = {
    "robustness": ("robustness", "robustness R (capacity units)"),
    "residual_harm": ("residual_harm", "residual expected harm (USD m)"),
    "welfare": ("welfare", "welfare (USD m)"),
}


def _value_labels(ax, positions, values, fmt="{:.3g}"):
    """Each bar's value written just above it (direct annotation: no legend to decode)."""
    for x, v in zip(positions, values):
        if np.isfinite(v):
            ax.annotate(
                fmt.format(v),
                xy=(x, v),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize="small",
            )


@dataclass
class GapDisplay(Display):
    """The coordination gap of a preparedness game: one metric at the social optimum and in
    the worst and the best equilibrium, as bars with their values.

    Parameters
    ----------
    values : dict of str to float
        Bar label → value (optimum, worst equilibrium, best equilibrium).
    y_label : str
        Label of the vertical axis, with its unit.
    title : str
        Title of the plot.

    Examples
    --------
    >>> import coordgap as cg
    >>> game = cg.PreparednessGame(share=0.1, cost=1.0, n_actors=5, cost_exponent=2.0)
    >>> d = GapDisplay.from_result(cg.gap(game)).plot()
    >>> [t.get_text() for t in d.ax_.get_xticklabels()]
    ['Social optimum', 'Worst equilibrium', 'Best equilibrium']
    """

    values: dict
    y_label: str
    title: str = ""

    @classmethod
    def from_result(cls, result, metric: str = "robustness", title="") -> GapDisplay:
        """From a :class:`~coordgap.GapReport`.

        Parameters
        ----------
        result : GapReport
            The result of :func:`coordgap.gap`.
        metric : {"robustness", "residual_harm", "welfare"}
            The quantity compared (default robustness).
        title : str
            Title of the plot (default: the price of anarchy).

        Returns
        -------
        GapDisplay
            The display, ready to :meth:`plot`.
        """
        if metric not in _GAP_METRICS:
            from ..errors import InvalidParameterError

            raise InvalidParameterError(
                "GapDisplay", "metric", f"one of {', '.join(_GAP_METRICS)}", metric
            )
        key, y_label = _GAP_METRICS[metric]
        values = {
            "social optimum": float(getattr(result, f"{key}_opt")),
            "worst equilibrium": float(getattr(result, f"{key}_worst")),
            "best equilibrium": float(getattr(result, f"{key}_best")),
        }
        return cls(values=values, y_label=y_label, title=title)

    def plot(self, ax=None):
        """Draw the bars and their values."""
        ax = self._start(ax)
        pos = np.arange(len(self.values))
        heights = np.array(list(self.values.values()), dtype=float)
        ax.bar(pos, heights, color=[color(k) for k in range(len(pos))], width=0.6)
        _value_labels(ax, pos, heights)
        ax.set_xticks(pos, [sentence(k) for k in self.values])
        ax.set_ylabel(self.y_label)
        ax.margins(y=0.12)
        _finish(ax, self.title, grid_axis="y", legend=False)
        return self


@dataclass
class ExchangeDisplay(Display):
    """Exchange of decision logic: time to a coordinated response (top) and the probability
    of one (bottom) against the share of plans exchanged, in two panels sharing the
    horizontal axis (two scales are never mixed on one axis).

    Parameters
    ----------
    exchange : ndarray
        Share of plans with exchanged decision logic, per level.
    median, p90 : ndarray
        Median and 90th percentile of the time to a coordinated response (h).
    p_coordinated : ndarray
        Probability of a coordinated response.
    title : str
        Title of the figure.

    Examples
    --------
    >>> import numpy as np
    >>> d = ExchangeDisplay(np.array([0.0, 1.0]), np.array([30.0, 12.0]),
    ...                     np.array([50.0, 20.0]), np.array([0.4, 0.8])).plot()
    >>> len(d.ax_), d.ax_[1].get_ylabel()
    (2, 'Probability of a\\ncoordinated response')
    """

    exchange: np.ndarray
    median: np.ndarray
    p90: np.ndarray
    p_coordinated: np.ndarray
    title: str = ""

    @classmethod
    @_from_result_doc(
        "~coordgap.registry.exchange.ExchangeResult",
        ":func:`coordgap.registry.exchange.exchange_exercise`",
        title="Title of the figure (default none).",
    )
    def from_result(cls, result, title="") -> ExchangeDisplay:
        s = result.summary
        return cls(
            exchange=s["exchange"].to_numpy(dtype=float),
            median=s["time_to_response_median"].to_numpy(dtype=float),
            p90=s["time_to_response_p90"].to_numpy(dtype=float),
            p_coordinated=s["p_coordinated"].to_numpy(dtype=float),
            title=title,
        )

    def plot(self, ax=None):
        """Draw the two panels.

        Parameters
        ----------
        ax : matplotlib.axes.Axes or pair of Axes, optional
            Two axes (top, bottom), or one whose place is split in two, or none (a new
            figure).

        Returns
        -------
        ExchangeDisplay
            ``self``; ``ax_`` is the pair of axes.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, pair = plt.subplots(2, 1, sharex=True, layout="constrained", figsize=(6.4, 5.2))
            ax = tuple(pair)
        elif not isinstance(ax, (tuple, list, np.ndarray)):
            fig, spec = ax.figure, ax.get_subplotspec()
            alone = len(fig.axes) == 1
            ax.remove()
            if alone:  # the whole figure: a fresh grid keeps the layout engine's spacing
                ax = tuple(fig.subplots(2, 1, sharex=True))
            else:
                top = fig.add_subplot(spec.subgridspec(2, 1)[0])
                ax = (top, fig.add_subplot(spec.subgridspec(2, 1)[1], sharex=top))
        top, bottom = self._start(tuple(ax))
        top.plot(self.exchange, self.median, marker="o", color=color(0), label="median")
        top.plot(
            self.exchange,
            self.p90,
            marker="s",
            linestyle="--",
            color=color(1),
            label="90th percentile",
        )
        if not (np.isfinite(self.median).all() and np.isfinite(self.p90).all()):
            top.plot(  # a legend entry only: why points are missing
                [],
                [],
                linestyle="none",
                label="no point where fewer than half (median) or 90% of runs\n"
                "reach a coordinated response",
            )
        top.set_ylabel("time to a coordinated\nresponse (hours)")
        top.tick_params(labelbottom=False)
        top.set_ylim(bottom=0)
        bottom.plot(self.exchange, self.p_coordinated, marker="^", color=color(2))
        bottom.set_ylim(0, 1.02)
        bottom.set_xlabel("share of plans with exchanged decision logic")
        bottom.set_ylabel("probability of a\ncoordinated response")
        _finish(top, self.title)
        _finish(bottom, "", legend=False)
        return self


@dataclass
class LearningDisplay(Display):
    """The preparedness gap over time when lessons stay with each actor or are pooled: mean
    of simulated paths (line) with their 10–90% band, and the closed-form expectation
    (dashed).

    Parameters
    ----------
    frame : pandas.DataFrame
        As ``LearningPaths.to_frame()``: ``time``, ``regime``, ``mean_gap``, ``p10``,
        ``p90``, ``expected_gap``.
    title : str
        Title of the plot.
    """

    frame: Any
    title: str = ""

    @classmethod
    @_from_result_doc("~coordgap.games.learning.LearningPaths", "``LearningModel.simulate``")
    def from_result(cls, result, title="") -> LearningDisplay:
        return cls(frame=result.to_frame(), title=title)

    def plot(self, ax=None):
        """Draw each regime's mean path, band and expectation."""
        ax = self._start(ax)
        for k, (regime, part) in enumerate(self.frame.groupby("regime", sort=False)):
            c = color(k)
            name = f"lessons {regime}"
            ax.plot(part["time"], part["mean_gap"], color=c, label=f"{name}: mean of paths")
            ax.fill_between(
                part["time"], part["p10"], part["p90"], alpha=0.15, color=c, linewidth=0
            )
            ax.plot(
                part["time"],
                part["expected_gap"],
                linestyle="--",
                color=c,
                label=f"{name}: closed form",
            )
        ax.set_xlabel("time (years)")
        ax.set_ylabel("preparedness gap to the threat (capability units)")
        _finish(ax, self.title)
        return self


@dataclass
class DisclosureDisplay(Display):
    """Probability of a coordinated response against the public precision of exchanged
    if-then logic, in the worst and the best equilibrium, with the uniqueness bound.

    Parameters
    ----------
    precision : ndarray
        Public precision α (inverse variance).
    worst, best : ndarray
        Probability of a coordinated response in the worst and the best equilibrium.
    critical : float
        Precision above which the equilibrium is no longer unique, √(2π)·β.
    title : str
        Title of the plot.
    """

    precision: np.ndarray
    worst: np.ndarray
    best: np.ndarray
    critical: float
    title: str = ""

    @classmethod
    @_from_result_doc("~coordgap.games.disclosure.DisclosureCurve", "``DisclosureGame.curve``")
    def from_result(cls, result, title="") -> DisclosureDisplay:
        f = result.to_frame()
        return cls(
            precision=f["public_precision"].to_numpy(dtype=float),
            worst=f["p_coordinated_worst"].to_numpy(dtype=float),
            best=f["p_coordinated_best"].to_numpy(dtype=float),
            critical=float(result.critical_precision),
            title=title,
        )

    def plot(self, ax=None):
        """Draw both equilibria and the bound."""
        ax = self._start(ax)
        ax.plot(
            self.precision, self.worst, marker="o", markersize=3, color=color(0), label=WORST_LABEL
        )
        ax.plot(
            self.precision, self.best, marker="^", markersize=3, color=color(1), label=BEST_LABEL
        )
        ax.axvline(self.critical, color="0.4", linestyle=":", label="uniqueness bound √(2π)·β")
        ax.set_xscale("log")
        ax.set_xlabel("public precision α of exchanged if-then logic (inverse variance)")
        ax.set_ylabel("probability of a coordinated response")
        ax.set_ylim(-0.02, 1.02)
        _finish(ax, self.title)
        return self


_CAPTURE_SERIES = {
    "participation": "participation (share of actors)",
    "credible_coverage": "credible coverage (share of harm)",
    "declared_coverage": "declared coverage (share of harm)",
    "audit_prob": "audit probability",
}


@dataclass
class CaptureDisplay(Display):
    """Outcomes of a registry whose regulator weighs incumbents' profits, against that
    weight: participation, credible and declared coverage, and the audit probability (all
    shares or probabilities, on one scale from 0 to 1).

    Parameters
    ----------
    frame : pandas.DataFrame
        As ``CaptureCurve.to_frame()``: ``capture`` and the columns drawn.
    title : str
        Title of the plot.
    """

    frame: Any
    title: str = ""

    @classmethod
    @_from_result_doc("~coordgap.games.capture.CaptureCurve", "``CaptureModel.curve``")
    def from_result(cls, result, title="") -> CaptureDisplay:
        return cls(frame=result.to_frame(), title=title)

    def plot(self, ax=None):
        """Draw one line per outcome."""
        ax = self._start(ax)
        markers = "os^D"
        for k, (col, name) in enumerate(_CAPTURE_SERIES.items()):
            if col in self.frame:
                ax.plot(
                    self.frame["capture"],
                    self.frame[col],
                    marker=markers[k],
                    markersize=3,
                    color=color(k),
                    label=name,
                )
        ax.set_xlabel("capture: weight θ of incumbents' profits in the regulator's objective")
        ax.set_ylabel("share or probability")
        ax.set_ylim(-0.02, 1.02)
        _finish(ax, self.title)
        return self


@dataclass
class LibraryScopeDisplay(Display):
    """Coverage, participation and credible coverage against the breadth of the scenario
    library, with the breadth that maximizes credible coverage starred.

    Parameters
    ----------
    breadth : ndarray
        Library breadth L (scenarios).
    coverage, participation, credible_coverage : ndarray
        Shares at each breadth.
    optimal_breadth, optimal_credible_coverage : float
        The best breadth and its credible coverage.
    title : str
        Title of the plot.
    """

    breadth: np.ndarray
    coverage: np.ndarray
    participation: np.ndarray
    credible_coverage: np.ndarray
    optimal_breadth: float
    optimal_credible_coverage: float
    title: str = ""

    @classmethod
    @_from_result_doc(
        "~coordgap.games.library_scope.LibraryScopeCurve",
        "``LibraryScopeModel.curve``",
    )
    def from_result(cls, result, title="") -> LibraryScopeDisplay:
        return _copy_of(cls, result, title)

    def plot(self, ax=None):
        """Draw the three curves and the optimum."""
        ax = self._start(ax)
        curves = (
            (self.coverage, "coverage of realized incidents F(L)"),
            (self.participation, "participation P(L) (share of actors)"),
            (self.credible_coverage, "credible coverage of incidents"),
        )
        optimum = (self.optimal_breadth, self.optimal_credible_coverage)
        _curves_and_optimum(ax, self.breadth, curves, optimum, "optimal breadth")
        ax.set_xlabel("library breadth L (scenarios)")
        ax.set_ylabel("share")
        ax.set_ylim(-0.02, 1.02)
        _finish(ax, self.title)
        return self


@dataclass
class ImplementationDisplay(Display):
    """Cumulative cost of securing the actors one by one (divide and conquer) against a
    uniform payment, both making full participation the unique equilibrium.

    Parameters
    ----------
    paid : ndarray
        Payments in the order divide and conquer secures the actors (USD m per year).
    total, uniform_total : float
        Total of the discriminating and of the uniform scheme.
    title : str
        Title of the plot.
    """

    paid: np.ndarray
    total: float
    uniform_total: float
    title: str = ""

    @classmethod
    @_from_result_doc(
        "~coordgap.analysis.implementation.Implementation",
        ":func:`coordgap.cheapest_implementation`",
    )
    def from_result(cls, result, title="") -> ImplementationDisplay:
        place = {name: k for k, name in enumerate(result.names)}
        paid = np.array([result.payments[place[name]] for name in result.order], dtype=float)
        return cls(
            paid=paid,
            total=float(result.total),
            uniform_total=float(result.uniform_total),
            title=title,
        )

    def plot(self, ax=None):
        """Draw the two cumulative payment curves."""
        ax = self._start(ax)
        secured = np.arange(1, len(self.paid) + 1)
        ax.step(
            np.concatenate(([0], secured)),
            np.concatenate(([0.0], np.cumsum(self.paid))),
            where="post",
            color=color(0),
            label=f"divide and conquer (total {self.total:.1f})",
        )
        ax.plot(
            [0, len(self.paid)],
            [0.0, self.uniform_total],
            linestyle="--",
            color=color(1),
            label=f"uniform payment (total {self.uniform_total:.1f})",
        )
        ax.set_xlabel("actors secured, in the order divide and conquer secures them")
        ax.set_ylabel("cumulative payments (USD m per year)")
        _finish(ax, self.title)
        return self


@dataclass
class BondCurveDisplay(Display):
    """Coverage, credibility and credible coverage against the bond, with the best bond
    starred and the collapse marked.

    Parameters
    ----------
    bonds : ndarray
        Bond amounts (USD m).
    coverage, credibility, credible_coverage : ndarray
        Shares at each bond.
    optimal_bond, optimal_credible_coverage : float
        The best bond and its credible coverage.
    title : str
        Title of the plot.
    """

    bonds: np.ndarray
    coverage: np.ndarray
    credibility: np.ndarray
    credible_coverage: np.ndarray
    optimal_bond: float
    optimal_credible_coverage: float
    title: str = ""

    @classmethod
    @_from_result_doc("~coordgap.analysis.bond.BondCurve", ":func:`coordgap.bond_curve`")
    def from_result(cls, result, title="") -> BondCurveDisplay:
        return _copy_of(cls, result, title)

    def plot(self, ax=None):
        """Draw the three curves and the best bond."""
        ax = self._start(ax)
        curves = (
            (self.coverage, "coverage (share of required capacity)"),
            (self.credibility, "credibility (share of plans honoured)"),
            (self.credible_coverage, "credible coverage"),
        )
        optimum = (self.optimal_bond, self.optimal_credible_coverage)
        _curves_and_optimum(ax, self.bonds, curves, optimum, "best bond")
        ax.set_xlabel(axis_label("PerformanceBond.amount"))
        ax.set_ylabel("share")
        _finish(ax, self.title)
        return self


@dataclass
class TabletopDisplay(Display):
    """A tabletop exercise: for each required function, the share of runs in which it is not
    met within its window (horizontal bars, with their values).

    Parameters
    ----------
    functions : list of str
        The required functions.
    p_unmet : ndarray
        Share of runs in which each is unmet.
    title : str
        Title of the plot.
    """

    functions: list
    p_unmet: np.ndarray
    title: str = ""

    @classmethod
    @_from_result_doc(
        "~coordgap.registry.tabletop.TabletopResult",
        ":func:`coordgap.registry.tabletop.tabletop`",
        title="Title of the plot (default: the scenario and its probability of a "
        "coordinated response).",
    )
    def from_result(cls, result, title="") -> TabletopDisplay:
        f = result.functions
        names = [str(n) for n in f["function"]]
        return cls(
            functions=names,
            p_unmet=f["p_unmet"].to_numpy(dtype=float),
            title=title
            or f"{display_name(result.scenario)}: coordinated response in "
            f"{result.p_coordinated:.0%} of {result.n_runs} runs",
        )

    def plot(self, ax=None):
        """Draw the bars."""
        ax = self._start(ax)
        pos = np.arange(len(self.functions))
        ax.barh(pos, self.p_unmet, color=color(5), height=0.6)
        for y, v in zip(pos, self.p_unmet):
            ax.annotate(
                f"{v:.0%}",
                xy=(v, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize="small",
            )
        ax.set_yticks(pos, [display_name(n) for n in self.functions])
        ax.invert_yaxis()
        ax.set_xlim(0, 1.12)
        ax.set_xlabel("share of runs in which the function is not met in its window")
        _finish(ax, self.title, grid_axis="x", legend=False)
        return self
