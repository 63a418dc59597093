"""Metric models: what a sweep or a Monte Carlo study evaluates at one parameter point.

A metric model has ``evaluate(cell, seed) -> dict`` and may have ``evaluate_grid(columns)``, a
closed form over whole arrays of parameter values (``NotImplemented`` when none applies).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import special

from ..errors import DegenerateGameWarning, InvalidParameterError, did_you_mean
from ..games.preparedness import PreparednessGame, interior_aggregate, linear_sum_robustness
from .gap import gap

__all__ = ["PreparednessMetrics", "PREPAREDNESS_METRICS"]

PREPAREDNESS_METRICS = (
    "robustness_nash",
    "robustness_opt",
    "robustness_ratio",
    "residual_harm_nash",
    "residual_harm_opt",
    "residual_harm_ratio",
    "welfare_nash",
    "welfare_opt",
    "welfare_loss",
    "price_of_anarchy",
)
_GAME_KEYS = ("prob", "harm", "efficacy", "baseline", "cost_exponent")
_SCALE_KEYS = ("share_scale", "cost_scale")


@dataclass(frozen=True, slots=True, eq=False)
class PreparednessMetrics:
    """Gap metrics of a preparedness game as its parameters move.

    Grid keys: the game-level parameters ``prob``, ``harm``, ``efficacy``, ``baseline``,
    ``cost_exponent``, and the multipliers ``share_scale`` (every s_i times σ: smaller σ means a
    more diffuse benefit) and ``cost_scale`` (every c_i times τ). Metrics refer to the worst
    equilibrium: see :data:`PREPAREDNESS_METRICS`.

    With the ``sum`` aggregator the whole grid is evaluated at once in closed form (Wright ω
    for γ > 1, Bergstrom–Blume–Varian for γ = 1); otherwise each cell is solved.

    Parameters
    ----------
    game : PreparednessGame
        The game at the reference point; grid values replace or scale its parameters.
    """

    game: PreparednessGame

    def _check(self, keys) -> None:
        for key in keys:
            if key not in _GAME_KEYS + _SCALE_KEYS:
                raise InvalidParameterError(
                    "PreparednessMetrics",
                    "grid",
                    "keyed by " + ", ".join(_GAME_KEYS + _SCALE_KEYS),
                    key,
                    did_you_mean(key, _GAME_KEYS + _SCALE_KEYS),
                )

    def cell_game(self, cell: dict) -> PreparednessGame:
        """The game at one grid point (validated like any game).

        Parameters
        ----------
        cell : dict
            Grid key → value at this point (keys as in the class description).

        Returns
        -------
        PreparednessGame
            A copy of ``game`` with the cell's values applied.
        """
        self._check(cell)
        g = self.game
        changes = {k: float(v) for k, v in cell.items() if k in _GAME_KEYS}
        if "share_scale" in cell:
            changes["share"] = g.share * float(cell["share_scale"])
        if "cost_scale" in cell:
            changes["cost"] = g.cost * float(cell["cost_scale"])
        return g.replace(**changes)

    def evaluate(self, cell: dict, seed=None) -> dict:
        """Every metric at one grid point, solving its game (certificates skipped).

        Parameters
        ----------
        cell : dict
            Grid key → value at this point.
        seed : optional
            Ignored (the metrics are deterministic); accepted for the metric-model protocol.

        Returns
        -------
        dict of str to float
            One value per name in :data:`PREPAREDNESS_METRICS` (worst equilibrium).
        """
        with warnings.catch_warnings():
            # Ties among providers do not change any aggregate metric reported here.
            warnings.simplefilter("ignore", DegenerateGameWarning)
            report = gap(self.cell_game(cell), certify=False)
        return {
            "robustness_nash": report.robustness_worst,
            "robustness_opt": report.robustness_opt,
            "robustness_ratio": report.robustness_ratio_worst,
            "residual_harm_nash": report.residual_harm_worst,
            "residual_harm_opt": report.residual_harm_opt,
            "residual_harm_ratio": report.residual_harm_ratio_worst,
            "welfare_nash": report.welfare_worst,
            "welfare_opt": report.welfare_opt,
            "welfare_loss": report.welfare_loss_worst,
            "price_of_anarchy": report.price_of_anarchy,
        }

    def evaluate_grid(self, columns: dict):
        """Every metric over whole columns of grid values at once, in closed form.

        Parameters
        ----------
        columns : dict of str to array_like
            Grid key → one value per cell (equal lengths); missing keys take the game's value.

        Returns
        -------
        dict of str to ndarray or NotImplemented
            One array per name in :data:`PREPAREDNESS_METRICS`; ``NotImplemented`` unless the
            aggregator is ``sum`` (then the cells are solved one by one).
        """
        self._check(columns)
        g = self.game
        if g.aggregator != "sum":
            return NotImplemented
        n = len(next(iter(columns.values())))

        def col(key, default):
            return np.asarray(columns.get(key, np.full(n, default)), dtype=float)

        p, h, k = col("prob", g.prob), col("harm", g.harm), col("efficacy", g.efficacy)
        r0, gamma = col("baseline", g.baseline), col("cost_exponent", g.cost_exponent)
        sigma, tau = col("share_scale", 1.0), col("cost_scale", 1.0)
        self._validate_columns(p, h, k, r0, gamma, sigma, tau)
        assert g.n_actors is not None  # set when the game was validated
        out = {}
        for label, share_factor in (("nash", sigma), ("opt", None)):
            r, cost = np.empty(n), np.empty(n)
            for gm in np.unique(gamma):
                m = gamma == gm
                s = g.share if share_factor is not None else np.ones(g.n_actors)
                sf = share_factor[m] if share_factor is not None else np.ones(m.sum())
                private = g.private_cost if share_factor is not None else g.cost
                r[m], cost[m] = _sum_closed_form(
                    s, g.weight, private, g.cost, float(gm), p[m], h[m], k[m], r0[m], sf, tau[m]
                )
            out[f"robustness_{label}"] = r
            out[f"residual_harm_{label}"] = p * h * np.exp(-k * r)
            out[f"welfare_{label}"] = -p * h * np.expm1(-k * r) - cost
        out["robustness_ratio"] = _safe_ratio(out["robustness_nash"], out["robustness_opt"])
        out["residual_harm_ratio"] = _safe_ratio(
            out["residual_harm_nash"], out["residual_harm_opt"]
        )
        out["welfare_loss"] = out["welfare_opt"] - out["welfare_nash"]
        out["price_of_anarchy"] = _safe_ratio(out["welfare_opt"], out["welfare_nash"])
        return {key: out[key] for key in PREPAREDNESS_METRICS}

    def _validate_columns(self, p, h, k, r0, gamma, sigma, tau) -> None:
        g = self.game
        rules = [
            ("prob", p, (p >= 0) & (p <= 1), "a float in [0, 1]"),
            ("harm", h, h >= 0, "a float >= 0"),
            ("efficacy", k, k > 0, "a float > 0"),
            ("baseline", r0, r0 >= 0, "a float >= 0"),
            ("cost_exponent", gamma, gamma >= 1, "a float >= 1"),
            ("cost_scale", tau, tau > 0, "a float > 0"),
            (
                "share_scale",
                sigma,
                (sigma > 0)
                & (sigma * float(np.sum(g.share)) <= 1 + 1e-12)
                & (sigma * float(np.max(g.share)) <= 1),
                "a float > 0 that keeps every share <= 1 and their sum <= 1",
            ),
        ]
        for name, values, ok, rule in rules:
            if not np.all(ok):
                bad = float(values[np.flatnonzero(~ok)[0]])
                raise InvalidParameterError("PreparednessMetrics", f"grid[{name!r}]", rule, bad)


def _safe_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    tiny = 1e-12
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    both_zero = (np.abs(den) <= tiny) & (np.abs(num) <= tiny)
    out = np.where(both_zero, 1.0, out)
    return np.where((np.abs(den) <= tiny) & ~both_zero, math.inf, out)


def _sum_closed_form(share, weight, private_cost, cost, gamma, p, h, k, r0, sigma, tau):
    """Equilibrium robustness and total (social) cost of a ``sum`` game over arrays of cells.

    Best responses use ``private_cost``, the social cost uses ``cost``; shares are multiplied by
    σ and costs by τ per cell; the actor-level sums are computed once. The robustness comes from
    the closed forms of the game (:func:`~coordgap.games.preparedness.linear_sum_robustness`
    for γ = 1, :func:`~coordgap.games.preparedness.interior_aggregate` for γ > 1), which the
    solver uses as well.
    """
    scale = p * h * k
    positive = scale > 0
    if gamma == 1.0:
        ratio = share * weight / private_cost
        j = int(np.argmax(ratio))
        r = linear_sum_robustness(scale, sigma * ratio[j] / tau, k, r0)
        total_cost = tau * cost[j] * (r - r0) / weight[j]
        return r, total_cost
    with np.errstate(divide="ignore"):
        log_scale = np.log(np.where(positive, scale, 1.0))
    e = 1.0 / (gamma - 1.0)
    log_c = float(special.logsumexp(np.log(weight) + e * np.log(share * weight / private_cost)))
    big_k = (gamma - 1.0) * (log_c + e * np.log(sigma / tau)) + log_scale - k * r0
    aggregate = np.where(positive, interior_aggregate(big_k, k, gamma), 0.0)
    r = r0 + aggregate
    mb = scale * np.exp(-k * r)
    # Σ c_i x_i^γ/γ with x_i = (σ s_i w_i B'/(τ φ_i c_i))^(1/(γ−1)), φ_i c_i the private cost.
    log_d = float(
        special.logsumexp(np.log(cost) + gamma * e * np.log(share * weight / private_cost))
    )
    with np.errstate(divide="ignore"):
        total_cost = (
            np.exp(
                log_d
                + gamma * e * np.log(np.where(positive, mb, 1.0))
                + gamma * e * np.log(sigma)
                + (1.0 - gamma * e) * np.log(tau)
            )
            / gamma
        )
    return r, np.where(positive, total_cost, 0.0)
