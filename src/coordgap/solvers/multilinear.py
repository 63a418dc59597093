"""Every real root in the open unit box of a square system of multilinear polynomials.

A multilinear polynomial is stored by its values at the 2^k corners of [0, 1]^k (array of
shape (2,)*k, index 1 on an axis meaning p_j = 1). On any sub-box its values at the sub-box
corners are its Bernstein coefficients there, so its range on the sub-box lies between the
smallest and largest corner value (a multilinear function attains its extremes at vertices).

Branch and bound: boxes where some equation's corner values all share one strict sign hold
no root and are discarded; a box is accepted as holding exactly one root when the Krawczyk
operator maps the (slightly inflated) box into its interior, which proves existence and
uniqueness; the root is then polished by Newton's method. Boxes are bisected along their
widest side otherwise. Boxes that shrink below ``min_width`` without a proof (continua of
roots, roots of multiplicity > 1) are reported as uncertain. Everything is vectorized over
the boxes of one generation.
"""

from __future__ import annotations

import numpy as np

from ..tolerances import BOX_EDGE, INTERIOR, SAME_POINT

__all__ = ["unit_box_roots", "no_roots_in_unit_box"]


def _corner_values(tensors: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Values of each polynomial at the corners of each box.

    tensors: (m, 2, ..., 2) corner values on [0, 1]^k; lo, hi: (B, k).
    Returns (B, m, 2^k): one matrix product with the box's interpolation matrix, the
    Kronecker product over axes j of [[1 − lo_j, lo_j], [1 − hi_j, hi_j]] (row: the corner
    of the box, lo or hi; column: the corner of the unit box, 0 or 1).
    """
    axes = np.empty(lo.shape + (2, 2))  # (B, k, 2, 2): one interpolation matrix per axis
    axes[..., 0, 0], axes[..., 0, 1] = 1.0 - lo, lo
    axes[..., 1, 0], axes[..., 1, 1] = 1.0 - hi, hi
    rows = np.ones((lo.shape[0], 1, 1))
    for j in range(lo.shape[1]):
        size = rows.shape[1] * 2
        rows = (rows[:, :, None, :, None] * axes[:, j, None, :, None, :]).reshape(-1, size, size)
    return np.matmul(rows, tensors.reshape(tensors.shape[0], -1).T).transpose(0, 2, 1)


def _evaluate(tensors: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Values (B, m) of each polynomial at each point (B, k)."""
    axes = np.stack([1.0 - points, points], axis=-1)  # (B, k, 2)
    weights = np.ones((points.shape[0], 1))
    for j in range(points.shape[1]):
        weights = (weights[:, :, None] * axes[:, j, None, :]).reshape(points.shape[0], -1)
    return weights @ tensors.reshape(tensors.shape[0], -1).T


def _derivative_tensors(tensors: np.ndarray) -> np.ndarray:
    """Corner tensors of d f_i / d p_j, shape (m, k, 2, ..., 2)."""
    k = tensors.ndim - 1
    parts = []
    for j in range(k):
        diff = np.take(tensors, [1], axis=1 + j) - np.take(tensors, [0], axis=1 + j)
        parts.append(np.broadcast_to(diff, tensors.shape))
    return np.stack(parts, axis=1)


def unit_box_roots(
    tensors, *, min_width: float = 1e-10, max_boxes: int = 200_000, tol: float = 1e-12
):
    """Real roots in (0, 1)^k of k multilinear polynomials given by their corner values.

    Parameters
    ----------
    tensors : array_like, shape (k, 2, ..., 2)
        ``tensors[i][c]`` is polynomial i at the corner c of the unit box.
    min_width : float
        Boxes narrower than this that are neither excluded nor proved to hold one root are
        dropped (and ``certain`` becomes False).
    max_boxes : int
        Budget of boxes examined.
    tol : float
        A box is excluded when some polynomial's corner values (after scaling the system to
        a largest magnitude of 1) are all above ``tol`` or all below ``-tol``.

    Returns
    -------
    roots : ndarray, shape (r, k)
        Each certified (existence and uniqueness in a small box) and polished.
    certain : bool
        False when some box could not be resolved (continuum, multiple root, or the
        ``max_boxes`` budget ran out).

    Examples
    --------
    p0 + p1 = 1 and p0 = p1 (corner values of p0 + p1 − 1 and p0 − p1):

    >>> roots, ok = unit_box_roots([[[-1, 0], [0, 1]], [[0, -1], [1, 0]]])
    >>> roots.round(12).tolist(), ok
    ([[0.5, 0.5]], True)
    """
    tensors = np.asarray(tensors, dtype=float)
    k = tensors.shape[0]
    scale = float(np.abs(tensors).max()) or 1.0
    tensors = tensors / scale
    jac_tensors = _derivative_tensors(tensors)  # (k, k, 2..2)
    jac_flat = jac_tensors.reshape((k * k,) + tensors.shape[1:])
    lo = np.zeros((1, k))
    hi = np.ones((1, k))
    roots: list[np.ndarray] = []
    certain = True
    processed = 0
    while lo.shape[0]:
        processed += lo.shape[0]
        if processed > max_boxes:
            certain = False
            break
        values = _corner_values(tensors, lo, hi)
        holds = np.all((values.min(axis=2) <= tol) & (values.max(axis=2) >= -tol), axis=1)
        lo, hi = lo[holds], hi[holds]
        if not lo.shape[0]:
            break
        mid = 0.5 * (lo + hi)
        radius = 0.5 * (hi - lo)
        # Krawczyk test on the box inflated by 10 % (roots on a shared face get a proof too).
        inflated = 1.1 * radius + 1e-15
        f_mid = _evaluate(tensors, mid)
        j_mid = _evaluate(jac_flat, mid).reshape(-1, k, k)
        j_box = _corner_values(jac_flat, mid - inflated, mid + inflated)
        j_lo, j_hi = j_box.min(axis=2).reshape(-1, k, k), j_box.max(axis=2).reshape(-1, k, k)
        j_center, j_radius = 0.5 * (j_lo + j_hi), 0.5 * (j_hi - j_lo)
        with np.errstate(all="ignore"):
            invertible = np.abs(np.linalg.det(j_mid)) > 1e-300
            y = np.zeros_like(j_mid)
            if invertible.any():
                y[invertible] = np.linalg.inv(j_mid[invertible])
            step = np.einsum("bij,bj->bi", y, f_mid)
            spread = np.abs(np.eye(k) - np.einsum("bij,bjl->bil", y, j_center)) + np.einsum(
                "bij,bjl->bil", np.abs(y), j_radius
            )
            reach = np.einsum("bij,bj->bi", spread, inflated)
            k_center = mid - step
            inside = invertible & np.all(
                np.abs(k_center - mid) + reach < inflated * (1 - 1e-9), axis=1
            )
            empty = invertible & np.any(np.abs(k_center - mid) > reach + inflated, axis=1)
        for b in np.flatnonzero(inside):
            root = _newton(tensors, jac_flat, k_center[b], k)
            if np.all(root >= lo[b] - BOX_EDGE) and np.all(root <= hi[b] + BOX_EDGE):
                roots.append(root)
        rest = ~inside & ~empty
        lo, hi = lo[rest], hi[rest]
        width = hi - lo
        tiny = width.max(axis=1) < min_width if lo.shape[0] else np.zeros(0, bool)
        if tiny.any():
            certain = False
            lo, hi = lo[~tiny], hi[~tiny]
        if not lo.shape[0]:
            break
        lo, hi = _split(lo, hi)
    unique: list[np.ndarray] = []
    for r in roots:
        if not any(np.max(np.abs(r - u)) < SAME_POINT for u in unique):
            unique.append(r)
    inner = [r for r in unique if np.all(r > INTERIOR) and np.all(r < 1 - INTERIOR)]
    return (np.array(inner).reshape(-1, k), certain)


def _split(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Halve every box along its widest side: the two halves of each box, stacked."""
    axis = np.argmax(hi - lo, axis=1)
    rows = np.arange(lo.shape[0])
    cut = 0.5 * (lo[rows, axis] + hi[rows, axis])
    lo_right, hi_left = lo.copy(), hi.copy()
    lo_right[rows, axis] = cut
    hi_left[rows, axis] = cut
    return np.concatenate([lo, lo_right]), np.concatenate([hi_left, hi])


def no_roots_in_unit_box(tensors, *, max_boxes: int = 4096, tol: float = 1e-12) -> bool:
    """Whether the system provably has no real root in the closed unit box.

    Only the exclusion test of :func:`unit_box_roots` is used (some polynomial's corner values
    on a sub-box all share one strict sign), so it also applies to systems with fewer
    independent equations than unknowns, whose roots are never isolated. False means "not
    proved within ``max_boxes`` boxes".

    Parameters
    ----------
    tensors : array_like, shape (m, 2, ..., 2)
        ``tensors[i][c]`` is polynomial i at the corner c of the unit box (any m ≥ 1).
    max_boxes : int
        Budget of boxes examined.
    tol : float
        Exclusion margin, relative to the largest corner value.

    Returns
    -------
    bool
        True when every sub-box is excluded (no root); False otherwise.

    Examples
    --------
    p0 + p1 + 1 > 0 on the unit box; p0 − p1 vanishes on its diagonal:

    >>> no_roots_in_unit_box([[[1, 2], [2, 3]]]), no_roots_in_unit_box([[[0, -1], [1, 0]]])
    (True, False)
    """
    tensors = np.asarray(tensors, dtype=float)
    k = tensors.ndim - 1
    tensors = tensors / (float(np.abs(tensors).max()) or 1.0)
    lo, hi = np.zeros((1, k)), np.ones((1, k))
    processed = 0
    while lo.shape[0]:
        processed += lo.shape[0]
        if processed > max_boxes:
            return False
        values = _corner_values(tensors, lo, hi)
        holds = np.all((values.min(axis=2) <= tol) & (values.max(axis=2) >= -tol), axis=1)
        lo, hi = lo[holds], hi[holds]
        if not lo.shape[0]:
            break
        lo, hi = _split(lo, hi)
    return True


def _newton(tensors, jac_flat, x, k, steps: int = 30):
    x = x.copy()
    for _ in range(steps):
        f = _evaluate(tensors, x[None])[0]
        j = _evaluate(jac_flat, x[None]).reshape(k, k)
        try:
            dx = np.linalg.solve(j, f)
        except np.linalg.LinAlgError:
            break
        x = x - dx
        if np.max(np.abs(dx)) < 1e-16:
            break
    return x
