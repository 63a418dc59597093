"""Critical instrument levels: the smallest level of an instrument that reaches a target.

The search evaluates the whole design (the instrument at a trial level, plus any other
instruments of ``design``) with :func:`~coordgap.analysis.compare.evaluate_design`. It scans a
geometric grid from the lower bound for the first level where the target holds, then bisects
between that level and the one before it. The result carries its certificate: the target fails
at ``level − tol`` (or ``level`` is the lower bound) and holds at ``level``. If the target fails at
``max_level`` the result says the target is not reachable — the search never runs forever.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError
from ..instruments.base import Instrument, PolicyModel
from ..instruments.design import Design
from ..results import Result
from .compare import DesignOutcome, evaluate_design

__all__ = ["CriticalLevel", "critical_level", "Target", "as_target"]

_KINDS = ("unique_full", "credible_coverage", "robustness", "participation")


@dataclass(frozen=True, slots=True)
class Target:
    """What a design must achieve.

    kind : {"unique_full", "credible_coverage", "robustness", "participation"}
        ``unique_full``: full participation is the unique equilibrium; ``credible_coverage``:
        credible coverage ≥ value; ``robustness``: R ≥ value × R_full, with R_full = R0 + Σ w_i q_i
        (everyone files and honours); ``participation``: at least ``value`` actors file.
    value : float
    equilibrium : {"worst", "best"}
    """

    kind: str
    value: float = 1.0
    equilibrium: str = "worst"

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            from ..errors import did_you_mean

            raise InvalidParameterError("Target", "kind", "one of " + ", ".join(map(repr, _KINDS)),
                                        self.kind, did_you_mean(str(self.kind), _KINDS))
        if not (isinstance(self.value, (int, float)) and math.isfinite(self.value)
                and self.value >= 0):
            raise InvalidParameterError("Target", "value", "a finite float >= 0", self.value)
        if self.equilibrium not in ("worst", "best"):
            raise InvalidParameterError("Target", "equilibrium", "'worst' or 'best'",
                                        self.equilibrium)

    def metric(self, outcome: DesignOutcome, model: PolicyModel) -> float:
        side = getattr(outcome, self.equilibrium)
        if self.kind == "unique_full":
            return 1.0 if outcome.full_participation_unique else 0.0
        if self.kind == "credible_coverage":
            return side["credible_coverage"]
        if self.kind == "participation":
            return float(side["participation"])
        game = model.participation
        full = game.baseline + float(np.sum(game.weight * game.capacity))
        return side["robustness"] / full if full > 0 else 1.0

    def holds(self, outcome: DesignOutcome, model: PolicyModel) -> bool:
        if self.kind == "unique_full":
            return bool(outcome.full_participation_unique)
        return self.metric(outcome, model) >= self.value - 1e-12

    def describe(self) -> str:
        return {"unique_full": "full participation is the unique equilibrium",
                "credible_coverage": f"credible coverage >= {self.value:g} ({self.equilibrium})",
                "robustness": f"robustness >= {self.value:g} x R_full ({self.equilibrium})",
                "participation": f"at least {self.value:g} actors file ({self.equilibrium})",
                }[self.kind]


def as_target(spec) -> Target:
    """A :class:`Target` from a Target, a kind string, or a (kind, value[, equilibrium]) tuple."""
    if isinstance(spec, Target):
        return spec
    if isinstance(spec, str):
        return Target(spec)
    if isinstance(spec, tuple) and 1 <= len(spec) <= 3:
        return Target(*spec)
    raise InvalidParameterError("critical_level", "target", "a Target, a kind string or a "
                                "(kind, value) tuple", spec)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CriticalLevel(Result):
    """The smallest instrument level that reaches a target, with its certificate.

    Attributes
    ----------
    level : float
        The level found (NaN if unreachable).
    reachable : bool
    holds_at_level, fails_below : bool
        The certificate: the target holds at ``level`` and fails at ``level − tol`` (True also
        when ``level`` is the lower bound, where nothing lies below).
    metric_at_level, metric_below : float
        The target's metric at both points.
    instrument, parameter, target : str
    method : str
    evaluations : int
    """

    level: float
    reachable: bool
    holds_at_level: bool
    fails_below: bool
    metric_at_level: float
    metric_below: float
    instrument: str
    parameter: str
    target: str
    method: str
    evaluations: int
    tol: float
    success: bool = True
    status: int = 0
    message: str = ""


def critical_level(model: PolicyModel, instrument: Instrument, parameter: str | None = None,
                   target="unique_full", *, design: Design | None = None,
                   lower: float = 0.0, max_level: float = 1e6, tol: float = 1e-6,
                   grid: int = 32) -> CriticalLevel:
    """Smallest value of ``instrument.parameter`` at which ``target`` holds.

    Parameters
    ----------
    model : PolicyModel
    instrument : Instrument
        The instrument to scale; its other parameters stay as given.
    parameter : str, optional
        Which parameter (default: the instrument's size parameter, e.g. ``amount``).
    target : Target, str or tuple
        ``"unique_full"``, ``("credible_coverage", 0.8)``, ``("robustness", 0.5)``, ...
    design : Design, optional
        Other instruments applied before this one.
    lower, max_level : float
        Search range; the target failing at ``max_level`` gives ``reachable=False``.
    tol : float
        Absolute width of the final bracket.
    grid : int
        Points of the initial geometric scan.

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> pp = cg.ProcurementPreference(margin=0.0, volume=10.0, win_prob=0.5)
    >>> res = cg.critical_level(model, pp, "margin", ("participation", 50), tol=1e-4)
    >>> res.reachable, res.holds_at_level, res.fails_below
    (True, True, True)
    """
    goal = as_target(target)
    name = parameter or instrument.level
    instrument.with_level(lower, name)  # validates the parameter name and the lower bound
    for label, value in (("tol", tol), ("max_level", max_level)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
            raise InvalidParameterError("critical_level", label, "a finite float > 0", value)
    if not max_level > lower:
        raise InvalidParameterError("critical_level", "max_level", f"greater than lower "
                                    f"({lower:g})", max_level)
    base = design or Design("base")
    count = 0

    def check(level: float) -> tuple[bool, float]:
        nonlocal count
        count += 1
        trial = Design("trial", list(base.instruments) + [instrument.with_level(level, name)])
        outcome = evaluate_design(model, trial)
        return goal.holds(outcome, model), goal.metric(outcome, model)

    common = dict(instrument=type(instrument).__name__, parameter=name,
                  target=goal.describe(), tol=tol)
    ok_low, metric_low = check(lower)
    if ok_low:
        return CriticalLevel(level=lower, reachable=True, holds_at_level=True, fails_below=True,
                             metric_at_level=metric_low, metric_below=math.nan,
                             method="lower bound", evaluations=count,
                             message="the target already holds at the lower bound", **common)
    start = max(10 * tol, 1e-9 * (max_level - lower))
    points = lower + np.unique(np.concatenate((
        np.geomspace(start, max_level - lower, grid), [max_level - lower])))
    below, below_metric = lower, metric_low
    for level in points:
        ok, metric = check(float(level))
        if ok:
            hi, hi_metric = float(level), metric
            break
        below, below_metric = float(level), metric
    else:
        return CriticalLevel(level=math.nan, reachable=False, holds_at_level=False,
                             fails_below=True, metric_at_level=math.nan,
                             metric_below=below_metric, method="scan", evaluations=count,
                             success=False, status=2,
                             message=f"the target is not reached for any level up to "
                                     f"{max_level:g} (metric there: {below_metric:.4g})",
                             **common)
    lo = below
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        ok, metric = check(mid)
        if ok:
            hi, hi_metric = mid, metric
        else:
            lo, below_metric = mid, metric
    fails, metric_below = (True, below_metric)
    if hi - tol > lower:
        ok_below, metric_below = check(hi - tol)
        fails = not ok_below
    return CriticalLevel(level=hi, reachable=True, holds_at_level=True, fails_below=fails,
                         metric_at_level=hi_metric, metric_below=metric_below,
                         method="scan + bisection", evaluations=count,
                         success=fails, status=0 if fails else 1,
                         message=("certified: fails just below, holds at the level" if fails
                                  else "the target also holds just below: it is not monotone "
                                       "in the level near here"), **common)
