"""Atomic, deterministic output files: figures (PNG, PDF, SVG), their data and provenance.

Nothing is half-written: every file is written through :func:`coordgap.files.write_all`
(temporary files in the target directory moved into place with :func:`os.replace` once all
are written). Figures carry no timestamps or software versions in their metadata, so two runs
write identical bytes; PDF and PostScript embed TrueType (Type 42) fonts, never Type 3, and SVG
ids come from a fixed hash salt.

Beside each figure ``ID.csv`` holds the data drawn (one row per plotted point, read back from
the figure's artists) and ``ID.json`` the provenance: how the figure was made, the versions of
the software that made it, the git commit of the source when it is a git checkout, the model's
SHA-256 and the SHA-256 of the CSV.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import platform
import subprocess
from pathlib import Path

from ..files import atomic_write_bytes, atomic_write_text, write_all

__all__ = [
    "FORMATS",
    "atomic_write_bytes",
    "atomic_write_text",
    "figure_bytes",
    "figure_files",
    "plotted_data",
    "software_versions",
    "git_commit",
    "save_figure",
]

#: Image formats a figure may be written in.
FORMATS = ("png", "pdf", "svg")

_METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
    "svg": {"Date": None, "Creator": None},
}
# Read when a file is saved (not when the figure is made): TrueType fonts, fixed SVG ids.
_SAVE_RC = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.hashsalt": "coordgap"}


def figure_bytes(fig, fmt: str, dpi: int = 150) -> bytes:
    """Render a matplotlib figure to bytes without any timestamp or version metadata.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    fmt : str
        Image format understood by matplotlib (``"png"``, ``"pdf"``, ``"svg"``, ...).
    dpi : int
        Resolution of raster formats (default 150).

    Returns
    -------
    bytes
        The rendered file.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("Title")
    >>> figure_bytes(fig, "svg") == figure_bytes(fig, "svg")
    True
    >>> b"/Type3" in figure_bytes(fig, "pdf")
    False
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    buffer = io.BytesIO()
    with mpl.rc_context(dict(_SAVE_RC)):  # type: ignore[arg-type]
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA.get(fmt))
    return buffer.getvalue()


def plotted_data(fig):
    """The data drawn in a figure, one row per point: panel, series, element, x, y.

    Lines give their points, bars their centre and height (``x_label`` is the tick label at
    the bar), colour maps the centre and value of each cell, shaded areas the vertices of
    their shapes and scatter plots their points; error bars appear as the lines they are made
    of. The rows follow the drawing order, so the table and its
    hash are deterministic.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.

    Returns
    -------
    pandas.DataFrame
        Columns ``panel`` (axes number from 0), ``panel_title``, ``series`` (legend label,
        or the element and its number when unlabelled), ``element`` (line, bar, area,
        points, cells), ``x``, ``x_label``, ``y`` and ``value`` (the colour value of a cell
        of a colour map, empty otherwise).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [2.0, 3.0], label="a")
    >>> _ = ax.bar([0], [4.0], label="b")
    >>> plotted_data(fig)[["series", "element", "x", "y"]].to_numpy().tolist()
    [['a', 'line', 0.0, 2.0], ['a', 'line', 1.0, 3.0], ['b', 'bar', 0.0, 4.0]]
    >>> plt.close(fig)
    """
    import numpy as np
    import pandas as pd
    from matplotlib.collections import Collection, PathCollection, QuadMesh
    from matplotlib.container import BarContainer

    rows: list[tuple] = []
    for k, ax in enumerate(fig.axes):
        # A colour bar's axes draws the colour scale, not data.
        if not ax.get_visible() or getattr(ax, "_colorbar", None) is not None:
            continue
        title = " ".join(ax.get_title().split())  # one line, however the title wraps
        ticks: dict[float, str] = {}
        with contextlib.suppress(TypeError, ValueError):  # categorical or date axes
            ticks = {
                round(float(v), 9): t.get_text()
                for v, t in zip(ax.get_xticks(), ax.get_xticklabels())
            }

        def name(artist, element, n):
            label = " ".join(str(artist.get_label()).split())
            return label if label and not label.startswith("_") else f"{element} {n}"

        for n, line in enumerate(ax.get_lines()):
            x, y = (np.asarray(v, dtype=float).ravel() for v in line.get_data())
            series = name(line, "line", n)
            rows += [(k, title, series, "line", a, "", b) for a, b in zip(x, y)]
        bars = 0
        for container in ax.containers:
            if isinstance(container, BarContainer):
                series = name(container, "bars", bars)
                bars += 1
                for patch in container.patches:
                    mid = float(patch.get_x() + patch.get_width() / 2)
                    label = ticks.get(round(mid, 9), "")
                    rows.append((k, title, series, "bar", mid, label, patch.get_height()))
        for n, coll in enumerate(c for c in ax.collections if isinstance(c, Collection)):
            if isinstance(coll, QuadMesh):  # a colour map: one row per cell, its value
                corners = np.asarray(coll.get_coordinates(), dtype=float)
                centres = 0.25 * (
                    corners[:-1, :-1] + corners[1:, :-1] + corners[:-1, 1:] + corners[1:, 1:]
                ).reshape(-1, 2)
                values: np.ndarray = np.ma.filled(
                    np.ma.asarray(coll.get_array(), dtype=float), np.nan
                )
                series = name(coll, "cells", n)
                rows += [
                    (k, title, series, "cells", a, "", b, v)
                    for (a, b), v in zip(centres, values.ravel())
                ]
                continue
            offsets = np.asarray(coll.get_offsets(), dtype=float).reshape(-1, 2)
            # Scatter markers (one point or many) are points; other collections are areas.
            element = "points" if isinstance(coll, PathCollection) else "area"
            series = name(coll, element, n)
            if element == "points":
                rows += [(k, title, series, element, a, "", b) for a, b in offsets]
                continue
            for path in coll.get_paths():
                verts = np.asarray(path.vertices, dtype=float)
                rows += [(k, title, series, element, a, "", b) for a, b in verts]
    columns = ["panel", "panel_title", "series", "element", "x", "x_label", "y", "value"]
    return pd.DataFrame([row + (np.nan,) * (8 - len(row)) for row in rows], columns=columns)


def _csv(frame) -> bytes:
    return frame.to_csv(index=False, float_format="%.10g", lineterminator="\n").encode("utf-8")


@functools.cache
def git_commit() -> str | None:
    """The commit of the source tree coordgap runs from, when it is a git checkout.

    Returns
    -------
    str or None
        The full commit hash, or None when the package is not in a git work tree or git is
        not installed.

    Examples
    --------
    >>> commit = git_commit()
    >>> commit is None or len(commit) == 40
    True
    """
    here = Path(__file__).resolve().parent
    try:
        # Only a checkout that tracks this very file: an installed copy that happens to sit
        # inside some other git work tree (a virtual environment in a project) has no commit.
        tracked = subprocess.run(
            ["git", "-C", str(here), "ls-files", "--error-unmatch", Path(__file__).name],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if tracked.returncode != 0:
            return None
        out = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    if out.returncode != 0 or len(commit) != 40:
        return None
    return commit


def software_versions() -> dict:
    """Versions of Python and of the packages that make a figure.

    Returns
    -------
    dict
        ``python``, ``coordgap``, ``numpy``, ``scipy``, ``pandas`` and ``matplotlib``.

    Examples
    --------
    >>> sorted(software_versions())
    ['coordgap', 'matplotlib', 'numpy', 'pandas', 'python', 'scipy']
    """
    from importlib.metadata import PackageNotFoundError, version

    from .._version import __version__

    out: dict[str, str | None] = {"python": platform.python_version(), "coordgap": __version__}
    for package in ("numpy", "scipy", "pandas", "matplotlib"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:  # pragma: no cover - all are dependencies
            out[package] = None
    return out


def save_figure(
    fig, stem: str | Path, provenance: dict, formats=("png", "pdf"), dpi: int = 150
) -> list[Path]:
    """Write ``stem.png``/``stem.pdf``/``stem.svg``, ``stem.csv`` and ``stem.json``, all or none.

    Every file is rendered to memory first, so an error leaves no file behind.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    stem : str or pathlib.Path
        Path of the files without suffix (``out/fig1`` → ``out/fig1.png``, ``out/fig1.json``).
    provenance : dict
        JSON-serializable record of how the figure was made, completed and written to
        ``stem.json`` (see :func:`figure_files`).
    formats : sequence of str
        Image formats rendered (default ``("png", "pdf")``).
    dpi : int
        Resolution of raster formats (default 150).

    Returns
    -------
    list of pathlib.Path
        The paths written (parent directories are created).
    """
    return write_all(figure_files(fig, stem, provenance, formats, dpi), make_dirs=True)


def figure_files(
    fig, stem: str | Path, provenance: dict, formats=("png", "pdf"), dpi: int = 150
) -> dict[Path, bytes]:
    """The files of one figure, rendered to memory: ``{path: bytes}``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    stem : str or pathlib.Path
        Path of the files without suffix (``out/fig1`` → ``out/fig1.png``, ``out/fig1.json``).
    provenance : dict
        JSON-serializable record of how the figure was made. It is completed with
        ``versions`` (:func:`software_versions`), ``git_commit`` (:func:`git_commit`),
        ``formats``, ``dpi``, ``data`` (the CSV's file name) and ``data_sha256``.
    formats : sequence of str
        Image formats rendered (default ``("png", "pdf")``), from :data:`FORMATS`.
    dpi : int
        Resolution of raster formats (default 150).

    Returns
    -------
    dict of pathlib.Path to bytes
        One entry per format, then ``stem.csv`` (the plotted data) and ``stem.json``
        (sorted keys, indented).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1], label="a")
    >>> files = figure_files(fig, "out/a", {"id": "a"}, formats=("svg",))
    >>> [p.name for p in files]
    ['a.svg', 'a.csv', 'a.json']
    >>> plt.close(fig)
    """
    from ..errors import InvalidParameterError

    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise InvalidParameterError(
            "figure_files", "formats", f"a non-empty list of {', '.join(FORMATS)}", list(formats)
        )
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 10 <= dpi <= 2400:
        raise InvalidParameterError("figure_files", "dpi", "an integer from 10 to 2400", dpi)
    stem = Path(stem)
    files = {Path(f"{stem}.{fmt}"): figure_bytes(fig, fmt, dpi) for fmt in formats}
    data = _csv(plotted_data(fig))
    files[Path(f"{stem}.csv")] = data
    record = dict(provenance)
    record.update(
        {
            "versions": software_versions(),
            "git_commit": git_commit(),
            "formats": list(formats),
            "dpi": dpi,
            "data": f"{stem.name}.csv",
            "data_sha256": hashlib.sha256(data).hexdigest(),
        }
    )
    text = json.dumps(record, indent=2, sort_keys=True) + "\n"
    files[Path(f"{stem}.json")] = text.encode("utf-8")
    return files
