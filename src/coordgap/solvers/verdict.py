"""The certificate's verdict: ``success`` means every reported equilibrium passed its certificate.

Every solver computes each equilibrium's ``max_regret`` independently of its own algorithm
(:mod:`coordgap.solvers.certify`). This module turns those regrets into the result's
``success``, ``status`` and ``message``, with one rule for every game family:

    regret_i <= tol · scale_i + floor_i        for every player (or actor) i,

where ``scale_i`` is the payoff scale of player i (for a normal-form game, the range
max − min of its payoffs, so the test is unchanged by rescaling or shifting a player's
payoffs) and ``floor_i`` absorbs floating-point rounding of payoffs of size |u_i| (it is 0 for
an all-zero player, whose regrets are exactly 0). A regret that is NaN never passes.
When some equilibrium fails, the verdict is ``success=False``, ``status=1``, a message naming
the equilibrium (its index in the list), its regret and the tolerance, and a
:class:`~coordgap.errors.CertificateWarning`.

Use :func:`certified` for the verdict alone, or :func:`certified_set` to build the
:class:`~coordgap.results.EquilibriumSet` with it; :func:`payoff_scale` gives the scale and
floor of a payoff array.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from ..errors import CertificateWarning
from ..results import EquilibriumSet

__all__ = ["DEFAULT_TOL", "Verdict", "payoff_scale", "certified", "certified_set"]

#: Default relative tolerance: a regret up to 1e-9 of the player's payoff range passes.
DEFAULT_TOL = 1e-9
#: Rounding allowance per unit of payoff magnitude (a few hundred ulps of accumulated error).
ROUNDING = 256 * float(np.finfo(float).eps)
_SHOWN = 3  # failing equilibria named in the message


class Verdict(NamedTuple):
    """``(success, status, message)`` of a set of certified equilibria (unpacks as a tuple)."""

    success: bool
    status: int
    message: str


def payoff_scale(payoffs, *, axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """Per-player payoff range and rounding floor of a payoff array.

    Parameters
    ----------
    payoffs : array_like
        Payoffs with the player on ``axis`` (a normal-form table has shape
        (n_0, ..., n_{N-1}, N)).
    axis : int
        The player axis.

    Returns
    -------
    scale : ndarray
        max − min of each player's payoffs (0 for a player whose payoffs are constant).
    floor : ndarray
        ``ROUNDING`` times each player's largest absolute payoff: the regret that rounding
        alone can produce (exactly 0 for an all-zero player).

    Examples
    --------
    >>> scale, floor = payoff_scale([[[1e-12, -1e-12], [-1e-12, 1e-12]],
    ...                              [[-1e-12, 1e-12], [1e-12, -1e-12]]])
    >>> scale.tolist(), bool(floor.max() < 1e-24)
    ([2e-12, 2e-12], True)
    """
    values = np.moveaxis(np.asarray(payoffs, dtype=float), axis, -1)
    flat = values.reshape(-1, values.shape[-1])
    with np.errstate(over="ignore"):  # a range beyond the largest float is inf: all pass
        scale = flat.max(axis=0) - flat.min(axis=0)
    floor = ROUNDING * np.abs(flat).max(axis=0)
    return scale, floor


def _regret_vector(record) -> np.ndarray:
    """The record's per-player ``regrets`` when it has them, else its scalar ``max_regret``."""
    per_player = getattr(record, "regrets", None)
    if per_player is not None:
        return np.asarray(per_player, dtype=float).ravel()
    return np.array([float(record.max_regret)])


def certified(
    equilibria: Sequence,
    *,
    scale,
    tol: float = DEFAULT_TOL,
    method: str,
    floor=0.0,
    message: str = "",
    warn: bool = True,
    stacklevel: int = 1,
) -> Verdict:
    """The verdict of the certificates of ``equilibria``.

    Parameters
    ----------
    equilibria : sequence of records
        Each with ``max_regret`` and optionally ``regrets`` (one regret per player, same order
        as ``scale``). An empty sequence passes (there is nothing to certify).
    scale : float or array_like
        Payoff scale, one number for every player or one per player (see
        :func:`payoff_scale`). A record with only a scalar ``max_regret`` is held to the
        smallest player's allowance, which is conservative.
    tol : float
        Relative tolerance.
    method : str
        Name of the algorithm, for the warning.
    floor : float or array_like
        Absolute allowance added per player (rounding; see :func:`payoff_scale`).
    message : str
        The solver's own message; the verdict's text is appended to it on failure.
    warn : bool
        Emit a :class:`~coordgap.errors.CertificateWarning` on failure.
    stacklevel : int
        As for :func:`warnings.warn`, counted from the caller of this function.

    Returns
    -------
    Verdict
        ``(True, 0, message)`` when every regret is within its allowance, else
        ``(False, 1, message + "; certificate failed: equilibrium k has max regret r >
        tolerance t ...")``.

    Examples
    --------
    >>> from types import SimpleNamespace as Record
    >>> certified([Record(max_regret=1e-13)], scale=1.0, method="demo")
    Verdict(success=True, status=0, message='')
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     v = certified([Record(max_regret=0.0), Record(max_regret=0.5)], scale=2.0,
    ...                   method="demo", message="two profiles")
    >>> v.success, v.status
    (False, 1)
    >>> v.message
    'two profiles; certificate failed: equilibrium 1 has max regret 0.5 > tolerance 2e-09 (1 of 2 equilibria fail)'
    """
    allowed = tol * np.asarray(scale, dtype=float).ravel() + np.asarray(floor, dtype=float).ravel()
    if _all_pass(equilibria, allowed):
        return Verdict(True, 0, message)
    failing = []
    for k, record in enumerate(equilibria):
        regrets = _regret_vector(record)
        limit = allowed if regrets.size == allowed.size or allowed.size == 1 else allowed.min()
        with np.errstate(invalid="ignore"):
            bad = ~(regrets <= limit)  # NaN never passes
        if np.any(bad):
            slack = np.where(bad, regrets - limit, -np.inf)
            i = int(np.nanargmax(np.nan_to_num(slack, nan=np.inf)))
            shown_limit = float(np.broadcast_to(limit, regrets.shape)[i])
            failing.append((k, float(regrets[i]), shown_limit))
    if not failing:
        return Verdict(True, 0, message)
    named = "; ".join(
        f"equilibrium {k} has max regret {r:.3g} > tolerance {t:.3g}"
        for k, r, t in failing[:_SHOWN]
    )
    more = len(failing) - min(len(failing), _SHOWN)
    text = (
        f"certificate failed: {named}"
        + (f" and {more} more" if more else "")
        + f" ({len(failing)} of {len(equilibria)} equilibria fail)"
    )
    if warn:
        warnings.warn(f"{method}: {text}", CertificateWarning, stacklevel=stacklevel + 1)
    return Verdict(False, 1, f"{message}; {text}" if message else text)


def _all_pass(equilibria: Sequence, allowed: np.ndarray) -> bool:
    """Whether every record's per-player regrets (float vectors, one per player) are within
    ``allowed``, all compared at once; False also when some record lacks such a vector (the
    record-by-record check then decides)."""
    vectors = [getattr(record, "regrets", None) for record in equilibria]
    if not vectors or not all(
        type(v) is np.ndarray and v.dtype == float and v.shape == allowed.shape for v in vectors
    ):
        return False
    return bool(np.all(np.array(vectors) <= allowed))  # NaN never passes


def certified_set(
    equilibria: Sequence,
    *,
    method: str,
    complete: bool,
    scale,
    tol: float = DEFAULT_TOL,
    floor=0.0,
    message: str = "",
    ok: bool = True,
    status: int = 1,
    warn: bool = True,
    stacklevel: int = 1,
    **fields,
) -> EquilibriumSet:
    """An :class:`~coordgap.results.EquilibriumSet` whose ``success`` is the certificate's verdict.

    Parameters
    ----------
    equilibria, scale, tol, floor, message, warn, method
        As for :func:`certified`.
    complete : bool
        Whether the method proves the list complete; reported only if the certificate passes.
    ok : bool
        The solver's own verdict (False when it stopped early, e.g. on a budget); it has
        already warned about it. ``success`` is ``ok`` and the certificate's verdict.
    status : int
        Status reported when ``ok`` is False and the certificate passes.
    stacklevel : int
        As for :func:`warnings.warn`, counted from the caller of this function.
    **fields
        Other :class:`~coordgap.results.EquilibriumSet` fields (``continuum``,
        ``n_equilibria``, ``details``, ``game``).

    Returns
    -------
    EquilibriumSet
        ``success`` is ``ok`` and the certificate's verdict; ``complete`` holds only when the
        certificate passes; a failed certificate's message names the failing equilibrium.

    Examples
    --------
    >>> from types import SimpleNamespace as Record
    >>> eqs = certified_set([Record(max_regret=0.0)], method="demo", complete=True, scale=1.0)
    >>> eqs.success, eqs.status, eqs.complete
    (True, 0, True)
    """
    verdict = certified(
        equilibria,
        scale=scale,
        tol=tol,
        method=method,
        floor=floor,
        message=message,
        warn=warn,
        stacklevel=stacklevel + 1,
    )
    success = bool(ok and verdict.success)
    code = verdict.status if not verdict.success else (0 if ok else status)
    return EquilibriumSet(
        equilibria=tuple(equilibria),
        method=method,
        complete=bool(complete and verdict.success),
        success=success,
        status=code,
        message=verdict.message,
        **fields,
    )
