"""The QRE solver's own payoff algebra: action values and their cross-derivatives.

u_i(a, p_−i), the expected payoff of each pure action of each player against the others'
mixed strategies, and ∂u_i(a)/∂p_k(b), on unvalidated profiles. The branch equations
(:mod:`.equations`) are built from these. They are deliberately not the certificate's
routines (:mod:`coordgap.solvers.certify`): the residual and regret that certify a returned
QRE are computed by code that shares nothing numerical with this module.
"""

from __future__ import annotations

import numpy as np

_SMALL_TABLE = 4096  # payoff entries up to which one einsum per player is used


def _letters(n: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[:n]


def _action_values(payoffs: np.ndarray, probs) -> list[np.ndarray]:
    """u_i(a, p_−i) for each player i and pure action a (no validation of ``probs``).

    Two players: u_1 = A·p_2 and u_2 = p_1·B, two matrix-vector products. More players: one
    einsum per player for small tables, else the others' strategies summed out one axis at a
    time, from the last player to the first.

    Parameters
    ----------
    payoffs : ndarray
        Shape (n_0, ..., n_{N-1}, N), player on the last axis.
    probs : sequence of ndarray
        One probability vector per player.

    Returns
    -------
    list of ndarray
        The action values of each player.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[3.0, 0.0], [0.0, 1.0]])
    >>> payoffs = np.stack([a, a.T], axis=-1)
    >>> [v.tolist() for v in _action_values(payoffs, [np.array([1.0, 0.0])] * 2)]
    [[3.0, 0.0], [3.0, 0.0]]
    """
    payoffs = np.asarray(payoffs, dtype=float)
    probs = [np.asarray(p, dtype=float) for p in probs]
    n = len(probs)
    if n == 2:
        return [payoffs[..., 0] @ probs[1], probs[0] @ payoffs[..., 1]]
    if payoffs.size <= _SMALL_TABLE and n <= 26:
        idx = _letters(n)
        out = []
        for i in range(n):
            others = [j for j in range(n) if j != i]
            spec = idx + "," + ",".join(idx[j] for j in others) + "->" + idx[i]
            out.append(np.einsum(spec, payoffs[..., i], *(probs[j] for j in others)))
        return out
    out = []
    for i in range(n):
        table = payoffs[..., i]
        for j in range(n - 1, -1, -1):  # the last axes first, so axis j is still axis j
            if j != i:
                table = np.tensordot(table, probs[j], axes=([j], [0]))
        out.append(np.asarray(table, dtype=float))
    return out


def _cross_values(payoffs: np.ndarray, probs, i: int, k: int) -> np.ndarray:
    """∂u_i(a)/∂p_k(b): i's payoff of a when k plays b, the others mixing (i ≠ k)."""
    n = payoffs.ndim - 1
    idx = _letters(n)
    operands = [payoffs[..., i]] + [probs[j] for j in range(n) if j not in (i, k)]
    spec = idx + "".join("," + idx[j] for j in range(n) if j not in (i, k)) + "->" + idx[i] + idx[k]
    return np.einsum(spec, *operands)
