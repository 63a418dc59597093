"""Text layout: line-end labels spread apart, and a check that no two texts of a figure overlap.

:func:`spread` moves label positions apart along one axis by at least a minimum gap while
staying as near their targets as possible (the pool-adjacent-violators solution of the
isotonic least-squares problem, so the result is optimal, not only feasible);
:func:`label_line_ends` uses it to write each line's name at its right end.
:func:`text_overlaps` renders a figure and lists every pair of texts whose boxes intersect and
every text that leaves the figure: the tests run it on every figure kind.
"""

from __future__ import annotations

import textwrap

import numpy as np

from ..errors import InvalidParameterError

__all__ = ["spread", "label_line_ends", "fit_text", "visible_texts", "text_overlaps"]


def spread(targets, gap: float, low: float = -np.inf, high: float = np.inf) -> np.ndarray:
    """Positions nearest ``targets`` (least squares) with consecutive positions ``gap`` apart.

    The order of the targets is kept. With ``y_i = z_i + i·gap`` over the sorted targets the
    problem is isotonic regression of ``t_i - i·gap``, solved exactly by pooling adjacent
    violators; the block is then shifted into ``[low, high]`` when it fits.

    Parameters
    ----------
    targets : array_like
        Wanted positions (any order).
    gap : float
        Least distance between two positions (>= 0).
    low, high : float
        Bounds of the positions (default unbounded).

    Returns
    -------
    ndarray
        The positions, in the order of ``targets``.

    Raises
    ------
    InvalidParameterError
        For a negative or non-finite gap.

    Examples
    --------
    >>> spread([0.0, 0.1, 5.0], gap=1.0).tolist()
    [-0.45, 0.55, 5.0]
    >>> spread([0.0, 0.0], gap=1.0, low=0.0).tolist()
    [0.0, 1.0]
    """
    if not np.isfinite(gap) or gap < 0:
        raise InvalidParameterError("spread", "gap", "a finite number >= 0", gap)
    t = np.asarray(targets, dtype=float)
    if t.size == 0:
        return t.copy()
    order = np.argsort(t, kind="stable")
    shifted = t[order] - gap * np.arange(t.size)
    # Pool adjacent violators: blocks of (mean, weight), merged while decreasing.
    means: list[float] = []
    weights: list[int] = []
    for v in shifted:
        means.append(float(v))
        weights.append(1)
        while len(means) > 1 and means[-2] > means[-1]:
            w = weights[-2] + weights[-1]
            m = (means[-2] * weights[-2] + means[-1] * weights[-1]) / w
            means[-2:] = [m]
            weights[-2:] = [w]
    z = np.repeat(means, weights)
    y = z + gap * np.arange(t.size)
    if y[0] < low:
        y = y + (low - y[0])
    if y[-1] > high:
        y = y - min(y[-1] - high, max(y[0] - low, 0.0))
    out = np.empty_like(y)
    out[order] = y
    return out


def label_line_ends(ax, lines=None, *, gap_points: float | None = None, fontsize="small"):
    """Write each line's label at its right end, spread vertically so that none overlaps.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes holding the lines.
    lines : sequence of matplotlib.lines.Line2D, optional
        The lines labelled (default: every line of ``ax`` whose label does not start with
        ``_``).
    gap_points : float, optional
        Least vertical distance between labels in points (default: 1.3 times the font size).
    fontsize : str or float
        Font size of the labels (default ``"small"``).

    Returns
    -------
    list of matplotlib.text.Annotation
        The labels, in the order of ``lines``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [1.0, 1.0], label="baseline")
    >>> _ = ax.plot([0, 1], [1.0, 1.01], label="bond")
    >>> texts = label_line_ends(ax)
    >>> overlap = text_overlaps(fig)
    >>> overlap["pairs"], [t.get_text() for t in texts]
    ([], ['baseline', 'bond'])
    >>> plt.close(fig)
    """
    from matplotlib.font_manager import FontProperties

    if lines is None:
        lines = [line for line in ax.get_lines() if not str(line.get_label()).startswith("_")]
    size = FontProperties(size=fontsize).get_size_in_points()
    gap = 1.3 * size if gap_points is None else gap_points
    ends = []
    for line in lines:
        xs, ys_ = (np.asarray(v, dtype=float) for v in line.get_data())
        ok = np.isfinite(xs) & np.isfinite(ys_)
        ends.append((float(xs[ok][-1]), float(ys_[ok][-1])) if ok.any() else (np.nan, np.nan))
    ax.figure.canvas.draw()  # the final transform of the axes
    to_px = ax.transData.transform
    px_per_pt = ax.figure.dpi / 72.0
    frame = ax.get_window_extent()
    ys = np.array([to_px((ex, ey))[1] if np.isfinite(ey) else np.nan for ex, ey in ends])
    ok = np.isfinite(ys)
    placed = np.full(ys.shape, np.nan)
    placed[ok] = spread(ys[ok], gap * px_per_pt, frame.y0, frame.y1)
    texts = []
    for line, end, py, wanted in zip(lines, ends, placed.tolist(), ys.tolist()):
        if not np.isfinite(py):
            continue
        text = ax.annotate(
            str(line.get_label()),
            xy=end,
            xytext=(4.0, (py - wanted) / px_per_pt),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=fontsize,
            color=line.get_color(),
            annotation_clip=False,
        )
        texts.append(text)
    return texts


def _rewrap(text, room: float, renderer, min_chars: int = 8) -> None:
    """Wrap ``text`` (a matplotlib Text) until its extent along its baseline fits ``room``."""
    flat = " ".join(text.get_text().split())
    if not flat:
        return

    def length():
        bb = text.get_window_extent(renderer)
        return bb.height if abs(text.get_rotation() - 90.0) < 1 else bb.width

    text.set_text(textwrap.fill(flat, max(len(flat), 1)))
    chars = len(flat)
    while length() > room and chars > min_chars:
        chars = max(min_chars, int(chars * 0.85))
        text.set_text(textwrap.fill(flat, chars))


def fit_text(fig) -> None:
    """Make the titles, axis labels and legends of a figure fit it, then lay it out again.

    Axis labels are wrapped to the length of their axis, titles to the width of their axes
    (a figure title to the figure), and a legend wider than the figure is put in one column
    with its entries wrapped. Nothing is shrunk: the type stays the style's size.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, drawn here once or more.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2.0, 2.0), layout="constrained")
    >>> _ = ax.set_xlabel("a very long axis label that cannot fit in two inches")
    >>> fit_text(fig)
    >>> "\\n" in ax.get_xlabel(), text_overlaps(fig)["outside"]
    (True, [])
    >>> plt.close(fig)
    """
    for _ in range(3):  # the layout moves once the texts are shorter: measure again
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        width = fig.bbox.width
        for ax in fig.axes:
            if not ax.get_visible():
                continue
            bb = ax.get_window_extent(renderer)
            # Labels and titles are centred on the axes: room on both sides of the centre.
            centre = 0.5 * (bb.x0 + bb.x1)
            room = 0.92 * (2.0 * min(centre, width - centre)) - 4.0  # the layout may move
            _rewrap(ax.xaxis.label, min(max(bb.width, 0.6 * room), room), renderer)
            _rewrap(ax.yaxis.label, max(bb.height, 40.0), renderer)
            for title in (ax.title, ax._left_title, ax._right_title):
                _rewrap(title, room, renderer)
            legend = ax.get_legend()
            if legend is not None:
                lb = legend.get_window_extent(renderer)
                inside = lb.y0 >= bb.y0 - 1.0 and lb.y1 <= bb.y1 + 1.0
                limit = min(bb.width, 0.98 * width) if inside else 0.98 * width
                if lb.width > limit:
                    legend.set_ncols(1)
                    for text in legend.get_texts():
                        _rewrap(text, 0.8 * limit, renderer)
                    if legend.get_title().get_text():
                        _rewrap(legend.get_title(), 0.9 * limit, renderer)
        if fig._suptitle is not None:
            _rewrap(fig._suptitle, 0.98 * width, renderer)
    fig.canvas.draw()


def visible_texts(fig) -> list:
    """Every visible, non-empty text of a figure (titles, labels, ticks, legends, notes).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.

    Returns
    -------
    list of matplotlib.text.Text
        The texts, in drawing order.
    """
    from matplotlib.text import Text

    hidden = set()  # labels of ticks outside the view limits: matplotlib does not draw them
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            span = (high - low) or 1.0
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                loc = tick.get_loc()
                if loc is None or not low - 1e-9 * span <= loc <= high + 1e-9 * span:
                    hidden.update({id(tick.label1), id(tick.label2)})
    out = []
    for artist in fig.findobj(Text):
        if not artist.get_visible() or not artist.get_text().strip() or id(artist) in hidden:
            continue
        if artist.axes is not None and not artist.axes.get_visible():
            continue  # a hidden panel is not drawn
        if artist.axes is not None and artist.axes not in fig.axes:
            continue  # a removed panel
        out.append(artist)
    return out


def text_overlaps(fig, pad: float = 0.0) -> dict:
    """Render ``fig`` and list overlapping texts and texts outside the figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (drawn here with its own renderer).
    pad : float
        Pixels by which boxes are shrunk before testing (default 0: touching is allowed,
        any intersection is not).

    Returns
    -------
    dict
        ``pairs``: ``(text_a, text_b)`` strings of each overlapping pair; ``outside``: the
        strings of texts not wholly inside the figure.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = visible_texts(fig)
    boxes = []
    for text in texts:
        bb = text.get_window_extent(renderer)
        boxes.append((bb.x0 + pad, bb.y0 + pad, bb.x1 - pad, bb.y1 - pad))
    width, height = fig.bbox.width, fig.bbox.height
    outside = [
        t.get_text()
        for t, b in zip(texts, boxes)
        if b[0] < -0.5 or b[1] < -0.5 or b[2] > width + 0.5 or b[3] > height + 0.5
    ]
    pairs = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = boxes[i], boxes[j]
            if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1]):
                pairs.append((texts[i].get_text(), texts[j].get_text()))
    return {"pairs": pairs, "outside": outside}
