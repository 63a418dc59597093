"""Scenario discovery: the regions of the uncertain parameters where a design fails its target.

PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999, "Bump hunting in
high-dimensional data", Statistics and Computing 9:123–143), finds boxes — one interval per
parameter — in which the cases of interest (here: draws in which a design fails its target)
are concentrated, the standard tool of scenario discovery (Bryant & Lempert 2010). Each box is
described by

* **coverage**: the share of all cases of interest that fall in the box;
* **density**: the share of the points in the box that are cases of interest;
* **mass**: the share of all points that fall in the box.

The algorithm is implemented here rather than taken from a package: ``ema_workbench`` brings
scikit-learn, statsmodels, seaborn and platypus-opt with it for one function, and the
stand-alone ``PRIM`` package of Project Platypus is licensed under the GPL (coordgap is
BSD-licensed) and needs an interactive-plotting package (``mplcursors``) at import. The
implementation follows Friedman & Fisher:

1. **Peeling** (top-down): from the box holding every point, each step considers, for every
   parameter, removing the ``alpha`` share of the box's points with the lowest or with the
   highest values of that parameter, and makes the removal that leaves the highest density
   (ties: the one leaving more points, then the first parameter and the low side). Points
   tied at the cut stay in the box; when the cut falls on a parameter's smallest (largest)
   value, every point at that value is removed instead, so parameters with few distinct
   values can be peeled too. Peeling stops when no removal leaves a mass of at least
   ``min_mass``. The boxes passed through form the *peeling trajectory*.
2. **Selection**: with ``threshold`` None, the densest box of the trajectory (the largest of
   equally dense ones); otherwise the box of greatest coverage whose density is at least
   ``threshold`` (the densest if none is).
3. **Pasting** (bottom-up): the selected box is enlarged, one side at a time, by the ``alpha``
   share of its points nearest outside that side, as long as an enlargement raises the
   density.
4. **Covering** (``max_boxes`` > 1): the points of the box are set aside and the search runs
   again on the rest, while the rest has cases of interest and the new box is denser than the
   rest as a whole (and at least ``threshold`` dense, if given). Coverage and mass of later
   boxes are shares of all the points and all the cases, so the boxes' coverages add up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError, Shown, did_you_mean
from ..results import Result

__all__ = ["prim", "PrimResult", "scenario_discovery"]

_OWNER = "prim"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class PrimResult(Result):
    """Boxes of the parameter space in which the cases of interest concentrate.

    Attributes
    ----------
    boxes : pandas.DataFrame
        One row per box and parameter: ``box`` (1, 2, …), ``parameter``, ``lower`` and
        ``upper`` (the box's limits: values of data points, inclusive), ``restricted``
        (whether the box is narrower than the data on that parameter) and ``data_min``,
        ``data_max`` (the range of the data).
    box_stats : pandas.DataFrame
        One row per box (index ``box``): ``coverage``, ``density``, ``mass``, ``n`` (points
        in the box) and ``n_restricted`` (parameters restricted).
    trajectory : pandas.DataFrame
        Every box passed through: ``box``, ``step`` (0: all points), ``phase`` (``"peel"``
        or ``"paste"``), ``coverage``, ``density``, ``mass``, ``n_restricted`` and
        ``selected`` (the box chosen before pasting, and the pasted box).
    label : str
        What the cases of interest are.
    base_density : float
        Share of all points that are cases of interest (a box's density is worth comparing
        with it).
    n_points, n_cases : int
        Points and cases of interest analysed.
    alpha, min_mass : float
        Peeling (and pasting) share and the least mass of a box.
    threshold : float or None
        The least density of a selected box, if given.
    message : str
        Why there are fewer boxes than asked for, if there are.
    """

    boxes: pd.DataFrame
    box_stats: pd.DataFrame
    trajectory: pd.DataFrame
    label: str
    base_density: float
    n_points: int
    n_cases: int
    alpha: float
    min_mass: float
    threshold: float | None = None
    message: str = ""

    def to_frame(self) -> pd.DataFrame:
        """The boxes with their coverage, density and mass, one row per box and parameter.

        Returns
        -------
        pandas.DataFrame
            Columns ``box``, ``parameter``, ``lower``, ``upper``, ``restricted``, ``coverage``,
            ``density``, ``mass``.
        """
        stats = self.box_stats[["coverage", "density", "mass"]]
        frame = self.boxes.merge(stats, left_on="box", right_index=True, how="left")
        return frame[
            ["box", "parameter", "lower", "upper", "restricted", "coverage", "density", "mass"]
        ].reset_index(drop=True)

    def to_dict(self) -> dict:
        """Plain data: the scalars and the boxes as records.

        Returns
        -------
        dict
            JSON-ready (NaN becomes None).
        """
        from ..results import to_plain

        return {
            "label": self.label,
            "base_density": self.base_density,
            "n_points": self.n_points,
            "n_cases": self.n_cases,
            "alpha": self.alpha,
            "min_mass": self.min_mass,
            "threshold": self.threshold,
            "message": self.message,
            "boxes": to_plain(self.to_frame().to_dict(orient="records")),
        }

    def __repr__(self) -> str:
        lines = [
            f"PrimResult({self.label}: {self.n_cases} of {self.n_points} points, "
            f"base density {self.base_density:.3g})"
        ]
        for box, row in self.box_stats.iterrows():
            part = self.boxes[(self.boxes["box"] == box) & self.boxes["restricted"]]
            limits = "; ".join(
                f"{r.lower:.4g} <= {r.parameter} <= {r.upper:.4g}" for r in part.itertuples()
            )
            lines.append(
                f"  box {box}: coverage {row['coverage']:.3g}, density {row['density']:.3g}, "
                f"mass {row['mass']:.3g}: {limits or 'no restriction'}"
            )
        if self.message:
            lines.append(f"  {self.message}")
        return "\n".join(lines)


def _inside(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.all((x >= lo) & (x <= hi), axis=1)


class _Search:
    """One box's peeling, selection and pasting on the points of ``active``."""

    def __init__(self, x, y, active, alpha, min_mass, total_cases, data_lo, data_hi):
        self.x, self.y, self.active = x, y, active
        self.alpha, self.min_mass = alpha, min_mass
        self.n_total, self.total_cases = len(y), total_cases
        self.data_lo, self.data_hi = data_lo, data_hi

    def stats(self, inside: np.ndarray, lo, hi) -> dict:
        n = int(inside.sum())
        cases = float(self.y[inside].sum())
        return {
            "coverage": cases / self.total_cases if self.total_cases else math.nan,
            "density": cases / n if n else math.nan,
            "mass": n / self.n_total,
            "n_restricted": int(np.sum((lo > self.data_lo) | (hi < self.data_hi))),
        }

    def peel(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """The peeling trajectory: (lower, upper, inside) of every box passed through."""
        x, y = self.x, self.y
        lo, hi = self.data_lo.copy(), self.data_hi.copy()
        inside = self.active.copy()
        path = [(lo.copy(), hi.copy(), inside.copy())]
        least = self.min_mass * self.n_total
        while True:
            n_in = int(inside.sum())
            k = max(1, int(self.alpha * n_in))
            best = None
            for j in range(x.shape[1]):
                xs = np.sort(x[inside, j])
                if xs[0] == xs[-1]:
                    continue
                low = xs[k] if xs[k] > xs[0] else xs[np.searchsorted(xs, xs[0], "right")]
                high = xs[-1 - k] if xs[-1 - k] < xs[-1] else xs[np.searchsorted(xs, xs[-1]) - 1]
                for side, cut in ((0, low), (1, high)):
                    keep = inside & (x[:, j] >= cut if side == 0 else x[:, j] <= cut)
                    n_keep = int(keep.sum())
                    if n_keep < least or n_keep == 0:
                        continue
                    key = (float(y[keep].mean()), n_keep)
                    if best is None or key > best[0]:
                        best = (key, j, side, cut, keep)
            if best is None:
                return path
            _, j, side, cut, inside = best
            if side == 0:
                lo[j] = cut
            else:
                hi[j] = cut
            path.append((lo.copy(), hi.copy(), inside.copy()))

    def paste(self, lo: np.ndarray, hi: np.ndarray, inside: np.ndarray) -> list:
        """Boxes of the pasting steps from (lo, hi): each raises the density, until none can."""
        x, y = self.x, self.y
        lo, hi = lo.copy(), hi.copy()
        steps: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        while True:
            n_in = int(inside.sum())
            density = float(y[inside].mean())
            k = max(1, int(self.alpha * n_in))
            best = None
            for j in range(x.shape[1]):
                others = self.active.copy()
                for m in range(x.shape[1]):
                    if m != j:
                        others &= (x[:, m] >= lo[m]) & (x[:, m] <= hi[m])
                below = np.sort(x[others & (x[:, j] < lo[j]), j])[::-1]
                above = np.sort(x[others & (x[:, j] > hi[j]), j])
                for side, outside in ((0, below), (1, above)):
                    if not len(outside):
                        continue
                    cut = outside[min(k, len(outside)) - 1]
                    grown = others & (
                        (x[:, j] >= cut) & (x[:, j] <= hi[j])
                        if side == 0
                        else (x[:, j] >= lo[j]) & (x[:, j] <= cut)
                    )
                    key = (float(y[grown].mean()), int(grown.sum()))
                    if key[0] > density and (best is None or key > best[0]):
                        best = (key, j, side, cut, grown)
            if best is None:
                return steps
            _, j, side, cut, inside = best
            if side == 0:
                lo[j] = cut
            else:
                hi[j] = cut
            steps.append((lo.copy(), hi.copy(), inside.copy()))


def _check_share(name: str, value, *, low_open: bool = True) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not 0.0 < float(value) < 1.0
    ):
        raise InvalidParameterError(_OWNER, name, "a number in (0, 1)", value)
    return float(value)


def prim(
    x,
    y,
    *,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    threshold: float | None = None,
    paste: bool = True,
    max_boxes: int = 1,
    label: str = "cases of interest",
) -> PrimResult:
    """PRIM boxes in which the cases of interest (``y`` true) concentrate.

    Friedman–Fisher peeling and pasting, with covering for several boxes; see the module's
    documentation for each step and the choices made.

    Parameters
    ----------
    x : pandas.DataFrame or array_like of shape (n, d)
        The points: one numeric column per parameter (an array's columns are named ``x0``,
        ``x1``, …). Values must be finite.
    y : array_like of bool, shape (n,)
        True for the cases of interest.
    alpha : float
        Share of a box's points removed by one peel (and added by one paste); default 0.05.
    min_mass : float
        Least share of all points in a box (default 0.05).
    threshold : float, optional
        Least density of a selected box: the box of greatest coverage with at least this
        density is chosen (default: the densest box of the trajectory).
    paste : bool
        Paste the selected box (default True).
    max_boxes : int
        Boxes found one after the other by covering (default 1).
    label : str
        What the cases of interest are (for reports).

    Returns
    -------
    PrimResult
        The boxes, their coverage, density and mass, and the peeling trajectory.

    Examples
    --------
    Points in the unit square, of interest where a > 0.6 and b < 0.4:

    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> x = pd.DataFrame(rng.random((2000, 2)), columns=["a", "b"])
    >>> res = prim(x, (x["a"] > 0.6) & (x["b"] < 0.4), threshold=0.95)
    >>> frame = res.to_frame().set_index("parameter")
    >>> round(float(frame.loc["a", "lower"]), 1), round(float(frame.loc["b", "upper"]), 1)
    (0.6, 0.4)
    >>> bool(frame["coverage"].iloc[0] > 0.9 and frame["density"].iloc[0] > 0.95)
    True
    """
    if isinstance(x, pd.DataFrame):
        names = [str(c) for c in x.columns]
        data = x.to_numpy(dtype=float, na_value=math.nan)
    else:
        try:
            data = np.asarray(x, dtype=float)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                _OWNER, "x", "a numeric table (n points × d parameters)", Shown(type(x).__name__)
            ) from None
        if data.ndim != 2:
            raise InvalidParameterError(
                _OWNER, "x", "a 2-d table (n points × d parameters)", Shown(f"shape {data.shape}")
            )
        names = [f"x{k}" for k in range(data.shape[1])]
    if data.ndim != 2 or data.shape[0] < 2 or data.shape[1] < 1:
        raise InvalidParameterError(
            _OWNER, "x", "at least 2 points and 1 parameter", Shown(f"shape {data.shape}")
        )
    if not np.all(np.isfinite(data)):
        raise InvalidParameterError(_OWNER, "x", "finite values", Shown("NaN or infinite values"))
    flags = np.asarray(y)
    if flags.shape != (data.shape[0],) or not (flags.dtype == bool or np.isin(flags, (0, 1)).all()):
        raise InvalidParameterError(
            _OWNER,
            "y",
            f"{data.shape[0]} flags (bool or 0/1), one per point",
            Shown(f"shape {flags.shape}, dtype {flags.dtype}"),
        )
    flags = flags.astype(bool)
    alpha = _check_share("alpha", alpha)
    min_mass = _check_share("min_mass", min_mass)
    if threshold is not None:
        threshold = _check_share("threshold", threshold)
    if isinstance(max_boxes, bool) or not isinstance(max_boxes, (int, np.integer)) or max_boxes < 1:
        raise InvalidParameterError(_OWNER, "max_boxes", "an integer >= 1", max_boxes)
    yv = flags.astype(float)
    n = len(yv)
    total = float(yv.sum())
    data_lo, data_hi = data.min(axis=0), data.max(axis=0)
    active = np.ones(n, dtype=bool)
    box_rows: list[dict] = []
    summary: dict[int, dict] = {}
    steps: list[dict] = []
    message = ""
    for box in range(1, int(max_boxes) + 1):
        rest = float(yv[active].mean()) if active.any() else 0.0
        if not active.any() or yv[active].sum() == 0:
            message = (
                "no cases of interest"
                if total == 0
                else "no cases of interest left outside the boxes"
            )
            break
        search = _Search(data, yv, active, alpha, min_mass, total, data_lo, data_hi)
        path = search.peel()
        stats = [search.stats(inside, lo, hi) for lo, hi, inside in path]
        density = np.array([s["density"] for s in stats])
        pick = int(np.argmax(density))
        if threshold is not None:
            enough = np.flatnonzero(density >= threshold)
            pick = int(enough[0]) if len(enough) else pick
        lo, hi, inside = path[pick]
        pasted = search.paste(lo, hi, inside) if paste else []
        if pasted:
            lo, hi, inside = pasted[-1]
        final = search.stats(inside, lo, hi)
        if box > 1 and (
            final["density"] <= rest or (threshold is not None and final["density"] < threshold)
        ):
            message = (
                f"box {box} was not kept: its density {final['density']:.3g} is not above "
                + (f"the threshold {threshold:g}" if threshold is not None else "that of the rest")
                + f" ({rest:.3g} outside the earlier boxes)"
            )
            break
        for k, s in enumerate(stats):
            steps.append({"box": box, "step": k, "phase": "peel", **s, "selected": k == pick})
        for k, (plo, phi, pin) in enumerate(pasted, start=len(stats)):
            steps.append(
                {
                    "box": box,
                    "step": k,
                    "phase": "paste",
                    **search.stats(pin, plo, phi),
                    "selected": k == len(stats) + len(pasted) - 1,
                }
            )
        summary[box] = {**final, "n": int(inside.sum())}
        for j, name in enumerate(names):
            box_rows.append(
                {
                    "box": box,
                    "parameter": name,
                    "lower": float(lo[j]),
                    "upper": float(hi[j]),
                    "restricted": bool(lo[j] > data_lo[j] or hi[j] < data_hi[j]),
                    "data_min": float(data_lo[j]),
                    "data_max": float(data_hi[j]),
                }
            )
        active &= ~inside
    box_columns = ["box", "parameter", "lower", "upper", "restricted", "data_min", "data_max"]
    stat_columns = ["coverage", "density", "mass", "n", "n_restricted"]
    summary_frame = pd.DataFrame.from_dict(summary, orient="index", columns=stat_columns)
    summary_frame.index.name = "box"
    return PrimResult(
        boxes=pd.DataFrame(box_rows, columns=box_columns),
        box_stats=summary_frame,
        trajectory=pd.DataFrame(
            steps,
            columns=[
                "box",
                "step",
                "phase",
                "coverage",
                "density",
                "mass",
                "n_restricted",
                "selected",
            ],
        ),
        label=label,
        base_density=total / n,
        n_points=n,
        n_cases=int(total),
        alpha=alpha,
        min_mass=min_mass,
        threshold=threshold,
        message=message,
    )


_NOT_PARAMETERS = (
    "draw",
    "design",
    "meets_target",
    "target_undecided",
    "full_participation_unique",
)


def scenario_discovery(
    result,
    design: str,
    *,
    parameters: Sequence[str] | None = None,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    threshold: float | None = None,
    paste: bool = True,
    max_boxes: int = 1,
) -> PrimResult:
    """The regions of the uncertain parameters in which ``design`` fails its target (PRIM).

    The points are the draws of a robustness study (:func:`coordgap.monte_carlo`, whose
    ``target`` is the one failed); the cases of interest are the draws in which the design
    does not meet it. Draws in which the solver could not decide whether the target is met
    (``target_undecided``, possible for ``"unique_full"`` only) are left out. A space-filling
    sample (``sampler="lhs"`` or ``"sobol"``) gives PRIM evenly spread points.

    Parameters
    ----------
    result : MonteCarloResult
        The robustness study.
    design : str
        Name of one of its designs.
    parameters : sequence of str, optional
        Columns of ``result.draws`` to describe the boxes with (default: every common draw
        and, for each idiosyncratic path, the smallest and largest per-actor factor of the
        draw, ``"<path>[min]"`` and ``"<path>[max]"``).
    alpha, min_mass, threshold, paste, max_boxes
        As in :func:`prim`.

    Returns
    -------
    PrimResult
        Boxes of failure: their coverage is the share of the failing draws they hold, their
        density the share of their draws that fail.

    Examples
    --------
    >>> import coordgap as cg
    >>> from scipy import stats
    >>> study = cg.monte_carlo(cg.PolicyModel.default(),
    ...                        [cg.Design("bond", [cg.PerformanceBond(amount=1.0)])],
    ...                        {"PerformanceBond.amount": stats.uniform(0, 6)}, n=64, rng=3,
    ...                        target=("credible_coverage", 0.3, "best"), sampler="sobol")
    >>> res = cg.scenario_discovery(study, "bond", threshold=0.9)
    >>> box = res.to_frame().iloc[0]
    >>> box["parameter"], bool(box["density"] >= 0.9)
    ('PerformanceBond.amount', True)
    """
    draws = getattr(result, "draws", None)
    if not isinstance(draws, pd.DataFrame) or "meets_target" not in draws:
        raise InvalidParameterError(
            "scenario_discovery",
            "result",
            "the result of coordgap.monte_carlo",
            Shown(type(result).__name__),
        )
    names = list(dict.fromkeys(draws["design"]))
    if design not in names:
        raise InvalidParameterError(
            "scenario_discovery",
            "design",
            "a design of the study",
            design,
            did_you_mean(str(design), names),
        )
    from .compare import METRICS

    metric_columns = {f"{m}_{side}" for m in METRICS for side in ("worst", "best")}
    known = [c for c in draws.columns if c not in _NOT_PARAMETERS and c not in metric_columns]
    chosen = known if parameters is None else list(parameters)
    for column in chosen:
        if column not in known:
            raise InvalidParameterError(
                "scenario_discovery",
                "parameters",
                "columns of the study's draws that hold parameters",
                column,
                did_you_mean(str(column), known),
            )
    if not chosen:
        raise InvalidParameterError(
            "scenario_discovery",
            "parameters",
            "at least one uncertain parameter (the study drew none)",
            Shown("none"),
        )
    part = draws[(draws["design"] == design) & ~draws["target_undecided"].astype(bool)]
    target = getattr(result, "target", "its target")
    return prim(
        part[chosen].reset_index(drop=True),
        ~part["meets_target"].astype(bool).to_numpy(),
        alpha=alpha,
        min_mass=min_mass,
        threshold=threshold,
        paste=paste,
        max_boxes=max_boxes,
        label=f"draws in which {design!r} fails: {target}",
    )
