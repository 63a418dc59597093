"""The lognormal response cost of a commitment (docs/guide/m3-commitment.md): credibility and expected costs.

When a trigger fires, a filer's realized response cost A is lognormal with median A_med and
log-scale dispersion σ, ln A ~ N(μ, σ²) with μ = ln A_med. It honours its plan iff A is at most
its stake S (what defecting costs it), so

* credibility is F(S) = P(A ≤ S) = Φ((ln S − μ)/σ);
* the expected cost of the responses carried out is the partial expectation
  E[A·1{A ≤ S}] = e^{μ+σ²/2}·Φ((ln S − μ − σ²)/σ);
* the expected ex post cost (it pays its response or loses its stake) is
  E[min(A, S)] = E[A·1{A ≤ S}] + S·Φ(−(ln S − μ)/σ).

:class:`~coordgap.CommitmentModel` and :class:`~coordgap.CaptureModel` both use these functions.
Every function is vectorized: the stake, the median and σ broadcast against each other, and a
stake of zero (or below) gives 0.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "lognormal_cdf",
    "lognormal_pdf",
    "lognormal_partial_expectation",
    "lognormal_expected_min",
]


def _ndtr(z) -> np.ndarray:
    """Φ(z), the standard normal distribution function, by ``scipy.special.ndtr``: a C ufunc,
    accurate in both tails. Imported here so that ``import coordgap`` does not load scipy."""
    from scipy.special import ndtr

    return ndtr(np.asarray(z, dtype=float))


def _log_stake(stake) -> tuple[np.ndarray, np.ndarray]:
    stake = np.asarray(stake, dtype=float)
    with np.errstate(divide="ignore"):
        return stake, np.log(stake)


def lognormal_cdf(stake, median, sigma) -> np.ndarray:
    """F(S) = Φ((ln S − ln A_med)/σ): the probability that the response cost is at most S.

    Parameters
    ----------
    stake : float or array_like
        S, the stake (0 or more).
    median, sigma : float or array_like
        A_med > 0 and σ > 0 of the lognormal response cost.

    Returns
    -------
    ndarray
        F(S), 0 where S ≤ 0.

    Examples
    --------
    >>> float(lognormal_cdf(2.0, 2.0, 0.5))   # the median
    0.5
    >>> float(lognormal_cdf(0.0, 2.0, 0.5))
    0.0
    """
    stake, log_s = _log_stake(stake)
    z = (log_s - np.log(median)) / sigma
    return np.where(stake > 0, _ndtr(z), 0.0)


def lognormal_pdf(stake, median, sigma) -> np.ndarray:
    """f(S) = φ((ln S − ln A_med)/σ)/(σ·S): the density of the response cost at S.

    Parameters
    ----------
    stake : float or array_like
        S, the stake (0 or more).
    median, sigma : float or array_like
        A_med > 0 and σ > 0 of the lognormal response cost.

    Returns
    -------
    ndarray
        f(S), 0 where S ≤ 0.

    Examples
    --------
    >>> round(float(lognormal_pdf(1.0, 1.0, 1.0)), 6)   # φ(0)
    0.398942
    """
    stake, log_s = _log_stake(stake)
    z = (log_s - np.log(median)) / sigma
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.exp(-0.5 * z * z) / (np.sqrt(2.0 * np.pi) * sigma * stake)
    return np.where(stake > 0, density, 0.0)


def lognormal_partial_expectation(stake, median, sigma) -> np.ndarray:
    """E[A·1{A ≤ S}] = e^{μ+σ²/2}·Φ((ln S − μ − σ²)/σ), μ = ln A_med.

    Parameters
    ----------
    stake : float or array_like
        S, the stake (0 or more).
    median, sigma : float or array_like
        A_med > 0 and σ > 0 of the lognormal response cost.

    Returns
    -------
    ndarray
        The expected response cost paid by a filer that honours iff A ≤ S; 0 where S ≤ 0.

    Examples
    --------
    >>> mean = float(np.exp(0.5**2 / 2))   # E[A] for A_med = 1, σ = 0.5
    >>> bool(np.isclose(lognormal_partial_expectation(1e9, 1.0, 0.5), mean))
    True
    """
    stake, log_s = _log_stake(stake)
    mu = np.log(median)
    partial = np.exp(mu + sigma**2 / 2) * _ndtr((log_s - mu - sigma**2) / sigma)
    return np.where(stake > 0, partial, 0.0)


def lognormal_expected_min(stake, median, sigma) -> np.ndarray:
    """E[min(A, S)] = E[A·1{A ≤ S}] + S·(1 − F(S)): the expected ex post cost at stake S.

    The survival 1 − F(S) is computed as Φ(−(ln S − μ)/σ), accurate far in the tail.

    Parameters
    ----------
    stake : float or array_like
        S, the stake (0 or more).
    median, sigma : float or array_like
        A_med > 0 and σ > 0 of the lognormal response cost.

    Returns
    -------
    ndarray
        E[min(A, S)], 0 where S ≤ 0.

    Examples
    --------
    >>> round(float(lognormal_expected_min(1.0, 1.0, 0.5)), 6)
    0.849619
    >>> bool(lognormal_expected_min(1e-3, 1.0, 0.5) <= 1e-3)   # never more than the stake
    True
    """
    stake, log_s = _log_stake(stake)
    survival = _ndtr(-(log_s - np.log(median)) / sigma)
    partial = lognormal_partial_expectation(stake, median, sigma)
    return np.where(stake > 0, partial + stake * survival, 0.0)
