"""Figure styles: a colour-blind-safe palette and rcParams presets for papers and slides.

Every preset writes TrueType (Type 42) fonts into PDF and PostScript files, which publishers
accept where Type 3 bitmap-like fonts are refused, and keeps SVG output deterministic (a fixed
hash salt, no date). The palette is that of Okabe and Ito (2008), *Color Universal Design*,
whose eight colours stay distinct under the common forms of colour blindness.

Use a preset as a context manager::

    with figure_style("paper"):
        fig, ax = plt.subplots()
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from ..errors import InvalidParameterError

__all__ = ["OKABE_ITO", "STYLES", "figure_style", "style_params", "color"]

#: The Okabe–Ito palette, black last (used for marks and reference lines).
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow (kept last among colours: low contrast on white)
    "#000000",  # black
)

# What every preset shares: fonts embedded as TrueType, deterministic SVG, the palette.
_COMMON = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "path",
    "svg.hashsalt": "coordgap",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlelocation": "center",
    "legend.frameon": False,
    "savefig.bbox": None,
    "figure.constrained_layout.use": True,
}

#: Preset name → (figure width in inches, base font size in points, line width).
STYLES = {
    "default": (6.4, 10.0, 1.5),
    "paper": (3.5, 8.0, 1.2),
    "paper-double": (7.2, 9.0, 1.3),
    "slides": (10.0, 16.0, 2.4),
}


def style_params(name: str = "default") -> dict:
    """The rcParams of a preset.

    Parameters
    ----------
    name : {"default", "paper", "paper-double", "slides"}
        ``paper`` is one journal column (3.5 in wide), ``paper-double`` the full text width
        (7.2 in), ``slides`` large type for a projector.

    Returns
    -------
    dict
        rcParams to pass to :func:`matplotlib.rc_context`.

    Raises
    ------
    InvalidParameterError
        For an unknown preset.

    Examples
    --------
    >>> p = style_params("paper")
    >>> p["figure.figsize"][0], p["pdf.fonttype"], p["font.size"]
    (3.5, 42, 8.0)
    >>> style_params("poster")
    Traceback (most recent call last):
    ...
    coordgap.errors.InvalidParameterError: The 'style' parameter of figure_style must be one of default, paper, paper-double, slides. Got 'poster' instead.
    """
    if name not in STYLES:
        raise InvalidParameterError("figure_style", "style", f"one of {', '.join(STYLES)}", name)
    from cycler import cycler  # a dependency of matplotlib

    width, size, line = STYLES[name]
    params = dict(_COMMON)
    params.update(
        {
            "axes.prop_cycle": cycler(color=list(OKABE_ITO)),
            "figure.figsize": (width, round(width * 0.68, 2)),
            "font.size": size,
            "axes.titlesize": size * 1.1,
            "axes.labelsize": size,
            "xtick.labelsize": size * 0.9,
            "ytick.labelsize": size * 0.9,
            "legend.fontsize": size * 0.9,
            "legend.title_fontsize": size * 0.9,
            "figure.titlesize": size * 1.15,
            "lines.linewidth": line,
            "lines.markersize": 3.0 + line,
        }
    )
    return params


@contextlib.contextmanager
def figure_style(name: str = "default") -> Iterator[dict]:
    """A context in which new figures use a preset.

    Parameters
    ----------
    name : {"default", "paper", "paper-double", "slides"}
        The preset (see :func:`style_params`).

    Yields
    ------
    dict
        The preset's rcParams.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with figure_style("slides"):
    ...     mpl.rcParams["font.size"], mpl.rcParams["pdf.fonttype"]
    (16.0, 42)
    """
    import matplotlib as mpl

    params = style_params(name)
    with mpl.rc_context(params):
        yield params


def color(k: int) -> str:
    """The ``k``-th colour of the palette (cycling over its seven colours, black excluded).

    Parameters
    ----------
    k : int
        Index of the series.

    Returns
    -------
    str
        A hex colour.

    Examples
    --------
    >>> color(0), color(7)
    ('#0072B2', '#0072B2')
    """
    return OKABE_ITO[k % 7]
