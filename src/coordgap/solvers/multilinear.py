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
from .compiled import engine_module

__all__ = ["unit_box_roots", "batch_unit_box_roots", "no_roots_in_unit_box"]


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


def _box_values(tensors: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Values of polynomials at the corners of boxes, one axis at a time.

    tensors: (B, m, 2^k) corner values on [0, 1]^k (flattened, axis 0 most significant), one
    set per box; lo, hi: (B, k). Returns (B, m, 2^k). Along each axis a multilinear polynomial
    is affine, so its values at lo_j and hi_j follow from those at 0 and 1: k cheap passes
    instead of the 2^k x 2^k interpolation matrix of :func:`_corner_values`.
    """
    b, m, size = tensors.shape
    k = lo.shape[1]
    out = tensors
    for j in range(k):
        v = out.reshape(b, m, 1 << j, 2, size >> (j + 1))
        v0 = v[:, :, :, 0]
        d = v[:, :, :, 1] - v0
        a = lo[:, j].reshape(b, 1, 1, 1)
        c = hi[:, j].reshape(b, 1, 1, 1)
        out = np.stack((v0 + a * d, v0 + c * d), axis=3).reshape(b, m, size)
    return out


def _point_weights(points: np.ndarray) -> np.ndarray:
    """Interpolation weights (B, 2^k) of points (B, k): value = weights @ corner values."""
    b, k = points.shape
    weights = np.ones((b, 1))
    for j in range(k):
        p = points[:, j, None, None]
        weights = np.concatenate(
            (weights[:, :, None] * (1.0 - p), weights[:, :, None] * p), axis=2
        ).reshape(b, -1)
    return weights


def _krawczyk(j_mid, j_lo, j_hi, f_mid, mid, radius):
    """Krawczyk test on the boxes mid ± radius, vectorized; ``j_lo``/``j_hi`` bound J there.

    Returns ``(y, invertible, inside, empty, unique, k_center)``: ``y`` the preconditioner
    (inverse of J at mid), ``inside`` where K(X) lies in the interior of X (exactly one root
    in X), ``empty`` where K(X) misses X (no root), ``unique`` where y·J(X) is strictly
    diagonally dominant (every matrix of the hull is regular, so F is one-to-one on X: at
    most one root).
    """
    k = mid.shape[1]
    j_center, j_radius = 0.5 * (j_lo + j_hi), 0.5 * (j_hi - j_lo)
    with np.errstate(all="ignore"):
        invertible = np.abs(np.linalg.det(j_mid)) > 1e-300
        y = np.zeros_like(j_mid)
        if invertible.any():
            y[invertible] = np.linalg.inv(j_mid[invertible])
        invertible &= np.all(np.isfinite(y), axis=(1, 2))
        step = np.einsum("bij,bj->bi", y, f_mid)
        m_center = np.einsum("bij,bjl->bil", y, j_center)
        m_radius = np.einsum("bij,bjl->bil", np.abs(y), j_radius)
        spread = np.abs(np.eye(k) - m_center) + m_radius
        reach = np.einsum("bij,bj->bi", spread, radius)
        k_center = mid - step
        inside = invertible & np.all(np.abs(step) + reach < radius * (1 - 1e-9), axis=1)
        empty = invertible & np.any(np.abs(step) > reach + radius, axis=1)
        diag = np.abs(np.diagonal(m_center, axis1=1, axis2=2)) - np.diagonal(
            m_radius, axis1=1, axis2=2
        )
        rows = (np.abs(m_center) + m_radius).sum(axis=2)
        off = (
            rows
            - np.abs(np.diagonal(m_center, axis1=1, axis2=2))
            - np.diagonal(m_radius, axis1=1, axis2=2)
        )
        unique = invertible & np.all(diag > off, axis=1)
    return y, invertible, inside, empty, unique, k_center


def _newton_batch(eqs, jacs, x, steps: int = 30):
    """Newton's method on many systems at once: eqs (B, k, 2^k), jacs (B, k*k, 2^k)."""
    b, k = x.shape
    x = x.copy()
    for _ in range(steps):
        w = _point_weights(x)
        f = np.einsum("bs,bms->bm", w, eqs)
        j = np.einsum("bs,bms->bm", w, jacs).reshape(b, k, k)
        with np.errstate(all="ignore"):
            ok = np.abs(np.linalg.det(j)) > 1e-300
            dx = np.zeros_like(x)
            if ok.any():
                dx[ok] = np.linalg.solve(j[ok], f[ok, :, None])[..., 0]
        dx[~np.isfinite(dx)] = 0.0
        x -= dx
        if np.max(np.abs(dx), initial=0.0) < 1e-16:
            break
    return x


def batch_unit_box_roots(
    systems,
    constraints=None,
    *,
    min_width: float = 1e-10,
    max_boxes: int = 200_000,
    tol: float = 1e-12,
    constraint_tol: float = 0.0,
    engine: str = "auto",
):
    """:func:`unit_box_roots` for many systems of the same size at once, with side conditions.

    The branch and bound of :func:`unit_box_roots` runs on the boxes of every system together
    (one set of array operations per generation for all of them). Two more tests cut boxes
    early, both sound:

    * preconditioned exclusion: with y the inverse Jacobian at a box's centre, y·F is again
      multilinear and vanishes wherever F does, so a row of y·F whose corner values on the
      box share one strict sign (beyond a margin of ``tol`` times the row's weight) proves
      the box empty; near a root these rows are close to p − root, far sharper than F;
    * uniqueness then existence: where y·J(X) is strictly diagonally dominant F is one-to-one
      on the (inflated) box X, so it holds at most one root; Newton's method from the centre
      and a Krawczyk proof on a box of radius 1e-10 around its limit show that root exists;
      the box is then settled without further bisection.

    Parameters
    ----------
    systems : array_like, shape (P, k, 2, ..., 2)
        P systems of k multilinear polynomials in k unknowns, by corner values.
    constraints : array_like, shape (P, r, 2, ..., 2), optional
        Polynomials that must be ``>= -constraint_tol`` at a root of interest: boxes where
        one of them is below ``-constraint_tol`` at every corner (hence everywhere in the
        box) are discarded. Not scaled.
    min_width, max_boxes, tol
        As for :func:`unit_box_roots` (``max_boxes`` is a budget per system).
    constraint_tol : float
        Slack of the constraints.
    engine : {"auto", "numpy", "numba"}
        ``"numba"`` runs the branch and bound compiled, one system and one box at a time
        (:mod:`coordgap.solvers._multilinear_jit`; the same tests on the same boxes, so the
        same roots); ``"auto"`` does so inside
        :func:`~coordgap.solvers.compiled.compiled_search` when numba is installed.

    Returns
    -------
    list of (ndarray, bool)
        Per system, its roots in the open unit box, shape (r, k), each certified (existence
        and uniqueness in a small box) and polished, and whether every box was resolved.
        Roots in discarded boxes (where a constraint fails) are not listed.

    Examples
    --------
    >>> [(r.round(12).tolist(), ok) for r, ok in batch_unit_box_roots(
    ...     [[[[-1, 0], [0, 1]], [[0, -1], [1, 0]]]], [[[[1, 1], [-1, -1]]]])]
    [([[0.5, 0.5]], True)]
    """
    systems = np.asarray(systems, dtype=float)
    n_sys, k = systems.shape[:2]
    size = 1 << k
    eqs = systems.reshape(n_sys, k, size)
    scale = np.abs(eqs).reshape(n_sys, -1).max(axis=1)
    eqs = eqs / np.where(scale > 0, scale, 1.0)[:, None, None]
    jacs = _derivative_tensors(eqs.reshape((n_sys * k,) + (2,) * k)).reshape(n_sys, k * k, size)
    if constraints is None:
        cons = np.zeros((n_sys, 0, size))
    else:
        cons = np.asarray(constraints, dtype=float).reshape(n_sys, -1, size)
    module = engine_module("batch_unit_box_roots", engine, "_multilinear_jit")
    if module is not None:
        roots, which, certain = module.solve_batch(
            np.ascontiguousarray(eqs),
            np.ascontiguousarray(jacs),
            np.ascontiguousarray(cons),
            float(min_width),
            int(max_boxes),
            float(tol),
            float(constraint_tol),
            BOX_EDGE,
        )
        found: list[list[np.ndarray]] = [[] for _ in range(n_sys)]
        for system, root in zip(which.tolist(), roots):
            found[system].append(root)
    else:
        found, certain = _array_search(eqs, jacs, cons, min_width, max_boxes, tol, constraint_tol)
    out = []
    for s in range(n_sys):
        unique_roots: list[np.ndarray] = []
        for r in found[s]:
            if not any(np.max(np.abs(r - u)) < SAME_POINT for u in unique_roots):
                unique_roots.append(r)
        inner = [r for r in unique_roots if np.all(r > INTERIOR) and np.all(r < 1 - INTERIOR)]
        out.append((np.array(inner).reshape(-1, k), bool(certain[s])))
    return out


def _array_search(eqs, jacs, cons, min_width, max_boxes, tol, constraint_tol):
    """The branch and bound as arrays: every box of a generation of every system at once.

    Returns the roots settled per system (twins across faces not yet merged) and whether
    each system's boxes were all resolved.
    """
    n_sys, k = eqs.shape[:2]
    polys = np.concatenate([eqs, cons], axis=1)
    pid = np.arange(n_sys)
    lo, hi = np.zeros((n_sys, k)), np.ones((n_sys, k))
    certain = np.ones(n_sys, dtype=bool)
    processed = np.zeros(n_sys, dtype=np.int64)
    found: list[list[np.ndarray]] = [[] for _ in range(n_sys)]
    tiny = 1e-10  # radius of the existence box around a Newton limit

    def keep(mask):
        nonlocal pid, lo, hi
        pid, lo, hi = pid[mask], lo[mask], hi[mask]

    while pid.size:
        processed += np.bincount(pid, minlength=n_sys)
        over = processed > max_boxes
        if over.any():
            certain[over] = False
            keep(~over[pid])
            processed[over] = np.iinfo(np.int64).min // 2  # drop these systems for good
            if not pid.size:
                break
        values = _box_values(polys[pid], lo, hi)
        e = values[:, :k]
        holds = np.all((e.min(axis=2) <= tol) & (e.max(axis=2) >= -tol), axis=1)
        if cons.shape[1]:
            holds &= np.all(values[:, k:].max(axis=2) >= -constraint_tol, axis=1)
        keep(holds)
        if not pid.size:
            break
        e = e[holds]
        mid, radius = 0.5 * (lo + hi), 0.5 * (hi - lo)
        # Krawczyk on the box inflated by 10 % (roots on a shared face get a proof too).
        inflated = 1.1 * radius + 1e-15
        jb = _box_values(jacs[pid], mid - inflated, mid + inflated)
        n_box = pid.size
        j_lo = jb.min(axis=2).reshape(n_box, k, k)
        j_hi = jb.max(axis=2).reshape(n_box, k, k)
        j_mid = jb.mean(axis=2).reshape(n_box, k, k)  # a multilinear map's centre value
        f_mid = e.mean(axis=2)
        y, invertible, inside, empty, unique, k_center = _krawczyk(
            j_mid, j_lo, j_hi, f_mid, mid, inflated
        )
        with np.errstate(all="ignore"):
            pre = np.einsum("bij,bjs->bis", y, e)
            margin = tol * np.abs(y).sum(axis=2)
            empty |= invertible & np.any(
                (pre.min(axis=2) > margin) | (pre.max(axis=2) < -margin), axis=1
            )
        inside &= ~empty
        settled = inside.copy()
        if inside.any():
            b = np.flatnonzero(inside)
            roots = _newton_batch(eqs[pid[b]], jacs[pid[b]], k_center[b])
            within = np.all((roots >= lo[b] - BOX_EDGE) & (roots <= hi[b] + BOX_EDGE), axis=1)
            for s, r in zip(pid[b][within], roots[within]):
                found[s].append(r)
        trial = unique & ~inside & ~empty
        if trial.any():
            b = np.flatnonzero(trial)
            x = _newton_batch(eqs[pid[b]], jacs[pid[b]], mid[b])
            # the existence box must lie in the inflated box, where the root is unique
            near = np.all(np.abs(x - mid[b]) <= inflated[b] - tiny, axis=1)
            b, x = b[near], x[near]
            if b.size:
                r = np.full_like(x, tiny)
                jt = _box_values(jacs[pid[b]], x - r, x + r)
                f_x = np.einsum("bs,bms->bm", _point_weights(x), eqs[pid[b]])
                proved = _krawczyk(
                    jt.mean(axis=2).reshape(-1, k, k),
                    jt.min(axis=2).reshape(-1, k, k),
                    jt.max(axis=2).reshape(-1, k, k),
                    f_x,
                    x,
                    r,
                )[2]
                b, x = b[proved], x[proved]
                settled[b] = True
                # the one root of the inflated box is within `tiny` of x: it is in this
                # box if x is within `tiny` of it (twins across a face are merged below)
                mine = np.all((x >= lo[b] - tiny) & (x <= hi[b] + tiny), axis=1)
                for s, root in zip(pid[b][mine], x[mine]):
                    found[s].append(root)
        keep(~settled & ~empty)
        if not pid.size:
            break
        small = (hi - lo).max(axis=1) < min_width
        if small.any():
            certain[np.unique(pid[small])] = False
            keep(~small)
            if not pid.size:
                break
        pid, lo, hi = _split_all(pid, lo, hi)
    return found, certain


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
    return batch_unit_box_roots(tensors[None], min_width=min_width, max_boxes=max_boxes, tol=tol)[0]


def _split_all(pid: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """Halve every box along each of its sides (2^k children): one generation per halving.

    Fewer, fuller generations than bisection along one side at a time: the boxes of a
    generation are handled together, so the cost is mostly per generation.
    """
    k = lo.shape[1]
    corners = ((np.arange(1 << k)[:, None] >> np.arange(k)[::-1]) & 1).astype(float)  # (2^k, k)
    half = 0.5 * (hi - lo)
    new_lo = lo[:, None, :] + corners[None] * half[:, None, :]
    new_hi = np.where(corners[None] == 1, hi[:, None, :], new_lo + half[:, None, :])
    return np.repeat(pid, 1 << k), new_lo.reshape(-1, k), new_hi.reshape(-1, k)


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
