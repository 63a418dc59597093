"""Robustness of designs to parameter uncertainty, and design metrics for sweeps.

Parameters are addressed by dotted paths: ``participation.prob`` (a scalar is replaced by the
value), ``participation.cost`` (a per-actor parameter is multiplied by the value, so the draw is a
common scale factor), ``commitment.discount``, ``preparedness.harm``, or ``<Instrument>.<param>``
for a parameter of an instrument in the design (``PerformanceBond.amount``).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError, did_you_mean
from ..instruments.base import PolicyModel
from ..instruments.design import Design
from ..params import parameters
from ..results import Result
from .compare import evaluate_design
from .critical import Target, as_target
from .parallel import root_seed_sequence, run_chunks

__all__ = ["perturb", "DesignMetrics", "robustness", "RobustnessResult"]

_COMPONENTS = ("participation", "commitment", "preparedness")
_METRICS = ("participation", "coverage", "robustness", "residual_harm", "credible_coverage",
            "declared_coverage", "welfare", "fiscal_cost")


def perturb(model: PolicyModel, design: Design, values: Mapping[str, float]
            ) -> tuple[PolicyModel, Design]:
    """Model and design with the dotted-path parameters in ``values`` set (or scaled)."""
    changes: dict[str, dict] = {}
    instruments = list(design.instruments)
    for path, value in values.items():
        head, _, key = path.partition(".")
        if head in _COMPONENTS:
            part = getattr(model, head)
            if part is None or key not in parameters(part):
                known = list(parameters(part)) if part is not None else []
                raise InvalidParameterError("perturb", "path", f"a parameter of {head}", path,
                                            did_you_mean(key, known) if known else "")
            spec = parameters(part)[key]
            current = changes.setdefault(head, {})
            base = current.get(key, getattr(part, key))
            current[key] = base * value if spec.kind == "actors" else value
            continue
        hits = [k for k, inst in enumerate(instruments) if type(inst).__name__ == head]
        if not hits:
            names = list(_COMPONENTS) + [type(i).__name__ for i in instruments]
            raise InvalidParameterError("perturb", "path", "'<component>.<parameter>' or "
                                        "'<Instrument>.<parameter>' of the design", path,
                                        did_you_mean(head, names))
        for k in hits:
            instruments[k] = instruments[k].with_level(value, key)
    for head, kw in changes.items():
        model = dataclasses.replace(model, **{head: getattr(model, head).replace(**kw)})
    return model, Design(design.name, instruments)


def _flatten(outcome) -> dict:
    row = {f"{k}_{side}": float(v) for side in ("worst", "best")
           for k, v in getattr(outcome, side).items()}
    row["full_participation_unique"] = float(bool(outcome.full_participation_unique))
    return row


@dataclass(frozen=True, slots=True, eq=False)
class DesignMetrics:
    """A metric model (for :func:`coordgap.sweep`) of one design on one policy model.

    Grid keys are dotted paths (see :func:`perturb`); metrics are every comparison metric with
    ``_worst`` and ``_best`` suffixes, plus ``full_participation_unique``.

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.analysis.montecarlo import DesignMetrics
    >>> m = DesignMetrics(cg.PolicyModel.default(), cg.Design("bond", [cg.PerformanceBond()]))
    >>> res = cg.sweep(m, {"PerformanceBond.amount": [0.0, 2.0]},
    ...                metrics=["credible_coverage_best"])
    >>> bool(res.frame["credible_coverage_best"].iloc[1] > res.frame["credible_coverage_best"].iloc[0])
    True
    """

    model: PolicyModel
    design: Design

    def evaluate(self, cell: dict, seed=None) -> dict:
        model, design = perturb(self.model, self.design, cell)
        return _flatten(evaluate_design(model, design))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class RobustnessResult(Result):
    """Designs under parameter uncertainty.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per design: probability of meeting the target and the 5%, 50% and 95%
        quantiles of each worst-equilibrium metric.
    draws : pandas.DataFrame
        One row per (draw, design): the drawn parameters and every metric.
    target : str
    n_draws : int
    seed_entropy : object
    """

    table: pd.DataFrame
    draws: pd.DataFrame
    target: str
    n_draws: int
    seed_entropy: object = None
    success: bool = True
    status: int = 0
    message: str = ""

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def __repr__(self) -> str:
        return (f"RobustnessResult(n_draws={self.n_draws}, target={self.target!r})\n"
                + self.table[["p_target"]].to_string())


def _run_block(model, designs, dists, goal, sizes, index, seed):
    gen = np.random.default_rng(seed)
    n = sizes[index]
    drawn = {path: np.asarray(d.rvs(size=n, random_state=gen), dtype=float)
             for path, d in dists.items()}
    rows = []
    for k in range(n):
        values = {path: float(v[k]) for path, v in drawn.items()}
        for design in designs:
            m, d = perturb(model, design, values)
            outcome = evaluate_design(m, d)
            row = {"design": design.name, **values, **_flatten(outcome)}
            row["meets_target"] = bool(goal.holds(outcome, m))
            rows.append(row)
    return rows


def robustness(model: PolicyModel, designs: Sequence[Design], distributions: Mapping,
               n: int = 200, *, target="unique_full", rng=None, executor=None,
               block: int = 25, progress=None) -> RobustnessResult:
    """Monte Carlo over uncertain parameters: how likely each design is to meet a target.

    Parameters
    ----------
    model : PolicyModel
    designs : sequence of Design
    distributions : mapping of dotted path to a frozen scipy.stats distribution
        Scalars are replaced by the draw, per-actor parameters multiplied by it.
    n : int
        Number of draws (shared by all designs: common random numbers).
    target : Target, str or tuple
    rng : None, int, SeedSequence or Generator
    executor : concurrent.futures.Executor, optional
        Blocks of draws run there; results do not depend on it.
    block : int
        Draws per block (each block has its own child seed).

    Examples
    --------
    >>> import coordgap as cg
    >>> from scipy import stats
    >>> res = cg.robustness(cg.PolicyModel.default(), [cg.Design("baseline")],
    ...                     {"participation.prob": stats.uniform(0.05, 0.1)}, n=4, rng=1)
    >>> list(res.table.index), res.n_draws
    (['baseline'], 4)
    """
    goal: Target = as_target(target)
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise InvalidParameterError("robustness", "n", "an integer >= 1", n)
    if not isinstance(block, (int, np.integer)) or block < 1:
        raise InvalidParameterError("robustness", "block", "an integer >= 1", block)
    designs = list(designs)
    if not designs:
        raise InvalidParameterError("robustness", "designs", "a non-empty sequence of designs",
                                    designs)
    for path, dist in distributions.items():
        if not hasattr(dist, "rvs"):
            raise InvalidParameterError("robustness", f"distributions[{path!r}]",
                                        "a frozen scipy.stats distribution", dist)
        perturb(model, designs[0], {path: 1.0}) if path.split(".")[0] in _COMPONENTS else None
    sizes = [min(block, n - start) for start in range(0, n, block)]
    root = root_seed_sequence(rng)
    seeds = root.spawn(len(sizes))
    func = functools.partial(_run_block, model, designs, dict(distributions), goal, sizes)
    blocks = run_chunks(func, list(range(len(sizes))), seeds, executor=executor,
                        chunksize=1, progress=progress, desc="robustness")
    rows = [row for part in blocks for row in part]
    draws = pd.DataFrame(rows)
    draws.insert(0, "draw", np.repeat(np.arange(n), len(designs)))
    summary = {}
    for design in designs:
        part = draws[draws["design"] == design.name]
        entry = {"p_target": float(part["meets_target"].mean())}
        for metric in _METRICS:
            col = part[f"{metric}_worst"]
            for q in (0.05, 0.5, 0.95):
                entry[f"{metric}_q{int(q * 100):02d}"] = float(col.quantile(q))
        summary[design.name] = entry
    return RobustnessResult(table=pd.DataFrame.from_dict(summary, orient="index"),
                            draws=draws, target=goal.describe(), n_draws=int(n),
                            seed_entropy=root.entropy)
