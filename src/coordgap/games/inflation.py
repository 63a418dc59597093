"""Performative compliance: declared-capacity inflation under random audits (docs/guide/m3-commitment.md).

A filer paid α per declared capacity unit may declare q̂ ≥ q, its true capacity; an audit
(probability a) fines φ per squared unit of shortfall. Maximizing α·q̂ − a·φ·(q̂ − q)² gives the
inflation q̂ − q = α/(2aφ) and a rent α²/(4aφ). :func:`declared_inflation` and
:func:`inflation_rent` are the one implementation of these formulas: the policy model
(:attr:`coordgap.PolicyModel.inflation`), the capture model (:class:`~coordgap.CaptureModel`)
and :func:`coordgap.performative_compliance` use them.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InvalidParameterError

__all__ = ["declared_inflation", "inflation_rent"]


def declared_inflation(rate, audit_prob, fine):
    """q̂ − q = α/(2aφ): the declared-capacity inflation that maximizes α·q̂ − aφ(q̂ − q)².

    Infinite when the audit probability or the fine is zero (nothing checks declarations).

    Parameters
    ----------
    rate : float or array_like
        α ≥ 0, incentive per declared capacity unit (0 gives no inflation).
    audit_prob : float or array_like
        a ∈ [0, 1], probability that a filing is audited.
    fine : float or array_like
        φ ≥ 0, fine per squared unit of shortfall.

    Returns
    -------
    float or ndarray
        The inflation per filer (a float when every input is a scalar).

    Raises
    ------
    InvalidParameterError
        On NaN/inf, a negative rate or fine, or an audit probability outside [0, 1].

    Examples
    --------
    >>> declared_inflation(0.2, 0.5, 2.0)
    0.1
    >>> declared_inflation(0.2, [0.1, 1.0], 2.0)
    array([0.5 , 0.05])
    """
    values = (rate, audit_prob, fine)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return _scalar_inflation(*(float(v) for v in values))  # fast path, same numbers
    rate, audit_prob, fine = (np.asarray(v, dtype=float) for v in values)
    for name, v, lo in (("rate", rate, 0.0), ("audit_prob", audit_prob, 0.0), ("fine", fine, 0.0)):
        if not np.all(np.isfinite(v)) or np.any(v < lo) or (name == "audit_prob" and np.any(v > 1)):
            rule = "a finite float in [0, 1]" if name == "audit_prob" else "a finite float >= 0"
            raise InvalidParameterError("declared_inflation", name, rule, v.tolist())
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(rate == 0, 0.0, rate / (2.0 * audit_prob * fine))
    return float(out) if out.ndim == 0 else out


def _scalar_inflation(rate: float, audit_prob: float, fine: float) -> float:
    for name, v in (("rate", rate), ("audit_prob", audit_prob), ("fine", fine)):
        if not math.isfinite(v) or v < 0 or (name == "audit_prob" and v > 1):
            rule = "a finite float in [0, 1]" if name == "audit_prob" else "a finite float >= 0"
            raise InvalidParameterError("declared_inflation", name, rule, v)
    if rate == 0:
        return 0.0
    denominator = 2.0 * audit_prob * fine
    return rate / denominator if denominator != 0 else math.inf


def inflation_rent(rate, audit_prob, fine):
    """α²/(4aφ): a filer's expected gain from declaring the inflation α/(2aφ).

    Parameters
    ----------
    rate : float or array_like
        α ≥ 0, incentive per declared capacity unit.
    audit_prob : float or array_like
        a ∈ (0, 1], probability that a filing is audited.
    fine : float or array_like
        φ > 0, fine per squared unit of shortfall.

    Returns
    -------
    float or ndarray
        The rent α·(q̂ − q) − aφ(q̂ − q)² at the optimal inflation (inputs are not checked:
        callers validate them).

    Examples
    --------
    >>> round(inflation_rent(0.2, 0.5, 2.0), 12)   # α·0.1 − aφ·0.1²
    0.01
    """
    return rate**2 / (4.0 * audit_prob * fine)
