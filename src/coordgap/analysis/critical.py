"""Critical instrument levels: the smallest level of an instrument that reaches a target.

Each trial evaluates the whole design (the instrument at a trial level, plus any other
instruments of ``design``) with :func:`~coordgap.analysis.compare.evaluate_design`. The target's
metric need not be monotone in the level: a bond raises credibility but also the cost of
joining, so participation can collapse above some bond and the target can hold only on a window
of levels. The search therefore returns every interval of levels where the target holds, and the
smallest level is the left end of the first one.

The search uses the structure of the models: the metrics are piecewise smooth in the level and
jump only where the equilibrium changes (who files changes). It

1. scans a uniform and a geometric grid of levels combined;
2. bisects every change of the target's truth value between neighbouring points down to ``tol``;
3. between neighbouring points where the target fails at both ends (or holds at both ends),
   looks for a level where it holds (fails): golden-section refinement at each local extremum of
   the metric between points with the same equilibrium, bisection next to the first and last
   points seen of an equilibrium, and bisection towards each change of the equilibrium that the
   metric approaches while heading for the target; every truth change found goes back to step 2;
4. checks the certificate: the target fails at ``level − tol``; a level found there to hold
   restarts the refinement.

What is certified and what is not is spelled out in :func:`critical_level`. The number of
evaluations is bounded (``max_evaluations``): the search never runs forever.
"""

from __future__ import annotations

import bisect
import math
import numbers
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError, did_you_mean
from ..instruments.base import Instrument, PolicyModel
from ..instruments.design import Design
from ..params import parameters
from ..results import Result
from .compare import DesignOutcome, evaluate_design

__all__ = ["CriticalLevel", "critical_level", "Target", "as_target"]

_KINDS = ("unique_full", "credible_coverage", "robustness", "participation")


@dataclass(frozen=True, slots=True)
class Target:
    """What a design must achieve.

    Parameters
    ----------
    kind : {"unique_full", "credible_coverage", "robustness", "participation"}
        ``unique_full``: full participation is the unique equilibrium; ``credible_coverage``:
        credible coverage ≥ value; ``robustness``: R ≥ value × R_full, with R_full = R0 + Σ w_i q_i
        (everyone files and honours); ``participation``: at least ``value`` actors file.
    value : float
        Finite threshold ≥ 0 of the metric (default 1; ignored by ``unique_full``).
    equilibrium : {"worst", "best"}
        Equilibrium the metric is read under: the least (default) or the greatest.
    """

    kind: str
    value: float = 1.0
    equilibrium: str = "worst"

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise InvalidParameterError(
                "Target",
                "kind",
                "one of " + ", ".join(map(repr, _KINDS)),
                self.kind,
                did_you_mean(str(self.kind), _KINDS),
            )
        if not (
            isinstance(self.value, (int, float)) and math.isfinite(self.value) and self.value >= 0
        ):
            raise InvalidParameterError("Target", "value", "a finite float >= 0", self.value)
        if self.equilibrium not in ("worst", "best"):
            raise InvalidParameterError(
                "Target", "equilibrium", "'worst' or 'best'", self.equilibrium
            )

    def metric(self, outcome: DesignOutcome, model: PolicyModel) -> float:
        """The target's metric in an outcome, under the target's equilibrium.

        Parameters
        ----------
        outcome : DesignOutcome
            A design evaluated by :func:`~coordgap.analysis.compare.evaluate_design`.
        model : PolicyModel
            The applied model of the outcome (for R_full of ``robustness``).

        Returns
        -------
        float
            1 or 0 for ``unique_full``; credible coverage; the participation count; or
            robustness as a share of R_full.
        """
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
        """Whether the outcome meets the target (the metric reaches ``value`` within 1e-12).

        Parameters
        ----------
        outcome : DesignOutcome
            A design evaluated by :func:`~coordgap.analysis.compare.evaluate_design`.
        model : PolicyModel
            The applied model of the outcome (for R_full of ``robustness``).

        Returns
        -------
        bool
            True when the target holds.
        """
        if self.kind == "unique_full":
            return bool(outcome.full_participation_unique)
        return self.metric(outcome, model) >= self.value - 1e-12

    def describe(self) -> str:
        """Plain-language statement of the target.

        Returns
        -------
        str
            E.g. ``"credible coverage >= 0.8 (worst)"``.
        """
        return {
            "unique_full": "full participation is the unique equilibrium",
            "credible_coverage": f"credible coverage >= {self.value:g} ({self.equilibrium})",
            "robustness": f"robustness >= {self.value:g} x R_full ({self.equilibrium})",
            "participation": f"at least {self.value:g} actors file ({self.equilibrium})",
        }[self.kind]


def as_target(spec) -> Target:
    """A :class:`Target` from a Target, a kind string, or a (kind, value[, equilibrium]) tuple.

    Parameters
    ----------
    spec : Target, str or tuple
        A target, its ``kind``, or the arguments of :class:`Target` as a tuple.

    Returns
    -------
    Target
        ``spec`` itself if it is a Target, else a new one.
    """
    if isinstance(spec, Target):
        return spec
    if isinstance(spec, str):
        return Target(spec)
    if isinstance(spec, tuple) and 1 <= len(spec) <= 3:
        return Target(*spec)
    raise InvalidParameterError(
        "critical_level", "target", "a Target, a kind string or a (kind, value) tuple", spec
    )


#: Tolerance of :meth:`Target.holds`: a metric this far below the value still meets the target.
_SLACK = 1e-12
#: Relative size under which differences of the metric count as flat (rounding, not a trend).
_FLAT = 1e-9
#: 2 − golden ratio: where golden-section refinement places its next point.
_GOLDEN = 0.3819660112501051
#: The search assumes that between changes of the equilibrium the metric's slope stays within
#: this multiple of the slopes seen next to it (or of the steepest slope seen anywhere, where
#: none is seen next to it): a stretch that cannot reach the target at that slope is not refined.
_SLOPE_MARGIN = 4.0


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CriticalLevel(Result):
    """The smallest instrument level that reaches a target, every interval where it holds, and
    the certificate.

    Attributes
    ----------
    level : float
        The smallest level found where the target holds: the left end of ``intervals[0]``
        (NaN if unreachable).
    reachable : bool
    holds_at_level, fails_below : bool
        The certificate: the target holds at ``level`` and fails at ``level − tol`` (True also
        when ``level − tol`` lies below the searched range).
    metric_at_level, metric_below : float
        The target's metric at both points (``metric_below`` is the metric at the range's lower
        end when ``level − tol`` lies below it, NaN when ``level`` is that end).
    instrument, parameter, target : str
    method : str
    evaluations : int
        Designs evaluated (each solves the participation game once).
    tol : float
    intervals : tuple of (float, float)
        Every interval of levels found where the target holds, in increasing order. Each end is
        a level where the target holds, with a level where it fails within ``tol`` outside
        (or the end of the searched range). The target is not re-checked inside an interval
        beyond the search described in :func:`critical_level`.
    search_range : (float, float)
        The levels searched (``max_level`` clipped to the parameter's declared upper bound).
    scan_spacing : float
        Largest gap between neighbouring points of the initial scan.
    success, status, message
        ``status`` 0: certified; 1: a certificate is incomplete (evaluation budget exhausted or
        an equilibrium computation not successful); 2: the target was not reached.
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
    intervals: tuple = ()
    search_range: tuple = (math.nan, math.nan)
    scan_spacing: float = math.nan
    success: bool = True
    status: int = 0
    message: str = ""


@dataclass(frozen=True, slots=True)
class _Point:
    holds: bool
    metric: float
    state: tuple  # who files in the equilibrium the metric is computed on
    solved: bool


class _BudgetExhausted(Exception):
    pass


class _Search:
    """Evaluated levels, kept sorted, and the rules that decide where to evaluate next."""

    def __init__(self, evaluate, goal: Target, tol: float, budget: int):
        self.evaluate, self.goal, self.tol, self.budget = evaluate, goal, tol, budget
        self.points: dict[float, _Point] = {}
        self.xs: list[float] = []
        # Credible coverage and robustness move continuously between equilibrium changes; the
        # count and uniqueness only change where the equilibrium does.
        self.continuous = goal.kind in ("credible_coverage", "robustness")

    def add(self, x: float) -> _Point:
        x = float(x)
        if x in self.points:
            return self.points[x]
        if len(self.points) >= self.budget:
            raise _BudgetExhausted
        point = self.evaluate(x)
        self.points[x] = point
        self.xs.insert(bisect.bisect(self.xs, x), x)
        return point

    def height(self, point: _Point, sign: int) -> float:
        """Signed distance to the target: ``sign = 1`` where it fails (a level where it holds
        has height ≥ 0), ``sign = −1`` where it holds (a level where it fails has height > 0)."""
        return sign * (point.metric - (self.goal.value - _SLACK))

    def _flat(self, *points: _Point) -> float:
        return _FLAT * (1.0 + max(abs(p.metric) for p in points))

    def _splittable(self, u: float, v: float) -> bool:
        mid = 0.5 * (u + v)
        return v - u > self.tol and u < mid < v

    def _steepest(self) -> float:
        """Largest slope of the metric seen between neighbouring levels of one equilibrium."""
        xs, pts = self.xs, self.points
        slopes = [
            abs(pts[v].metric - pts[u].metric) / (v - u)
            for u, v in zip(xs, xs[1:])
            if pts[u].state == pts[v].state and pts[u].holds == pts[v].holds
        ]
        return max(slopes) if slopes else math.inf

    def _piece_may_reach(
        self, near: float, far: float | None, other: float, sign: int, steepest: float
    ) -> bool:
        """Whether the metric's piece through ``near`` may reach the target on the way to the
        equilibrium change between ``near`` and ``other``; ``far`` is the next level away from
        that change (None at the end of the range)."""
        pn = self.points[near]
        hn = self.height(pn, sign)
        pf = None if far is None else self.points[far]
        if sign < 0 or pf is None or pf.state != pn.state or pf.holds != pn.holds:
            # No trend known on this piece, or a dip of a single-peaked metric (which can
            # follow a rise): bound it by the steepest slope seen anywhere.
            return hn + _SLOPE_MARGIN * steepest * abs(other - near) >= 0.0
        assert far is not None  # pf is not None
        hf = self.height(pf, sign)
        if hn <= hf + self._flat(pn, pf):
            return False  # flat or heading away from the target
        slope = (hn - hf) / abs(near - far)
        return hn + _SLOPE_MARGIN * slope * abs(other - near) >= 0.0

    def _end_may_hide_peak(self, i: int, steepest: float) -> bool:
        """Whether the metric may peak above the target between ``xs[i]`` and ``xs[i+1]``, two
        levels of one equilibrium where the target fails, one of which is the first or last
        level seen of that equilibrium and no lower than the other: a peak there has no level
        of the same equilibrium on its far side, so no local maximum shows it. Bounded by
        _SLOPE_MARGIN times the steepest slope seen."""
        xs, pts = self.xs, self.points
        u, v = xs[i], xs[i + 1]
        pu, pv = pts[u], pts[v]
        if pu.holds or pv.holds or pu.state != pv.state or not self._splittable(u, v):
            return False
        first = i == 0 or pts[xs[i - 1]].state != pu.state
        last = i + 2 == len(xs) or pts[xs[i + 2]].state != pv.state
        hu, hv = self.height(pu, 1), self.height(pv, 1)
        eps = self._flat(pu, pv)
        if not ((first and hu >= hv - eps) or (last and hv >= hu - eps)):
            return False
        return 0.5 * (hu + hv) + 0.5 * _SLOPE_MARGIN * steepest * (v - u) >= 0.0

    def proposals(self) -> list[float]:
        xs, pts, new = self.xs, self.points, set()
        steepest = self._steepest() if self.continuous else math.inf
        for i in range(len(xs) - 1):
            u, v = xs[i], xs[i + 1]
            if not self._splittable(u, v):
                continue
            pu, pv = pts[u], pts[v]
            if pu.holds != pv.holds:
                new.add(0.5 * (u + v))  # a truth change: bisect it
                continue
            if not self.continuous or pu.state == pv.state:
                continue
            # The equilibrium changes in (u, v): the metric may cross the target next to it.
            sign = -1 if pu.holds else 1
            left = self._piece_may_reach(u, xs[i - 1] if i > 0 else None, v, sign, steepest)
            right = self._piece_may_reach(
                v, xs[i + 2] if i + 2 < len(xs) else None, u, sign, steepest
            )
            if left or right:
                new.add(0.5 * (u + v))
        if self.continuous:
            for i in range(len(xs) - 1):
                u, v = xs[i], xs[i + 1]
                if self._end_may_hide_peak(i, steepest):
                    new.add(0.5 * (u + v))
            for i in range(1, len(xs) - 1):
                a, b, c = xs[i - 1], xs[i], xs[i + 1]
                pa, pb, pc = pts[a], pts[b], pts[c]
                if c - a <= self.tol or not (
                    pa.holds == pb.holds == pc.holds and pa.state == pb.state == pc.state
                ):
                    continue
                sign = -1 if pb.holds else 1
                ha, hb, hc = (self.height(p, sign) for p in (pa, pb, pc))
                eps = self._flat(pa, pb, pc)
                # A discrete local maximum (two equal neighbours count: the peak lies between).
                if not (hb >= max(ha, hc) - eps and hb > min(ha, hc) + eps):
                    continue
                # A local extremum of the metric, heading for the target: refine it by golden
                # section unless even _SLOPE_MARGIN times the slopes seen on either side
                # cannot carry it to the target inside the bracket.
                reach = max((hb - ha) / (b - a) * (c - b), (hb - hc) / (c - b) * (b - a))
                if hb + _SLOPE_MARGIN * reach < 0.0:
                    continue
                x = b + _GOLDEN * (c - b) if c - b >= b - a else b - _GOLDEN * (b - a)
                if a < x < c and x != b:
                    new.add(x)
        return sorted(new)

    def refine(self) -> None:
        while True:
            new = self.proposals()
            if not new:
                return
            for x in new:
                self.add(x)

    def intervals(self) -> list[tuple[float, float, bool]]:
        """Runs of levels where the target holds: (left, right, both ends certified)."""
        xs, pts, out = self.xs, self.points, []
        i = 0
        while i < len(xs):
            if not pts[xs[i]].holds:
                i += 1
                continue
            j = i
            while j + 1 < len(xs) and pts[xs[j + 1]].holds:
                j += 1
            left_ok = i == 0 or xs[i] - xs[i - 1] <= self.tol
            right_ok = j == len(xs) - 1 or xs[j + 1] - xs[j] <= self.tol
            out.append((xs[i], xs[j], left_ok and right_ok))
            i = j + 1
        return out


def _search_range(instrument: Instrument, name: str, lower, max_level, tol: float):
    """The levels to search, within the parameter's declared bounds, and a note on clipping."""
    spec = parameters(instrument)[name]
    owner = type(instrument).__name__
    if spec.kind not in ("scalar", "actors"):
        raise InvalidParameterError(
            "critical_level",
            "parameter",
            f"a numeric parameter of {owner} (not a {spec.kind})",
            name,
        )
    lo, hi = spec.bounds
    open_lo = spec.closed in ("right", "neither")
    open_hi = spec.closed in ("left", "neither")
    if lower is None:
        lower = (lo + tol if open_lo else lo) if math.isfinite(lo) else 0.0
    if (
        isinstance(lower, bool)
        or not isinstance(lower, numbers.Real)
        or not spec.admits(np.array([float(lower)]))[0]
    ):
        raise InvalidParameterError(
            "critical_level",
            "lower",
            f"within the declared bounds of {owner}.{name}: {spec.rule()}",
            lower,
        )
    lower = float(lower)
    top = (hi - tol if open_hi else hi) if math.isfinite(hi) else math.inf
    note = ""
    if max_level is None:
        max_level = top if math.isfinite(top) else 1e6
    elif not (
        isinstance(max_level, numbers.Real)
        and not isinstance(max_level, bool)
        and math.isfinite(max_level)
        and max_level > lower
    ):
        raise InvalidParameterError(
            "critical_level",
            "max_level",
            f"a finite float greater than lower ({lower:g})",
            max_level,
        )
    elif max_level > top:  # type: ignore[operator]
        note = (
            f"max_level {float(max_level):g} clipped to {top:g}, the upper bound of "
            f"{owner}.{name} ({spec.rule()}); "
        )
        max_level = top
    max_level = float(max_level)
    if not max_level > lower:
        raise InvalidParameterError(
            "critical_level", "max_level", f"greater than lower ({lower:g})", max_level
        )
    return lower, max_level, note


def _scan(lower: float, upper: float, grid: int, tol: float) -> np.ndarray:
    width = upper - lower
    start = min(max(10 * tol, 1e-9 * width), width)
    points = np.concatenate(
        (np.linspace(lower, upper, grid), lower + np.geomspace(start, width, grid), [lower, upper])
    )
    return np.unique(np.clip(points, lower, upper))


def critical_level(
    model: PolicyModel,
    instrument: Instrument,
    parameter: str | None = None,
    target="unique_full",
    *,
    design: Design | None = None,
    lower: float | None = None,
    max_level: float | None = None,
    tol: float = 1e-6,
    grid: int = 48,
    max_evaluations: int = 1000,
) -> CriticalLevel:
    """Smallest value of ``instrument.parameter`` at which ``target`` holds, and every interval
    of levels where it holds.

    Parameters
    ----------
    model : PolicyModel
    instrument : Instrument
        The instrument to scale; its other parameters stay as given.
    parameter : str, optional
        Which parameter (default: the instrument's size parameter, e.g. ``amount``).
    target : Target, str or tuple
        ``"unique_full"``, ``("credible_coverage", 0.8)``, ``("robustness", 0.5, "best")``, ...
    design : Design, optional
        Other instruments applied before this one.
    lower, max_level : float, optional
        Search range. Defaults: the parameter's declared lower bound (0 if it has none) and its
        declared upper bound, or 1e6 when it has none. ``lower`` outside the declared bounds is
        an error; a ``max_level`` beyond the upper bound is clipped to it (the message says so).
        An open bound (one the parameter may not take) is moved inside by ``tol``.
    tol : float
        Absolute resolution of the levels reported: of ``level`` and of every interval end.
    grid : int
        Points of each of the two initial scans, one uniform and one geometric from the lower
        end (so at most ``2·grid`` scan evaluations). Raise it to find narrower windows.
    max_evaluations : int
        Budget of design evaluations; when it runs out the result is returned with
        ``success=False`` and ``status=1``.

    Returns
    -------
    CriticalLevel

    Notes
    -----
    The metric of the target (credible coverage, robustness relative to full participation,
    the number of filers, uniqueness of full participation) is piecewise smooth in the level and
    jumps only where the equilibrium it is computed on changes (who files: the count and the
    capacity-weighted coverage). The search scans ``grid`` uniform and ``grid`` geometric levels,
    bisects each change of the target's truth value to ``tol``, and, for the continuous metrics,
    looks between levels where the target fails for a window where it holds (and between levels
    where it holds for a gap where it fails): golden-section refinement at each local maximum of
    the metric between levels of the same equilibrium, bisection at the first and last levels
    seen of an equilibrium, and bisection towards each change of the equilibrium that the
    metric approaches while heading for the target.

    Certified, whenever ``success`` is True: the target holds at ``level`` and fails at
    ``level − tol`` (or ``level − tol`` lies below ``lower``); each end of each interval in
    ``intervals`` is a level where the target holds with a level where it fails within ``tol``
    outside it (or the end of the range); ``reachable=False`` means the target failed at every
    level evaluated.

    Not certified: that no other window exists, nor that the target holds everywhere inside an
    interval. Windows and gaps are found when, between any two neighbouring scan levels, the
    equilibrium changes at most once and, between changes of the equilibrium, the metric is
    single-peaked (it rises, then falls; either part may be absent) with slopes within four
    times those seen. A window can be missed
    where the equilibrium changes twice between two neighbouring scan levels (a window narrower
    than the scan spacing, ``scan_spacing``), or where the metric turns much more sharply than
    it does elsewhere. Raise ``grid``, or search a smaller range with ``lower`` and
    ``max_level``, to find such windows. The participation count and uniqueness are constant
    between changes of the equilibrium, so for them only the scan finds windows.

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.PolicyModel.default()
    >>> pp = cg.ProcurementPreference(margin=0.0, volume=10.0, win_prob=0.5)
    >>> res = cg.critical_level(model, pp, "margin", ("participation", 50), tol=1e-4,
    ...                         max_level=1.0, grid=24)
    >>> res.reachable, res.holds_at_level, res.fails_below, res.success
    (True, True, True, True)
    >>> res.level == res.intervals[0][0]
    True
    """
    goal = as_target(target)
    name = parameter or instrument.level
    if name not in instrument.parameter_names():
        instrument.with_level(0.0, name)  # raises, naming the parameters it has
    if isinstance(tol, bool) or not (
        isinstance(tol, numbers.Real) and math.isfinite(tol) and tol > 0
    ):
        raise InvalidParameterError("critical_level", "tol", "a finite float > 0", tol)
    for label, value, least in (("grid", grid, 2), ("max_evaluations", max_evaluations, 1)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < least:
            raise InvalidParameterError("critical_level", label, f"an integer >= {least}", value)
    lower, upper, note = _search_range(instrument, name, lower, max_level, tol)
    base = design or Design("base")

    def evaluate(level: float) -> _Point:
        trial = Design("trial", list(base.instruments) + [instrument.with_level(level, name)])
        outcome = evaluate_design(model, trial)
        side = getattr(outcome, goal.equilibrium)
        if goal.kind == "unique_full":
            state = (bool(outcome.full_participation_unique),)
        else:  # who files: the count, and the capacity-weighted coverage, which tells swaps
            coverage = side.get("coverage")
            state = (
                int(side["participation"]),
                None if coverage is None else round(float(coverage), 12),
            )
        return _Point(
            goal.holds(outcome, model),
            float(goal.metric(outcome, model)),
            state,
            bool(outcome.success),
        )

    search = _Search(evaluate, goal, tol, int(max_evaluations))
    scan = _scan(lower, upper, int(grid), tol)
    spacing = float(np.max(np.diff(scan))) if scan.size > 1 else 0.0
    exhausted = False
    try:
        for x in scan:
            search.add(float(x))
        while True:
            search.refine()
            runs = search.intervals()
            if not runs or runs[0][0] - tol < lower:
                break
            if not search.add(runs[0][0] - tol).holds:
                break  # certified below; otherwise refine again around the new level
    except _BudgetExhausted:
        exhausted = True
    runs = search.intervals()
    common = dict(
        instrument=type(instrument).__name__,
        parameter=name,
        target=goal.describe(),
        tol=tol,
        evaluations=len(search.points),
        search_range=(lower, upper),
        scan_spacing=spacing,
        method=f"scan ({scan.size} levels) + bisection + extremum refinement",
    )
    unsolved = sum(not p.solved for p in search.points.values())
    trouble = ""
    if exhausted:
        trouble += (
            f"the budget of {max_evaluations} evaluations ran out before the search "
            "finished (raise max_evaluations); "
        )
    if unsolved:
        trouble += f"the equilibrium computation was not successful at {unsolved} levels; "
    if not runs:
        top = search.points[upper] if upper in search.points else search.points[search.xs[-1]]
        return CriticalLevel(
            level=math.nan,
            reachable=False,
            holds_at_level=False,
            fails_below=True,
            metric_at_level=math.nan,
            metric_below=top.metric,
            intervals=(),
            success=False,
            status=1 if trouble else 2,
            message=f"{note}{trouble}the target is not reached for any level "
            f"evaluated from {lower:g} up to {upper:g} (metric at "
            f"{upper:g}: {top.metric:.4g})",
            **common,
        )
    level = runs[0][0]
    at = search.points[level]
    under = search.points.get(level - tol if level - tol >= lower else lower)
    if level == lower:
        fails, metric_below = True, math.nan
    elif under is None:  # not checked: the budget ran out first
        fails, metric_below = False, math.nan
    else:  # at level − tol, or at the lower end when level − tol lies below the range
        fails, metric_below = not under.holds, under.metric
    certified = fails and all(ok for _, _, ok in runs) and not exhausted and not unsolved
    intervals = tuple((lo, hi) for lo, hi, _ in runs)
    shown = ", ".join(f"[{lo:.6g}, {hi:.6g}]" for lo, hi in intervals[:4])
    more = f" and {len(intervals) - 4} more" if len(intervals) > 4 else ""
    where = "holds at the lower end" if level == lower else "fails just below, holds at the level"
    message = (
        f"{note}{trouble}"
        + ("certified: " if certified else "not certified: ")
        + f"{where}; the target holds on {shown}{more}"
    )
    return CriticalLevel(
        level=level,
        reachable=True,
        holds_at_level=at.holds,
        fails_below=fails,
        metric_at_level=at.metric,
        metric_below=metric_below,
        intervals=intervals,
        success=certified,
        status=0 if certified else 1,
        message=message,
        **common,
    )
