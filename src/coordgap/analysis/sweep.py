"""Parameter sweeps: vectorized over whole grids where a closed form allows, else chunked cells.

A sweep evaluates a *metric model* — any object with ``evaluate(cell, seed) -> dict`` and,
optionally, ``evaluate_grid(columns) -> dict`` (a closed form over whole arrays; return
``NotImplemented`` to decline) — at every point of the Cartesian product of a grid. Cells run in
this process or on any :class:`concurrent.futures.Executor` (``executor=``), each with its own
child SeedSequence, so results are identical for any number of workers and any order.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError, did_you_mean
from ..limits import check_size
from ..results import Result
from .parallel import root_seed_sequence, run_chunks

__all__ = ["sweep", "SweepResult"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class SweepResult(Result):
    """A tidy table of metrics over a grid.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per grid point: the grid columns, then one column per metric.
    grid : dict
        Grid name → values (the axes).
    metrics : tuple of str
        Names of the metric columns, in order.
    method : str
        ``"vectorized"`` (closed form over the whole grid) or ``"cells"``.
    seed_entropy : int or None
        Entropy of the root SeedSequence (reproduce with ``rng=np.random.SeedSequence(e)``).
    success, status, message
        As in SciPy; a sweep reports success (failures raise).
    """

    frame: pd.DataFrame
    grid: dict
    metrics: tuple
    method: str
    seed_entropy: Any = None
    success: bool = True
    status: int = 0
    message: str = ""
    _hidden: ClassVar[tuple] = ("frame",)

    def to_frame(self) -> pd.DataFrame:
        """The sweep's table.

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`frame`.
        """
        return self.frame.copy()

    def to_xarray(self):
        """The sweep as an ``xarray.Dataset`` over the grid axes (needs xarray).

        Returns
        -------
        xarray.Dataset
            One data variable per metric, indexed by the grid columns.
        """
        import xarray  # optional dependency

        return xarray.Dataset.from_dataframe(self.frame.set_index(list(self.grid)))

    def __repr__(self) -> str:
        axes = ", ".join(f"{k}[{len(v)}]" for k, v in self.grid.items())
        return (
            f"SweepResult(grid=({axes}), metrics={self.metrics}, method={self.method!r}, "
            f"rows={len(self.frame)})"
        )


def _check_grid(grid) -> dict[str, np.ndarray]:
    if not isinstance(grid, dict) or not grid:
        raise InvalidParameterError(
            "sweep", "grid", "a non-empty mapping of parameter name to values", grid
        )
    out = {}
    for name, values in grid.items():
        arr = np.atleast_1d(np.asarray(values, dtype=float))
        if arr.ndim != 1 or arr.size == 0 or not np.all(np.isfinite(arr)):
            raise InvalidParameterError(
                "sweep", f"grid[{name!r}]", "a non-empty 1-D array of finite floats", values
            )
        out[str(name)] = arr
    return out


def _evaluate_cell(model, cell: dict, seed) -> dict:
    return model.evaluate(cell, seed)


def sweep(
    model, grid, metrics=None, *, executor=None, rng=None, chunksize=None, progress=None
) -> SweepResult:
    """Evaluate ``metrics`` of ``model`` over the Cartesian product of ``grid``.

    Parameters
    ----------
    model
        A metric model: ``evaluate(cell, seed)`` and optionally ``evaluate_grid(columns)``
        (e.g. :class:`coordgap.analysis.metrics.PreparednessMetrics`).
    grid : dict
        Parameter name → 1-D values.
    metrics : sequence of str, optional
        Metrics to keep (default: all the model reports).
    executor : concurrent.futures.Executor, optional
        Runs chunks of cells (process pool, dask ``Client.get_executor()``).
    rng : None, int, SeedSequence or Generator
        Root of the per-cell child seeds.
    chunksize : int, optional
        Cells per submitted task.
    progress : bool or {"auto"}, optional
        Show a progress bar (default "auto": in a notebook or on a terminal, never in a
        non-interactive run).

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.analysis.metrics import PreparednessMetrics
    >>> game = cg.PreparednessGame(share=0.1, cost=1.0, n_actors=5, prob=0.5, harm=100.0,
    ...                            efficacy=0.2, cost_exponent=2.0)
    >>> res = cg.sweep(PreparednessMetrics(game), {"share_scale": [0.5, 1.0, 2.0]},
    ...                metrics=["robustness_ratio"])
    >>> res.method, res.frame["robustness_ratio"].is_monotonic_increasing
    ('vectorized', True)
    """
    axes = _check_grid(grid)
    check_size(
        "sweep", "grid", int(np.prod([len(v) for v in axes.values()], dtype=float)), "sweep_points"
    )
    names = list(axes)
    mesh = np.meshgrid(*axes.values(), indexing="ij")
    columns = {name: m.reshape(-1) for name, m in zip(names, mesh)}
    root = root_seed_sequence(rng)
    values: Any  # metric name -> column, or NotImplemented from evaluate_grid
    method, values = "cells", None
    if executor is None and hasattr(model, "evaluate_grid"):
        values = model.evaluate_grid(columns)
        if values is not NotImplemented:
            method = "vectorized"
    if method == "cells":
        n = columns[names[0]].size
        cells = [{k: float(columns[k][i]) for k in names} for i in range(n)]
        seeds = root.spawn(n)
        rows = run_chunks(
            functools.partial(_evaluate_cell, model),
            cells,
            seeds,
            executor=executor,
            chunksize=chunksize,
            progress=progress,
            desc="sweep",
        )
        keys = list(rows[0]) if rows else []
        values = {k: np.array([row[k] for row in rows]) for k in keys}
    keep = list(values) if metrics is None else list(metrics)
    unknown = [m for m in keep if m not in values]
    if unknown:
        raise InvalidParameterError(
            "sweep",
            "metrics",
            "names of metrics the model reports",
            unknown[0],
            did_you_mean(unknown[0], list(values)),
        )
    frame = pd.DataFrame({**columns, **{k: np.asarray(values[k]) for k in keep}})
    return SweepResult(
        frame=frame, grid=axes, metrics=tuple(keep), method=method, seed_entropy=root.entropy
    )


def product_cells(grid: dict) -> list[dict]:
    """All cells of a grid as dicts, in the sweep's (row-major) order."""
    axes = _check_grid(grid)
    return [dict(zip(axes, combo)) for combo in itertools.product(*axes.values())]
