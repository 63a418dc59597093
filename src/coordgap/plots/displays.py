"""Display objects: build from a result, then ``.plot(ax=None)``. Plots only draw.

Axis labels come from the declared parameter metadata (``coordgap.params.label``), with units
in words; design names are shown as readers write them (:func:`display_name`).
"""

from __future__ import annotations

import functools
import math
import textwrap
from dataclasses import dataclass, field

import numpy as np

from .. import instruments
from ..games.commitment import CommitmentModel
from ..games.participation import ParticipationGame
from ..games.preparedness import PreparednessGame
from ..params import label as param_label

__all__ = [
    "axis_label",
    "display_name",
    "sentence",
    "wrap_title",
    "WORST_LABEL",
    "BEST_LABEL",
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
    if owner is not None:
        try:
            return param_label(owner, key)
        except KeyError:
            pass
    return name.replace("_", " ")


def _finish(ax, title: str, grid_axis: str = "both", legend: bool = True):
    """Title, sentence-case axis labels, light grid, frameless legend: the end of every display."""
    if title:
        ax.set_title(wrap_title(title))
    ax.set_xlabel(sentence(ax.get_xlabel()))
    ax.set_ylabel(sentence(ax.get_ylabel()))
    ax.grid(alpha=0.3, axis=grid_axis)
    if legend:
        ax.legend(frameon=False, fontsize="small")
    return ax


def _axes(ax, figsize=(6.4, 4.2)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


@dataclass
class SweepDisplay:
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
    >>> ax = SweepDisplay.from_sweep(res, x="share_scale",
    ...                              y=["robustness_nash", "robustness_opt"]).plot()
    >>> ax.get_xlabel().startswith("Benefit share multiplier")
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
        band_values = (frame[band[0]].to_numpy(), frame[band[1]].to_numpy()) if band else None
        return cls(
            x=frame[x].to_numpy(),
            lines=lines,
            x_label=axis_label(x),
            y_label=axis_label(y[0]),
            band=band_values,
            band_label=band_label,
            marks=marks or {},
            title=title,
        )

    def plot(self, ax=None):
        """Draw the lines, band and marks.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on (default: a new figure's axes).

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on.
        """
        ax = _axes(ax)
        if self.band is not None:
            ax.fill_between(
                self.x,
                self.band[0],
                self.band[1],
                color="tab:red",
                alpha=0.15,
                label=self.band_label or None,
                linewidth=0,
            )
        for name, values in self.lines.items():
            ax.plot(self.x, values, marker="o", markersize=3, label=name)
        for name, (mx, my) in self.marks.items():
            ax.plot(
                [mx], [my], marker="*", markersize=14, color="black", linestyle="none", label=name
            )
        ax.set_xlabel(self.x_label)
        ax.set_ylabel(self.y_label)
        return _finish(ax, self.title)


# == design comparison =====================================================================
# One colour per design (red is kept for the Pareto frontier, grey for the legend keys).
_PALETTE = (
    "tab:blue",
    "tab:orange",
    "tab:green",
    "tab:purple",
    "tab:brown",
    "tab:pink",
    "tab:olive",
    "tab:cyan",
    "#1b3a6b",
    "#7a5c00",
)
_FRONTIER = "tab:red"
_KEY = "0.3"
_WORST_SIZE, _BEST_SIZE, _LINE_WIDTH = 5.5, 9.0, 2.5


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
class ComparisonDisplay:
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
    >>> ax = ComparisonDisplay.from_frame(frame).plot()
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

    def plot(self, ax=None):
        """Draw every design's worst and best points, the ranges and the Pareto frontier.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on (default: a new figure's axes).

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on.
        """
        from matplotlib.lines import Line2D
        from matplotlib.transforms import offset_copy

        ax = _axes(ax, figsize=(7.0, 5.2))
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
                linestyle="none",
                marker="o",
                markersize=_BEST_SIZE,
                markerfacecolor="white",
                markeredgecolor=color,
                markeredgewidth=1.8,
                zorder=3 + z,
                gid=f"{name}:best",
            )
            ax.plot(
                [cw[i]],
                [vw[i]],
                linestyle="none",
                marker="o",
                markersize=_WORST_SIZE,
                color=color,
                zorder=4 + z,
                gid=f"{name}:worst",
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
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=_WORST_SIZE,
                color=_KEY,
                label=WORST_LABEL,
            ),
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=_BEST_SIZE,
                markerfacecolor="white",
                markeredgecolor=_KEY,
                markeredgewidth=1.8,
                label=BEST_LABEL,
            ),
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
            ax.plot(
                cw[order],
                vw[order],
                color=_FRONTIER,
                linestyle="--",
                linewidth=1.2,
                marker="o",
                markersize=13,
                markerfacecolor="none",
                markeredgecolor=_FRONTIER,
                markeredgewidth=1.2,
                zorder=2.5,
                gid="pareto",
            )
            lines += list(
                zip(zip(cw[order][:-1], vw[order][:-1]), zip(cw[order][1:], vw[order][1:]))
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    color=_FRONTIER,
                    linestyle="--",
                    linewidth=1.2,
                    marker="o",
                    markersize=13,
                    markerfacecolor="none",
                    markeredgecolor=_FRONTIER,
                    markeredgewidth=1.2,
                    label="Pareto frontier, worst equilibrium (bold labels)",
                )
            )
        ax.margins(x=0.1, y=0.1)
        ax.set_xlabel(axis_label("fiscal_cost"))
        ax.set_ylabel(axis_label("credible_coverage"))
        _finish(ax, self.title, legend=False)
        below = offset_copy(ax.transAxes, fig=ax.figure, y=-_legend_gap_points(), units="points")
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            bbox_transform=below,
            ncol=2,
            frameon=False,
            fontsize="small",
            handlelength=1.8,
            columnspacing=1.5,
            title="Each design under both equilibria of the participation game",
            title_fontsize="small",
        )
        ax.add_artist(_label_placer_class()(entries, points, lines))
        return ax


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
            for ((x0, y0), (x1, y1)), color in leaders:
                d = math.hypot(x1 - x0, y1 - y0)
                shrink = (0.5 * _BEST_SIZE + 1.0) * px
                if d <= shrink:
                    continue
                f = shrink / d
                line = Line2D(
                    [x0 + f * (x1 - x0), x1],
                    [y0 + f * (y1 - y0), y1],
                    transform=IdentityTransform(),
                    color=color,
                    linewidth=0.6,
                    alpha=0.8,
                )
                line.set_figure(self.figure)
                line.draw(renderer)
            self.stale = False

    return LabelPlacer


@dataclass
class RobustnessDisplay:
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
    def from_result(cls, result, title="") -> RobustnessDisplay:
        """From a :class:`~coordgap.MonteCarloResult`.

        Parameters
        ----------
        result : MonteCarloResult
            The result of :func:`coordgap.robustness`.
        title : str
            Title of the plot (default none).

        Returns
        -------
        RobustnessDisplay
            The display, ready to :meth:`plot`.
        """
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
        """Draw the probability bars and the coverage quantiles.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on (default: a new figure's axes).

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on.
        """
        ax = _axes(ax)
        pos = np.arange(len(self.names))
        target = str(self.target).replace(">=", "≥").replace("<=", "≤").replace("_", " ")
        ax.bar(pos, self.p_target, color="tab:blue", alpha=0.7, label=f"probability that {target}")
        ax.errorbar(
            pos,
            self.q50,
            yerr=[self.q50 - self.q05, self.q95 - self.q50],
            fmt="o",
            color="black",
            capsize=4,
            label="credible coverage, worst equilibrium (5–50–95%)",
        )
        ax.set_xticks(pos, [display_name(n) for n in self.names], rotation=30, ha="right")
        ax.set_ylabel("probability or credible coverage (0 to 1)")
        ax.set_ylim(0, 1.05)
        return _finish(ax, self.title, grid_axis="y")
