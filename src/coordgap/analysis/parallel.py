"""Seeding and chunked execution shared by sweeps and Monte Carlo studies.

Every cell (or draw block) gets its own child :class:`numpy.random.SeedSequence`, spawned from one
root in a fixed order, so results do not depend on the number of workers or on the order in
which they finish. Work goes to any :class:`concurrent.futures.Executor` — a process pool, or
``dask.distributed.Client(...).get_executor()`` for a cluster — in chunks; without an executor it
runs in this process.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import InvalidParameterError

__all__ = ["root_seed_sequence", "spawn_seeds", "run_chunks", "in_notebook", "show_progress"]


def root_seed_sequence(rng=None) -> np.random.SeedSequence:
    """A root SeedSequence from ``rng`` (None, int, SeedSequence or Generator).

    Parameters
    ----------
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator
        None: fresh entropy; a non-negative int: that entropy; a SeedSequence: itself; a
        Generator: entropy drawn from it (which advances it).

    Returns
    -------
    numpy.random.SeedSequence
        The root of every child seed.
    """
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if rng is None or (isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise InvalidParameterError(
                "rng", "rng", "None, a non-negative int, a SeedSequence or a numpy Generator", rng
            )
        return np.random.SeedSequence(None if rng is None else int(rng))
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(rng.integers(0, 2**63 - 1, size=4).tolist())
    raise InvalidParameterError(
        "rng",
        "rng",
        "None, a non-negative int, a SeedSequence or a numpy Generator",
        type(rng).__name__,
    )


def spawn_seeds(rng, n: int) -> list[np.random.SeedSequence]:
    """``n`` independent child seeds, the same for the same ``rng`` whatever runs them.

    Parameters
    ----------
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator
        The root, as in :func:`root_seed_sequence`.
    n : int
        Number of child seeds.

    Returns
    -------
    list of numpy.random.SeedSequence
        The children of the root, in spawn order.
    """
    return root_seed_sequence(rng).spawn(n)


def in_notebook() -> bool:
    """Whether this code runs in a Jupyter kernel (a notebook, JupyterLab, VS Code).

    Returns
    -------
    bool
        True when ``ipykernel`` is loaded and the running IPython shell is a kernel's
        (``ZMQInteractiveShell``); False in scripts, terminals and plain IPython.

    Examples
    --------
    >>> in_notebook()  # doctests do not run in a kernel
    False
    """
    if "ipykernel" not in sys.modules:
        return False
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if callable(get) else None
    return type(shell).__name__ == "ZMQInteractiveShell" or hasattr(shell, "kernel")


def show_progress(progress: Any = "auto") -> bool:
    """Whether to show a progress bar: ``"auto"`` (or None) shows one only where someone
    watches — in a notebook or on a terminal — and stays silent in logs, pipes and CI.

    Parameters
    ----------
    progress : {"auto", True, False} or None
        ``True``: always; ``False``: never; ``"auto"``/None: in a Jupyter kernel, or when
        standard error is a terminal.

    Returns
    -------
    bool
        Whether a bar is shown.

    Examples
    --------
    >>> show_progress(True), show_progress(False)
    (True, False)
    >>> show_progress("auto")  # doctests write to a pipe, outside a kernel
    False
    """
    if progress is None or (isinstance(progress, str) and progress == "auto"):
        try:
            tty = sys.stderr.isatty()
        except (AttributeError, ValueError):  # replaced or closed stream
            tty = False
        return in_notebook() or bool(tty)
    if isinstance(progress, (bool, np.bool_)):
        return bool(progress)
    raise InvalidParameterError("progress", "progress", '"auto", True or False', progress)


def _progress_bar(total: int, desc: str, show: bool):
    """A tqdm bar: the notebook widget in a kernel with ipywidgets, text on standard error
    otherwise (never a warning about a missing widget library)."""
    if show and in_notebook() and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm as notebook_bar

        return notebook_bar(total=total, desc=desc or None, leave=False)
    from tqdm.std import tqdm

    return tqdm(total=total, desc=desc or None, disable=not show, leave=False)


def _call_chunk(func: Callable, items: Sequence, seeds: Sequence) -> list:
    return [func(item, seed) for item, seed in zip(items, seeds)]


def run_chunks(
    func: Callable[[Any, np.random.SeedSequence], Any],
    items: Sequence,
    seeds: Sequence,
    *,
    executor=None,
    chunksize: int | None = None,
    progress: Any = "auto",
    desc: str = "",
) -> list:
    """Apply ``func(item, seed)`` to every item, in order, optionally on an executor.

    ``func`` must be picklable (a module-level function or a ``functools.partial`` of one) when
    an executor is given. By default a tqdm bar shows in a notebook or on a terminal and stays
    silent otherwise (see :func:`show_progress`).

    Parameters
    ----------
    func : callable
        ``func(item, seed)``, called once per item.
    items : sequence
        The work items (grid cells, draw blocks).
    seeds : sequence of numpy.random.SeedSequence
        One seed per item, passed along with it.
    executor : concurrent.futures.Executor, optional
        Runs chunks of items (default: run here, one by one).
    chunksize : int, optional
        Items per submitted chunk (default: about four chunks per worker).
    progress : {"auto", True, False} or None
        Show a progress bar: ``"auto"`` (default; None means the same) shows it in a Jupyter
        notebook or on a terminal, silent in scripts whose output is piped or logged.
    desc : str
        Label of the progress bar.

    Returns
    -------
    list
        ``func(item, seed)`` for every item, in the order of ``items``.
    """
    n = len(items)
    if executor is None:
        chunks = [(0, n)]
    else:
        if chunksize is None:
            workers = getattr(executor, "_max_workers", None) or 4
            chunksize = max(1, -(-n // (4 * workers)))
        chunks = [(i, min(n, i + chunksize)) for i in range(0, n, chunksize)]
    bar = _progress_bar(n, desc, show_progress(progress))
    out: list = [None] * len(chunks)
    try:
        if executor is None:
            results = []
            for i in range(n):
                results.append(func(items[i], seeds[i]))
                bar.update(1)
            return results
        futures = [
            executor.submit(_call_chunk, func, list(items[a:b]), list(seeds[a:b]))
            for a, b in chunks
        ]
        for k, fut in enumerate(futures):
            out[k] = fut.result()
            bar.update(chunks[k][1] - chunks[k][0])
    finally:
        bar.close()
    return [x for part in out for x in part]
