"""Regulatory capture of the body that runs the registry.

The seeds' third claim includes a governance risk: the body that sets trigger thresholds and
audit intensity may come to weigh the profits of the incumbents it oversees. Model:

* **Instruments the body sets** (discretionary): the trigger threshold τ (a plan fires on
  incidents of severity S ≥ τ; S ~ Exponential with mean m) and the audit probability
  a ∈ [a_min, 1]. **Statutory instruments** (fixed by law or contract, outside the body's
  reach): the audit floor a_min, a cap τ_max on the threshold, the bond b, liability L, the
  sanction φ_h for a failure found by an audit, and the incentives I (lump) and α (per declared
  capacity unit).
* **Incidents.** A share F(τ) = e^{−τ/m} of incidents fires the triggers; weighting incidents
  by severity, the share of harm they carry is A(τ) = (1 + τ/m)·e^{−τ/m}.
* **Credibility** (M3): a filer honours iff its lognormal response cost is at most its stake
  b + L + a·φ_h, so c(a) = Φ(ln((b + L + aφ_h)/A_med)/σ_A).
* **Performative compliance**: filers declare q + α/(2aφ) (see
  :func:`coordgap.declared_inflation`) and keep the rent α²/(4aφ).
* **Participation.** A filer's net value of joining before its private cost is
  X = I + α·q + α²/(4aφ) − β_a·a − r·F(τ)·E[min(A, stake)] − r_b·b (audit burden, expected cost
  of honouring or forfeiting when triggers fire, carrying cost of the bond); private costs
  are exponential with mean k̄, so the share who join is P = 1 − e^{−X⁺/k̄} and incumbents'
  expected profit is π = X − k̄(1 − e^{−X/k̄}) (0 when X ≤ 0).
* **Credible coverage** of incident harm: CC = P·A(τ)·c(a) (the declared figure multiplies by
  1 + inflation/q).

The body maximizes (1 − θ)·H·CC + θ·π over its instruments, H the harm at stake and θ ∈ [0, 1]
the weight on incumbents' profits. It optimizes over a fixed grid of instrument values, so the
result is exact on the grid.

**Capture never raises credible coverage.** For θ₁ < θ₂ with optima x₁, x₂, optimality gives
(1 − θ₁)(V₁ − V₂) ≥ θ₁(π₂ − π₁) and θ₂(π₂ − π₁) ≥ (1 − θ₂)(V₁ − V₂) with V = H·CC; together
they imply (θ₂ − θ₁)(V₁ − V₂) ≥ 0. This holds whatever participation does — and participation
can *rise* with capture: lower audits and higher thresholds make filing cheap, the registry
becomes a badge, declared coverage may even rise while credible coverage falls. The argument
fails when capture also changes what the body may choose (it lowers the statutory floor) or
when the body's mandate is not coverage alone. Full capture (θ = 1) drives the discretionary
instruments to their statutory limits (a = a_min, τ = τ_max): the instruments that are robust
to capture are the ones the body does not set — the audit floor, the threshold cap, bonds,
liability and sanctions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._deprecation import renamed_method
from .._lazy import lazy_module
from ..errors import InvalidParameterError
from ..params import Replaceable, param, validate
from ..results import Result
from .inflation import declared_inflation, inflation_rent
from .lognormal import lognormal_cdf, lognormal_expected_min

if TYPE_CHECKING:
    import pandas as pd
else:  # loaded on first use (start-up time)
    pd = lazy_module("pandas")

__all__ = ["CaptureModel", "CaptureOutcome", "CaptureCurve", "STATUTORY"]

#: Instruments fixed outside the body's discretion (names of CaptureModel parameters).
STATUTORY = ("audit_floor", "threshold_cap", "bond", "liability", "sanction", "incentive")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CaptureOutcome(Result):
    """The body's choice at one capture weight θ and what follows from it.

    Attributes
    ----------
    capture : float
        θ.
    threshold, audit_prob : float
        The chosen trigger threshold τ (severity units) and audit probability a.
    inflation : float
        Declared-capacity inflation per filer, α/(2aφ).
    participation : float
        Share of filers who join, P.
    credibility : float
        c(a), probability that a filer honours its plan.
    harm_share_triggered : float
        A(τ), the share of incident harm on which triggers fire.
    credible_coverage, declared_coverage : float
        P·A(τ)·c(a), and the same with declared capacity.
    incumbent_profit : float
        π, incumbents' expected profit from the registry (USD m per filer).
    objective : float
        (1 − θ)·H·CC + θ·π at the optimum.
    """

    capture: float
    threshold: float
    audit_prob: float
    inflation: float
    participation: float
    credibility: float
    harm_share_triggered: float
    credible_coverage: float
    declared_coverage: float
    incumbent_profit: float
    objective: float


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CaptureCurve(Result):
    """Outcomes over a grid of capture weights θ (one row per θ in ``to_frame``).

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per θ, with the columns of :meth:`to_frame`.
    message : str
        One-line summary: credible coverage, participation and declared coverage at the
        smallest and the largest θ.
    """

    _hidden = ("frame",)

    frame: pd.DataFrame
    message: str = ""

    def to_frame(self) -> pd.DataFrame:
        """Columns: ``capture``, ``threshold``, ``audit_prob``, ``inflation``,
        ``participation``, ``credibility``, ``harm_share_triggered``, ``credible_coverage``,
        ``declared_coverage``, ``incumbent_profit``, ``objective``.

        Returns
        -------
        pandas.DataFrame
            One row per capture weight θ, in increasing order (the stored frame itself).
        """
        return self.frame


@dataclass(frozen=True, slots=True, eq=False)
class CaptureModel(Replaceable):
    """The registry body's choice of thresholds and audits under capture weight θ.

    Parameters
    ----------
    capture : float
        θ ∈ [0, 1], weight on incumbents' profits (0: mandate is credible coverage only).
    harm : float
        H > 0, harm at stake (USD m): weight of credible coverage in the mandate.
    severity_scale : float
        m > 0, mean incident severity (thresholds are in the same unit).
    threshold_cap : float
        τ_max > 0, statutory cap on the trigger threshold.
    audit_floor : float
        a_min ∈ (0, 1], statutory minimum audit probability.
    audit_burden : float
        β_a ≥ 0, cost to a filer per unit of audit probability (USD m).
    firing_rate : float
        r ≥ 0, incidents per period (a plan's triggers fire on r·F(τ) of them).
    response_cost_median, response_cost_sigma : float
        Median (> 0) and log-scale σ (> 0) of the lognormal response cost.
    bond, liability, sanction : float
        b, L, φ_h ≥ 0 (USD m): bond forfeited, liability, fine for a failure an audit finds.
    carry_rate : float
        r_b ≥ 0, carrying cost per unit of bond.
    rate : float
        α ≥ 0, incentive per declared capacity unit (USD m per unit).
    fine : float
        φ > 0, fine per squared unit of capacity shortfall found by an audit.
    incentive : float
        I ≥ 0, lump incentive for filing (USD m).
    cost_scale : float
        k̄ > 0, mean private cost of filing (USD m).
    capacity : float
        q > 0, true capacity per filer.
    resolution : int
        Grid points per instrument (≥ 11).

    Raises
    ------
    InvalidParameterError
        On θ outside [0, 1], negative rates or costs, a zero audit floor, NaN/inf.

    Examples
    --------
    >>> import coordgap as cg
    >>> m = cg.CaptureModel()
    >>> clean, captured = m.solve(), m.replace(capture=1.0).solve()
    >>> captured.audit_prob == m.audit_floor, captured.threshold == m.threshold_cap
    (True, True)
    >>> bool(captured.credible_coverage < clean.credible_coverage)
    True
    >>> bool(captured.inflation > clean.inflation)
    True
    """

    capture: float = param(
        0.0, bounds=(0, 1), unit="1", symbol="θ", doc="weight on incumbents' profits"
    )
    harm: float = param(
        10.0, bounds=(0, math.inf), closed="neither", unit="USD m", symbol="H", doc="harm at stake"
    )
    severity_scale: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="severity units",
        symbol="m",
        doc="mean incident severity",
    )
    threshold_cap: float = param(
        4.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="severity units",
        symbol="τ_max",
        doc="statutory cap on the trigger threshold",
    )
    audit_floor: float = param(
        0.05,
        bounds=(0, 1),
        closed="right",
        unit="1",
        symbol="a_min",
        doc="statutory minimum audit probability",
    )
    audit_burden: float = param(
        0.2,
        bounds=(0, math.inf),
        unit="USD m",
        symbol="β_a",
        doc="filer's cost per unit of audit probability",
    )
    firing_rate: float = param(
        1.0, bounds=(0, math.inf), unit="1 per period", symbol="r", doc="incidents per period"
    )
    response_cost_median: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="USD m",
        symbol="A_med",
        doc="median response cost",
    )
    response_cost_sigma: float = param(
        0.8,
        bounds=(0, math.inf),
        closed="neither",
        unit="1",
        symbol="σ_A",
        doc="log-scale of the response cost",
    )
    bond: float = param(
        0.5, bounds=(0, math.inf), unit="USD m", symbol="b", doc="bond forfeited on default"
    )
    liability: float = param(
        0.3, bounds=(0, math.inf), unit="USD m", symbol="L", doc="liability for failing to act"
    )
    sanction: float = param(
        2.0,
        bounds=(0, math.inf),
        unit="USD m",
        symbol="φ_h",
        doc="fine for a failure found by an audit",
    )
    carry_rate: float = param(
        0.05,
        bounds=(0, math.inf),
        unit="1 per period",
        symbol="r_b",
        doc="carrying cost per unit of bond",
    )
    rate: float = param(
        0.2,
        bounds=(0, math.inf),
        unit="USD m per unit",
        symbol="α",
        doc="incentive per declared capacity unit",
    )
    fine: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="USD m per unit²",
        symbol="φ",
        doc="fine per squared shortfall",
    )
    incentive: float = param(
        1.0, bounds=(0, math.inf), unit="USD m", symbol="I", doc="lump incentive for filing"
    )
    cost_scale: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="USD m",
        symbol="k̄",
        doc="mean private cost of filing",
    )
    capacity: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="capacity units",
        symbol="q",
        doc="true capacity per filer",
    )
    resolution: int = param(
        161, kind="integer", bounds=(11, 4001), doc="grid points per instrument"
    )

    def __post_init__(self) -> None:
        validate(self)

    # -- primitives (vectorized over instrument values) ----------------------------------------
    def harm_share_triggered(self, threshold) -> np.ndarray:
        """A(τ) = (1 + τ/m)·e^{−τ/m}, the share of incident harm on which triggers fire.

        Parameters
        ----------
        threshold : float or array_like
            Trigger threshold(s) τ ≥ 0, in severity units.

        Returns
        -------
        ndarray
            A(τ) ∈ (0, 1], same shape as ``threshold``.
        """
        u = np.asarray(threshold, dtype=float) / self.severity_scale
        return (1.0 + u) * np.exp(-u)

    def stake(self, audit_prob) -> np.ndarray:
        """b + L + a·φ_h, what failing to honour costs a filer.

        Parameters
        ----------
        audit_prob : float or array_like
            Audit probability (or probabilities) a ∈ [0, 1].

        Returns
        -------
        ndarray
            The stake in USD m, same shape as ``audit_prob``.
        """
        return self.bond + self.liability + np.asarray(audit_prob, dtype=float) * self.sanction

    def credibility(self, audit_prob) -> np.ndarray:
        """c(a) = P(A ≤ stake) for the lognormal response cost A.

        Parameters
        ----------
        audit_prob : float or array_like
            Audit probability (or probabilities) a ∈ [0, 1].

        Returns
        -------
        ndarray
            Probability that a filer honours its plan, same shape as ``audit_prob``
            (0 where the stake is 0).
        """
        return lognormal_cdf(
            self.stake(audit_prob), self.response_cost_median, self.response_cost_sigma
        )

    def _expected_ex_post(self, audit_prob) -> np.ndarray:
        """E[min(A, stake)]: a filer pays its response or loses its stake."""
        return lognormal_expected_min(
            self.stake(audit_prob), self.response_cost_median, self.response_cost_sigma
        )

    def net_value(self, threshold, audit_prob) -> np.ndarray:
        """X(τ, a): a filer's value of joining before its private cost (USD m).

        Parameters
        ----------
        threshold : float or array_like
            Trigger threshold(s) τ ≥ 0, in severity units.
        audit_prob : float or array_like
            Audit probability (or probabilities) a ∈ (0, 1]; broadcasts against ``threshold``.

        Returns
        -------
        ndarray
            X in USD m per filer: incentive, capacity payment and inflation rent, less the
            audit burden, the expected cost of firing triggers and the bond's carrying cost.
        """
        tau = np.asarray(threshold, dtype=float)
        a = np.asarray(audit_prob, dtype=float)
        rent = inflation_rent(self.rate, a, self.fine)
        firing = self.firing_rate * np.exp(-tau / self.severity_scale)
        return (
            self.incentive
            + self.rate * self.capacity
            + rent
            - self.audit_burden * a
            - firing * self._expected_ex_post(a)
            - self.carry_rate * self.bond
        )

    def outcomes(self, threshold, audit_prob) -> dict[str, np.ndarray]:
        """Participation, credible coverage, profit and the body's objective at (τ, a).

        Parameters
        ----------
        threshold : float or array_like
            Trigger threshold(s) τ ≥ 0, in severity units.
        audit_prob : float or array_like
            Audit probability (or probabilities) a ∈ (0, 1]; broadcasts against ``threshold``.

        Returns
        -------
        dict of str to ndarray
            ``participation``, ``credibility``, ``harm_share_triggered``,
            ``credible_coverage``, ``declared_coverage``, ``inflation``, ``incumbent_profit``
            and ``objective`` (see :class:`CaptureOutcome`), each of the broadcast shape.
        """
        tau = np.asarray(threshold, dtype=float)
        a = np.asarray(audit_prob, dtype=float)
        x = self.net_value(tau, a)
        k = self.cost_scale
        participation = -np.expm1(-np.maximum(x, 0.0) / k)
        profit = np.where(x > 0, x - k * participation, 0.0)
        trig = self.harm_share_triggered(tau)
        cred = self.credibility(a)
        covered = participation * trig * cred
        inflation = declared_inflation(self.rate, a, self.fine)
        return {
            "participation": participation,
            "credibility": cred,
            "harm_share_triggered": trig,
            "credible_coverage": covered,
            "declared_coverage": covered * (1.0 + inflation / self.capacity),
            "inflation": inflation,
            "incumbent_profit": profit,
            "objective": (1.0 - self.capture) * self.harm * covered + self.capture * profit,
        }

    def instrument_grid(self) -> tuple[np.ndarray, np.ndarray]:
        """The grids of thresholds [0, τ_max] and audit probabilities [a_min, 1].

        Returns
        -------
        thresholds, audit_probs : ndarray
            ``resolution`` evenly spaced points each.
        """
        n = self.resolution
        return (np.linspace(0.0, self.threshold_cap, n), np.linspace(self.audit_floor, 1.0, n))

    # -- the body's choice ---------------------------------------------------------------------
    def solve(self) -> CaptureOutcome:
        """The body's optimal (τ, a) on the instrument grid and its consequences.

        Returns
        -------
        CaptureOutcome
            The grid point maximizing (1 − θ)·H·CC + θ·π, and the outcomes there.
        """
        taus, audits = self.instrument_grid()
        tau, a = np.meshgrid(taus, audits, indexing="ij")
        out = self.outcomes(tau, a)
        k = int(np.argmax(out["objective"]))
        i, j = np.unravel_index(k, tau.shape)
        return CaptureOutcome(
            capture=self.capture,
            threshold=float(taus[i]),
            audit_prob=float(audits[j]),
            **{
                name: float(np.asarray(v)[i, j]) if np.ndim(v) else float(v)
                for name, v in out.items()
            },
        )

    # Old spellings, kept for one release (they warn).
    sweep = renamed_method("curve", "sweep")
    robustness = renamed_method("instrument_survival", "robustness")

    def curve(self, captures=None) -> CaptureCurve:
        """Outcomes for a grid of capture weights (default 21 points on [0, 1]).

        Parameters
        ----------
        captures : array_like, optional
            Capture weights θ, each in [0, 1] (solved in increasing order).

        Returns
        -------
        CaptureCurve
            One row per θ.

        Raises
        ------
        InvalidParameterError
            If ``captures`` is empty or holds a value outside [0, 1] or not finite.

        Examples
        --------
        >>> frame = CaptureModel().curve([0.0, 0.5, 1.0]).to_frame()
        >>> bool(frame["credible_coverage"].is_monotonic_decreasing)
        True
        """
        grid = np.linspace(0.0, 1.0, 21) if captures is None else np.asarray(captures, dtype=float)
        grid = grid.ravel()
        if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any((grid < 0) | (grid > 1)):
            raise InvalidParameterError(
                "CaptureModel.sweep",
                "captures",
                "an array of finite floats in [0, 1]",
                np.asarray(captures).tolist(),
            )
        rows = [self.replace(capture=float(t)).solve().to_dict() for t in np.sort(grid)]
        frame = pd.DataFrame(rows)
        first, last = frame.iloc[0], frame.iloc[-1]
        message = (
            f"capture {first['capture']:.2g} → {last['capture']:.2g}: credible coverage "
            f"{first['credible_coverage']:.3f} → {last['credible_coverage']:.3f}, "
            f"participation {first['participation']:.3f} → {last['participation']:.3f}, "
            f"declared coverage {first['declared_coverage']:.3f} → "
            f"{last['declared_coverage']:.3f}"
        )
        return CaptureCurve(frame=frame, message=message)

    def instrument_survival(
        self, changes: dict | None = None, *, captured: float = 1.0
    ) -> pd.DataFrame:
        """How much of each statutory instrument's effect on credible coverage survives capture.

        Parameters
        ----------
        changes : dict, optional
            Instrument name → new value (statutory instruments and discretionary limits).
            Default: raise the audit floor to 0.5, cap thresholds at one mean severity, and
            double the bond, the liability, the sanction and the incentive.
        captured : float
            The capture weight compared with θ = 0.

        Returns
        -------
        DataFrame
            One row per instrument: ``instrument``, ``value``, ``coverage_clean``,
            ``coverage_captured`` (credible coverage with the instrument at θ = 0 and at
            ``captured``), ``capture_loss`` (their difference: what capture still costs with
            the instrument in place), ``gain_clean``, ``gain_captured`` (change against the
            baseline at the same θ) and ``retained`` (gain_captured / gain_clean, NaN when
            the instrument changes coverage without capture by less than 0.1 %). An
            instrument is robust to capture when its gain survives capture; a cap or floor
            that does not bind without capture but binds under it protects coverage exactly
            when it is needed.

        Examples
        --------
        >>> table = CaptureModel().instrument_survival().set_index("instrument")
        >>> bool(table.loc["audit_floor", "gain_captured"] > 0)
        True
        """
        if changes is None:
            changes = {
                "audit_floor": 0.5,
                "threshold_cap": self.severity_scale,
                "bond": 2 * self.bond,
                "liability": 2 * self.liability,
                "sanction": 2 * self.sanction,
                "incentive": 2 * self.incentive,
            }
        allowed = STATUTORY
        for name in changes:
            if name not in allowed:
                raise InvalidParameterError(
                    "CaptureModel.robustness",
                    "changes",
                    "a mapping from " + ", ".join(map(repr, allowed)),
                    name,
                )
        base_clean = self.replace(capture=0.0).solve().credible_coverage
        base_captured = self.replace(capture=captured).solve().credible_coverage
        rows = []
        for name, value in changes.items():
            m = self.replace(**{name: value})
            clean = m.replace(capture=0.0).solve().credible_coverage
            capt = m.replace(capture=captured).solve().credible_coverage
            gain_clean, gain_capt = clean - base_clean, capt - base_captured
            rows.append(
                {
                    "instrument": name,
                    "value": float(value),
                    "coverage_clean": clean,
                    "coverage_captured": capt,
                    "capture_loss": clean - capt,
                    "gain_clean": gain_clean,
                    "gain_captured": gain_capt,
                    "retained": gain_capt / gain_clean
                    if abs(gain_clean) > 1e-3 * max(base_clean, 1e-12)
                    else math.nan,
                }
            )
        return pd.DataFrame(rows)
