"""Global sensitivity of design metrics, and of the ranking of designs, to uncertain parameters.

Variance-based (Sobol') indices and Morris elementary effects are estimated by SALib: its
samplers draw points of a unit hypercube, every coordinate is mapped through the inverse CDF
(``ppf``) of the parameter's distribution, the designs are evaluated at every point (paths as
in :func:`coordgap.monte_carlo`), and SALib's estimators turn the outputs into indices. No
estimator is written here.

* **Sobol'** (``method="sobol"``): Saltelli's scheme with a scrambled Sobol' base sample of
  ``n`` points (``n`` a power of 2), ``n·(d + 2)`` model runs for d parameters; first-order
  indices S1 (the share of the output's variance explained by the parameter alone) and total
  indices ST (including all its interactions), with bootstrap confidence intervals
  (Saltelli et al. 2010 estimators, as SALib implements them).
* **Morris** (``method="morris"``): ``n`` one-at-a-time trajectories on a grid of ``L`` levels,
  ``n·(d + 1)`` runs; ``mu_star`` (mean absolute elementary effect), ``mu`` and ``sigma``
  (its spread: non-linearity or interactions). The levels are the midpoints of ``L``
  equal-probability cells of each distribution (quantiles 1/(2L), 3/(2L), …), so an effect is a
  change of the output per unit change of the parameter's quantile: ``mu_star`` is in the
  metric's unit.
"""

from __future__ import annotations

import functools
import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError, Shown, did_you_mean
from ..instruments.base import PolicyModel
from ..instruments.design import Design
from ..limits import check_size
from ..results import Result
from ..solvers.compiled import compiled_search
from .compare import METRICS, evaluate_applied
from .montecarlo import (
    _MODEL_HEADS,
    COMPILED_MIN_EVALUATIONS,
    _check_distribution,
    _check_instrument_path,
    _check_model_path,
    _flatten,
    perturb,
)
from .parallel import root_seed_sequence, run_chunks

__all__ = [
    "METHODS",
    "LOWER_IS_BETTER",
    "sensitivity",
    "SensitivityResult",
    "function_sensitivity",
]

#: The sensitivity methods: variance-based (Sobol') indices and Morris elementary effects.
METHODS = ("sobol", "morris")
#: Metrics for which less is better (a design ranks first with the least); for the others,
#: more is better.
LOWER_IS_BETTER = frozenset(
    {"residual_harm", "actor_cost", "insurer_cost", "programme_cost", "deadweight", "fiscal_cost"}
)
#: The index columns of each method.
COLUMNS = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu", "mu_star", "mu_star_conf", "sigma"),
}
_OWNER = "sensitivity"
# Spawn keys (under the root seed) of the sampler's and of the bootstrap's generators.
_SAMPLE_KEY = zlib.crc32(b"sensitivity sample")
_BOOTSTRAP_KEY = zlib.crc32(b"sensitivity bootstrap")
# Unit-cube points are kept this far inside (0, 1) before the inverse CDF, so that no point is
# an infinite end of a distribution's support.
_UNIT_EDGE = 2.0**-52


def _child(root: np.random.SeedSequence, key: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(root.entropy, spawn_key=tuple(root.spawn_key) + (key,))


def _problem(names: Sequence[str], method: str, num_levels: int) -> dict:
    """SALib's problem on the unit hypercube; Morris levels at equal-probability midpoints."""
    edge = 0.5 / num_levels if method == "morris" else 0.0
    return {
        "num_vars": len(names),
        "names": list(names),
        "bounds": [[edge, 1.0 - edge]] * len(names),
    }


def _unit_points(problem: dict, method: str, n: int, num_levels: int, root) -> np.ndarray:
    """SALib's sample of the unit hypercube (probabilities, one column per parameter)."""
    gen = np.random.default_rng(_child(root, _SAMPLE_KEY))
    if method == "sobol":
        from SALib.sample import sobol as sobol_sample

        points = sobol_sample.sample(problem, n, calc_second_order=False, scramble=True, seed=gen)
    else:
        from SALib.sample import morris as morris_sample

        points = morris_sample.sample(problem, n, num_levels=num_levels, seed=gen)
    return np.asarray(points, dtype=float)


def _to_values(unit: np.ndarray, dists: Sequence) -> np.ndarray:
    """Parameter values: each column of probabilities through its distribution's ``ppf``."""
    u = np.clip(unit, _UNIT_EDGE, 1.0 - _UNIT_EDGE)
    return np.column_stack(
        [np.asarray(dist.ppf(u[:, k]), dtype=float) for k, dist in enumerate(dists)]
    )


def _call(func: Callable, values: np.ndarray, seed) -> np.ndarray:
    """One block of points through ``func`` (the work item of :func:`run_chunks`)."""
    out = np.asarray(func(values), dtype=float)
    return out.reshape(len(values), -1)


def _outputs(func, values, *, executor, block, progress) -> np.ndarray:
    """``func`` at every row of ``values``, in blocks, here or on ``executor``: the same array
    either way (the evaluations are deterministic and reassembled in order)."""
    starts = range(0, len(values), block)
    items = [values[a : a + block] for a in starts]
    parts = run_chunks(
        functools.partial(_call, func),
        items,
        [None] * len(items),
        executor=executor,
        progress=progress,
        desc="sensitivity",
    )
    return np.concatenate(parts, axis=0)


def _indices(problem: dict, unit, y, method, num_levels, num_resamples, conf_level, seed) -> dict:
    """The indices of one output (one array per index column, one entry per parameter).

    An output that is not finite everywhere, or (for Sobol') does not vary, has no indices:
    NaN (variance-based indices of a constant are 0/0)."""
    d = problem["num_vars"]
    scale = max(1.0, float(np.max(np.abs(y)))) if np.all(np.isfinite(y)) else math.nan
    constant = not math.isfinite(scale) or float(np.ptp(y)) <= 1e-12 * scale
    if not math.isfinite(scale) or (method == "sobol" and constant):
        return {c: np.full(d, math.nan) for c in COLUMNS[method]}
    if method == "sobol":
        from SALib.analyze import sobol as sobol_analyze

        found = sobol_analyze.analyze(
            problem,
            y,
            calc_second_order=False,
            num_resamples=num_resamples,
            conf_level=conf_level,
            print_to_console=False,
            seed=seed,
        )
    else:
        from SALib.analyze import morris as morris_analyze

        found = morris_analyze.analyze(
            problem,
            unit,
            y,
            num_resamples=num_resamples,
            conf_level=conf_level,
            print_to_console=False,
            num_levels=num_levels,
            seed=seed,
        )
    # SALib measures a Morris step on the grid's own scale, on which the levels span 1; they
    # span 1 − 1/L in probability, so the effects per unit of quantile are L/(L − 1) times
    # larger (every Morris column is linear in the effects).
    unit = num_levels / (num_levels - 1) if method == "morris" else 1.0
    return {
        c: unit
        * np.asarray(np.ma.filled(np.ma.asarray(found[c], dtype=float), math.nan), dtype=float)
        if method == "morris"
        else np.asarray(found[c], dtype=float)
        for c in COLUMNS[method]
    }


def _check_count(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise InvalidParameterError(_OWNER, name, f"an integer >= {low}", value)
    return int(value)


def _check_options(method, n, num_levels, num_resamples, conf_level, block) -> int:
    if not isinstance(method, str) or method not in METHODS:
        raise InvalidParameterError(
            _OWNER, "method", "one of " + ", ".join(map(repr, METHODS)), method
        )
    n = _check_count("n", n, 2)
    if method == "sobol" and n & (n - 1):
        raise InvalidParameterError(
            _OWNER,
            "n",
            "a power of 2 with method='sobol' (the base sample is a Sobol' sequence, balanced "
            "only there), e.g. 32 or 64",
            n,
        )
    levels = _check_count("num_levels", num_levels, 2)
    if levels % 2:
        raise InvalidParameterError(
            _OWNER,
            "num_levels",
            "an even integer >= 2 (Morris trajectories are biased else)",
            levels,
        )
    _check_count("num_resamples", num_resamples, 2)
    _check_count("block", block, 1)
    if (
        isinstance(conf_level, bool)
        or not isinstance(conf_level, (int, float, np.integer, np.floating))
        or not 0.0 < float(conf_level) < 1.0
    ):
        raise InvalidParameterError(_OWNER, "conf_level", "a number in (0, 1)", conf_level)
    return n


def _distributions(distributions, check_path) -> tuple[list[str], list]:
    if not isinstance(distributions, Mapping) or not distributions:
        raise InvalidParameterError(
            _OWNER,
            "distributions",
            "a non-empty mapping of parameter path to a frozen scipy.stats distribution",
            Shown(type(distributions).__name__ if not isinstance(distributions, Mapping) else "{}"),
        )
    for path, dist in distributions.items():
        name = f"distributions[{path!r}]"
        if not isinstance(path, str):
            raise InvalidParameterError(_OWNER, name, "a parameter path (a string)", path)
        _check_distribution(name, dist, ("ppf",), _OWNER)
        check_path(name, path)
    return list(distributions), list(distributions.values())


def _run(func, names, dists, n, *, method, num_levels, num_resamples, conf_level, rng, **run):
    """The shared pipeline: sample, map through ``ppf``, evaluate, analyse every output.

    Returns the root seed, the unit points, the parameter values, the outputs (one column per
    output) and a function giving the indices of any output column."""
    root = root_seed_sequence(rng)
    problem = _problem(names, method, num_levels)
    unit = _unit_points(problem, method, n, num_levels, root)
    values = _to_values(unit, dists)
    y = _outputs(func, values, **run)
    seed = int(_child(root, _BOOTSTRAP_KEY).generate_state(1)[0]) + 1  # SALib ignores seed 0

    def analyse(column: np.ndarray) -> dict:
        return _indices(problem, unit, column, method, num_levels, num_resamples, conf_level, seed)

    return root, unit, values, y, analyse


def _tidy(entries: list[tuple[dict, dict]], names: Sequence[str], method: str) -> pd.DataFrame:
    """Rows of ``keys + parameter + index columns`` from (keys, indices) pairs."""
    rows = [
        {**keys, "parameter": name, **{c: float(found[c][k]) for c in COLUMNS[method]}}
        for keys, found in entries
        for k, name in enumerate(names)
    ]
    return pd.DataFrame(rows)


def function_sensitivity(
    func: Callable[[np.ndarray], np.ndarray],
    distributions: Mapping,
    n: int = 1024,
    *,
    method: str = "sobol",
    outputs: Sequence[str] | None = None,
    num_levels: int = 4,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    rng=None,
    executor=None,
    block: int = 4096,
    progress=None,
) -> pd.DataFrame:
    """Sensitivity indices of any vectorized function of independent uncertain inputs.

    The same pipeline as :func:`sensitivity` (SALib's sample of the unit hypercube, mapped
    through each distribution's ``ppf``, then SALib's estimators), for a function of an array.

    Parameters
    ----------
    func : callable
        ``func(values)`` with ``values`` of shape (k, d) (one column per entry of
        ``distributions``, in order) returns k outputs, or an array (k, m) of m outputs. Must
        be picklable (a module-level function) when an executor is given.
    distributions : mapping of str to a frozen scipy.stats distribution
        The inputs (each needs ``ppf``), independent.
    n : int
        Base sample: for Sobol' a power of 2 (``n·(d + 2)`` evaluations), for Morris the
        number of trajectories (``n·(d + 1)`` evaluations).
    method : {"sobol", "morris"}
        Variance-based indices (default) or Morris elementary effects.
    outputs : sequence of str, optional
        Names of the m outputs (default ``y`` for one, else ``y0``, ``y1``, …).
    num_levels : int
        Levels of the Morris grid (even; default 4).
    num_resamples : int
        Bootstrap resamples of the confidence intervals (default 100).
    conf_level : float
        Confidence level of the intervals (default 0.95).
    rng : None, int, SeedSequence or Generator
        Seed of the sample and of the bootstrap.
    executor : concurrent.futures.Executor, optional
        Blocks of points run there; the result is the same.
    block : int
        Points per block of work (default 4096).
    progress : {"auto", True, False} or None
        Show a progress bar: ``"auto"`` (None means the same) shows it in a Jupyter
        notebook or on a terminal and stays silent when output is piped or logged.

    Returns
    -------
    pandas.DataFrame
        One row per output and input: ``output``, ``parameter`` and the index columns
        (:data:`COLUMNS`: ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` or ``mu``, ``mu_star``,
        ``mu_star_conf``, ``sigma``; ``*_conf`` is the half-width of the interval).

    Examples
    --------
    A linear function: each input's share of the variance is its coefficient squared over
    the sum of the squares (here 1/5 and 4/5), with no interactions (S1 = ST).

    >>> import numpy as np
    >>> from scipy import stats
    >>> frame = function_sensitivity(lambda x: x[:, 0] + 2.0 * x[:, 1],
    ...                              {"a": stats.norm(), "b": stats.norm()}, n=256, rng=1)
    >>> frame[["parameter", "S1", "ST"]].round(1).to_numpy().tolist()
    [['a', 0.2, 0.2], ['b', 0.8, 0.8]]
    """
    n = _check_options(method, n, num_levels, num_resamples, conf_level, block)
    if not callable(func):
        raise InvalidParameterError(_OWNER, "func", "a callable of an array", Shown(repr(func)))

    def check(name: str, path: str) -> None:
        return None

    names, dists = _distributions(distributions, check)
    _, _, _, y, analyse = _run(
        func,
        names,
        dists,
        n,
        method=method,
        num_levels=num_levels,
        num_resamples=num_resamples,
        conf_level=conf_level,
        rng=rng,
        executor=executor,
        block=block,
        progress=progress,
    )
    m = y.shape[1]
    labels = (
        list(outputs) if outputs is not None else (["y"] if m == 1 else [f"y{k}" for k in range(m)])
    )
    if len(labels) != m:
        raise InvalidParameterError(
            _OWNER, "outputs", f"{m} names (one per output of func)", Shown(f"{len(labels)} names")
        )
    entries = [({"output": labels[k]}, analyse(y[:, k])) for k in range(m)]
    return _tidy(entries, names, method)


def _design_block(model, designs, paths, scaled, columns, compiled, values) -> np.ndarray:
    """Every design at every row of ``values``: shape (rows, designs × columns); ``compiled``
    turns on the compiled cell search (:func:`~coordgap.solvers.compiled.compiled_search`)."""
    with compiled_search(compiled):
        return _design_rows(model, designs, paths, scaled, columns, values)


def _design_rows(model, designs, paths, scaled, columns, values) -> np.ndarray:
    model_paths = [p for p in paths if p.partition(".")[0] in _MODEL_HEADS]
    out = np.empty((len(values), len(designs), len(columns)))
    for i, row in enumerate(values):
        point = dict(zip(paths, (float(v) for v in row)))
        try:
            base, _ = perturb(model, designs[0], {p: point[p] for p in model_paths}, scale=scaled)
            for j, design in enumerate(designs):
                owned = {type(inst).__name__ for inst in design.instruments}
                mine = {
                    p: v
                    for p, v in point.items()
                    if p not in model_paths and p.partition(".")[0] in owned
                }
                m, d = perturb(base, design, mine, scale=scaled)
                flat = _flatten(evaluate_applied(d.apply(m), d))
                out[i, j] = [flat[c] for c in columns]
        except InvalidParameterError as err:
            raise InvalidParameterError(
                _OWNER,
                "distributions",
                "distributions whose values give a valid model",
                Shown(", ".join(f"{p} = {v:.6g}" for p, v in point.items())),
                f"({err})",
            ) from err
    return out.reshape(len(values), -1)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class SensitivityResult(Result):
    """Global sensitivity of design metrics, and of the ranking of the designs.

    Attributes
    ----------
    method : str
        ``"sobol"`` or ``"morris"``.
    indices : pandas.DataFrame
        One row per design, metric and parameter: ``design``, ``metric``, ``parameter`` and
        the index columns (Sobol': ``S1``, ``S1_conf``, ``ST``, ``ST_conf``; Morris: ``mu``,
        ``mu_star``, ``mu_star_conf``, ``sigma``; ``*_conf`` is the half-width of the
        confidence interval). NaN where the output does not vary (Sobol') or is not finite.
    ranking : pandas.DataFrame
        The same columns for the *rank* of each design: in every sample the designs are ranked
        on ``rank_by`` (1 = best; more is better except for the costs and harm of
        :data:`LOWER_IS_BETTER`; ties share the average rank), and the output analysed is a
        design's rank, ``metric`` = ``"rank[<rank_by>]"``. A parameter with a large index for a
        design is one that decides where that design stands among the others. Empty when
        ``rank_by`` is None or there is one design.
    rank_summary : pandas.DataFrame
        One row per design: ``mean_rank`` and ``p_best``, the share of samples in which the
        design ranks first (alone or tied).
    samples : pandas.DataFrame
        The parameter values of every sample (one column per path, as set or, for the paths in
        ``scale``, as the factor).
    outputs : pandas.DataFrame
        One row per sample and design: ``sample``, ``design``, every metric and ``rank``.
    parameters : tuple of str
        The uncertain parameters, in order.
    metrics : tuple of str
        The metrics analysed.
    rank_by : str or None
        The metric the designs are ranked on.
    n : int
        Base sample size (Sobol') or number of trajectories (Morris).
    n_evaluations : int
        Design evaluations run (samples × designs).
    seed_entropy : object
        Entropy of the root seed (passing it as ``rng`` reproduces the result).
    """

    method: str
    indices: pd.DataFrame
    ranking: pd.DataFrame
    rank_summary: pd.DataFrame
    samples: pd.DataFrame
    outputs: pd.DataFrame
    parameters: tuple
    metrics: tuple
    rank_by: str | None
    n: int
    n_evaluations: int
    seed_entropy: object = None

    def to_frame(self) -> pd.DataFrame:
        """The indices of the metrics and of the ranks in one tidy table.

        Returns
        -------
        pandas.DataFrame
            :attr:`indices` followed by :attr:`ranking`.
        """
        return pd.concat([self.indices, self.ranking], ignore_index=True)

    def to_dict(self) -> dict:
        """Plain data: the scalar fields and the tables as lists of records.

        Returns
        -------
        dict
            JSON-ready (NaN becomes None).
        """
        from ..results import to_plain

        out: dict = {
            "method": self.method,
            "parameters": list(self.parameters),
            "metrics": list(self.metrics),
            "rank_by": self.rank_by,
            "n": self.n,
            "n_samples": len(self.samples),
            "n_evaluations": self.n_evaluations,
        }
        out["indices"] = to_plain(self.indices.to_dict(orient="records"))
        out["ranking"] = to_plain(self.ranking.to_dict(orient="records"))
        out["rank_summary"] = to_plain(self.rank_summary.reset_index().to_dict(orient="records"))
        return out

    def __repr__(self) -> str:
        key = "ST" if self.method == "sobol" else "mu_star"
        table = self.indices.pivot_table(
            index=["design", "metric"], columns="parameter", values=key, sort=False, dropna=False
        )
        return (
            f"SensitivityResult(method={self.method!r}, n={self.n}, "
            f"n_evaluations={self.n_evaluations}, rank_by={self.rank_by!r})\n"
            f"{key}:\n{table.to_string(float_format=lambda v: f'{v:.3g}')}"
        )


def _metric_names() -> list[str]:
    return [f"{m}_{side}" for m in METRICS for side in ("worst", "best")]


def sensitivity(
    model: PolicyModel,
    designs: Sequence[Design],
    distributions: Mapping,
    n: int = 64,
    *,
    method: str = "sobol",
    metrics: Sequence[str] = ("credible_coverage_worst", "welfare_worst"),
    rank_by: str | None = "welfare_worst",
    scale=(),
    num_levels: int = 4,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    rng=None,
    executor=None,
    block: int = 8,
    progress=None,
) -> SensitivityResult:
    """Global sensitivity of the designs' metrics, and of their ranking, to uncertain parameters.

    SALib samples the unit hypercube; every coordinate is mapped through the inverse CDF
    (``ppf``) of its parameter's distribution; every design is evaluated at every sample
    (:func:`~coordgap.analysis.montecarlo.perturb`, then
    :func:`~coordgap.analysis.compare.evaluate_applied`, as :func:`coordgap.monte_carlo` does
    for its common draws); SALib's estimators give the indices of each design's metrics and of
    each design's rank among the designs (see :class:`SensitivityResult`). The parameters are
    independent; per-actor (idiosyncratic) shocks have no single value to attribute variance
    to and are not taken: give a common factor (``scale``) instead.

    Parameters
    ----------
    model : PolicyModel
        The policy model at the reference point (not changed).
    designs : sequence of Design
        Designs with distinct names. An instrument path applies to the designs that have that
        instrument (the others do not depend on it).
    distributions : mapping of path to a frozen scipy.stats distribution
        The uncertain parameters (each needs ``ppf``): model-file paths
        (``preparedness.prob``, ``actors.*.registry.join_cost``) or instrument parameters
        (``PerformanceBond.amount``), as in :func:`coordgap.monte_carlo`.
    n : int
        Sobol': the base sample, a power of 2 (``n·(d + 2)`` samples for d parameters);
        Morris: the number of trajectories (``n·(d + 1)`` samples). Each sample evaluates
        every design.
    method : {"sobol", "morris"}
        Variance-based indices S1 and ST (default) or Morris screening.
    metrics : sequence of str
        Metrics analysed: a metric of :data:`~coordgap.analysis.compare.METRICS` with
        ``_worst`` or ``_best`` (default worst-equilibrium credible coverage and welfare).
    rank_by : str or None
        Metric on which the designs are ranked in each sample (default ``"welfare_worst"``);
        None: no ranking.
    scale : iterable of paths
        Paths of ``distributions`` whose values multiply the current value instead of
        setting it.
    num_levels : int
        Levels of the Morris grid (even; default 4).
    num_resamples : int
        Bootstrap resamples of the confidence intervals (default 100).
    conf_level : float
        Confidence level of the intervals (default 0.95).
    rng : None, int, SeedSequence or Generator
        Seed of the sample and of the bootstrap (None: fresh entropy, recorded).
    executor : concurrent.futures.Executor, optional
        Blocks of samples run there (:func:`~coordgap.analysis.parallel.run_chunks`); the
        result is the same as without.
    block : int
        Samples per block of work (default 8).
    progress : {"auto", True, False} or None
        Show a progress bar: ``"auto"`` (None means the same) shows it in a Jupyter
        notebook or on a terminal and stays silent when output is piped or logged.

    Returns
    -------
    SensitivityResult
        Tidy tables of indices (``indices``, ``ranking``), the samples and the outputs.

    Examples
    --------
    >>> import coordgap as cg
    >>> from scipy import stats
    >>> model = cg.PolicyModel.default()
    >>> designs = [cg.Design("baseline"), cg.Design("bond", [cg.PerformanceBond(amount=1.0)])]
    >>> res = cg.sensitivity(model, designs, {"PerformanceBond.amount": stats.uniform(0, 4),
    ...                      "preparedness.prob": stats.uniform(0.05, 0.1)}, n=4,
    ...                      metrics=["credible_coverage_best"], rng=1)
    >>> res.n_evaluations, list(res.indices.columns)  # 4·(2 + 2) samples × 2 designs
    (32, ['design', 'metric', 'parameter', 'S1', 'S1_conf', 'ST', 'ST_conf'])
    >>> st = res.indices.set_index(["design", "parameter"])["ST"]
    >>> float(st["baseline", "PerformanceBond.amount"])  # the baseline has no bond
    0.0
    """
    n = _check_options(method, n, num_levels, num_resamples, conf_level, block)
    designs = list(designs) if isinstance(designs, Sequence) else designs
    if (
        not isinstance(designs, list)
        or not designs
        or not all(isinstance(d, Design) for d in designs)
    ):
        raise InvalidParameterError(
            _OWNER, "designs", "a non-empty sequence of designs", Shown(repr(designs))
        )
    names = [d.name for d in designs]
    if len(set(names)) < len(names):
        raise InvalidParameterError(_OWNER, "designs", "designs with distinct names", names)

    def check_path(name: str, path: str) -> None:
        if path.partition(".")[0] in _MODEL_HEADS:
            _check_model_path(model, name, path, _OWNER)
        else:
            _check_instrument_path(designs, name, path, _OWNER)

    paths, dists = _distributions(distributions, check_path)
    try:
        scaled = [scale] if isinstance(scale, str) else list(scale)
    except TypeError:
        raise InvalidParameterError(
            _OWNER, "scale", "an iterable of paths of distributions", scale
        ) from None
    for path in scaled:
        if path not in distributions:
            raise InvalidParameterError(
                _OWNER,
                "scale",
                "paths of distributions (whose values are then factors)",
                path,
                did_you_mean(str(path), paths),
            )
    known = _metric_names()
    if isinstance(metrics, str):
        metrics = [metrics]
    metrics = list(metrics)
    if not metrics:
        raise InvalidParameterError(_OWNER, "metrics", "at least one metric", metrics)
    for metric in metrics + ([rank_by] if rank_by is not None else []):
        if metric not in known:
            raise InvalidParameterError(
                _OWNER,
                "rank_by" if metric == rank_by and metric not in metrics else "metrics",
                "a metric with _worst or _best, e.g. 'welfare_worst'",
                metric,
                did_you_mean(str(metric), known),
            )
    columns = list(dict.fromkeys(metrics + ([rank_by] if rank_by is not None else [])))
    d = len(paths)
    per = (d + 2) if method == "sobol" else (d + 1)
    check_size(_OWNER, "n", n, "design_evaluations", per=(per * len(designs), "evaluations each"))
    compiled = n * per * len(designs) >= COMPILED_MIN_EVALUATIONS
    func = functools.partial(
        _design_block, model, designs, tuple(paths), tuple(scaled), columns, compiled
    )
    root, _, values, y, analyse = _run(
        func,
        paths,
        dists,
        n,
        method=method,
        num_levels=num_levels,
        num_resamples=num_resamples,
        conf_level=conf_level,
        rng=rng,
        executor=executor,
        block=block,
        progress=progress,
    )
    cube = y.reshape(len(values), len(designs), len(columns))
    entries = [
        ({"design": design, "metric": metric}, analyse(cube[:, j, columns.index(metric)]))
        for j, design in enumerate(names)
        for metric in metrics
    ]
    indices = _tidy(entries, paths, method)
    samples = pd.DataFrame(values, columns=paths)
    samples.index.name = "sample"
    outputs = pd.DataFrame(
        {
            "sample": np.repeat(np.arange(len(values)), len(designs)),
            "design": np.tile(names, len(values)),
            **{c: cube[:, :, k].ravel() for k, c in enumerate(columns)},
        }
    )
    index_columns = ["design", "metric", "parameter", *COLUMNS[method]]
    ranking = pd.DataFrame(columns=index_columns)
    summary = pd.DataFrame(columns=["mean_rank", "p_best"], dtype=float)
    if rank_by is not None:
        from scipy.stats import rankdata

        score = cube[:, :, columns.index(rank_by)]
        if rank_by.rpartition("_")[0] not in LOWER_IS_BETTER:
            score = -score
        ranks = rankdata(score, method="average", axis=1)  # 1 = best
        outputs["rank"] = ranks.ravel()
        label = f"rank[{rank_by}]"
        if len(designs) > 1:
            ranking = _tidy(
                [
                    ({"design": design, "metric": label}, analyse(ranks[:, j]))
                    for j, design in enumerate(names)
                ],
                paths,
                method,
            )
        best = ranks == ranks.min(axis=1, keepdims=True)
        summary = pd.DataFrame(
            {"mean_rank": ranks.mean(axis=0), "p_best": best.mean(axis=0)},
            index=pd.Index(names, name="design"),
        )
    return SensitivityResult(
        method=method,
        indices=indices[index_columns] if len(indices) else pd.DataFrame(columns=index_columns),
        ranking=ranking,
        rank_summary=summary,
        samples=samples,
        outputs=outputs,
        parameters=tuple(paths),
        metrics=tuple(metrics),
        rank_by=rank_by,
        n=n,
        n_evaluations=len(values) * len(designs),
        seed_entropy=root.entropy,
    )
