"""Atomic, deterministic output files: figures (PNG, PDF) and their JSON provenance.

Nothing is half-written: every file is written to a temporary file in the target directory and
moved into place with :func:`os.replace`, which is atomic on POSIX and Windows. Figures carry no
timestamps or software versions in their metadata, so two runs write identical bytes.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text", "figure_bytes", "save_figure"]

_PNG_METADATA = {"Software": None}
_PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None}


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + rename in the same directory)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual file mode
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def figure_bytes(fig, fmt: str, dpi: int = 150) -> bytes:
    """Render a matplotlib figure to bytes without any timestamp or version metadata."""
    buffer = io.BytesIO()
    metadata = _PNG_METADATA if fmt == "png" else _PDF_METADATA if fmt == "pdf" else None
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    return buffer.getvalue()


def save_figure(fig, stem: str | Path, provenance: dict, formats=("png", "pdf"),
                dpi: int = 150) -> list[Path]:
    """Write ``stem.png``/``stem.pdf`` and ``stem.json`` (provenance), each atomically.

    Every format is rendered to memory first, so an error leaves no file behind.
    """
    stem = Path(stem)
    rendered = {fmt: figure_bytes(fig, fmt, dpi) for fmt in formats}
    text = json.dumps(provenance, indent=2, sort_keys=True) + "\n"
    written = [atomic_write_bytes(stem.with_suffix(f".{fmt}"), data)
               for fmt, data in rendered.items()]
    written.append(atomic_write_text(stem.with_suffix(".json"), text))
    return written
