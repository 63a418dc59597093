"""Atomic, deterministic output files: figures (PNG, PDF) and their JSON provenance.

Nothing is half-written: every file is written through :func:`coordgap.files.write_all`
(temporary files in the target directory moved into place with :func:`os.replace` once all
are written). Figures carry no
timestamps or software versions in their metadata, so two runs write identical bytes.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from ..files import atomic_write_bytes, atomic_write_text, write_all

__all__ = ["atomic_write_bytes", "atomic_write_text", "figure_bytes", "figure_files", "save_figure"]

_PNG_METADATA = {"Software": None}
_PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None}


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
    """
    buffer = io.BytesIO()
    metadata = _PNG_METADATA if fmt == "png" else _PDF_METADATA if fmt == "pdf" else None
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    return buffer.getvalue()


def save_figure(
    fig, stem: str | Path, provenance: dict, formats=("png", "pdf"), dpi: int = 150
) -> list[Path]:
    """Write ``stem.png``/``stem.pdf`` and ``stem.json`` (provenance), all or none.

    Every format is rendered to memory first, so an error leaves no file behind.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    stem : str or pathlib.Path
        Path of the files without suffix (``out/fig1`` → ``out/fig1.png``, ``out/fig1.json``).
    provenance : dict
        JSON-serializable record of how the figure was made, written to ``stem.json``.
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
        JSON-serializable record of how the figure was made, written to ``stem.json``.
    formats : sequence of str
        Image formats rendered (default ``("png", "pdf")``).
    dpi : int
        Resolution of raster formats (default 150).

    Returns
    -------
    dict of pathlib.Path to bytes
        One entry per format, then ``stem.json`` (sorted keys, indented).
    """
    stem = Path(stem)
    files = {Path(f"{stem}.{fmt}"): figure_bytes(fig, fmt, dpi) for fmt in formats}
    text = json.dumps(provenance, indent=2, sort_keys=True) + "\n"
    files[Path(f"{stem}.json")] = text.encode("utf-8")
    return files
