"""The branch and bound of :mod:`coordgap.solvers.multilinear`, compiled by numba.

The same tests on the same boxes as :func:`~coordgap.solvers.multilinear.batch_unit_box_roots`
— exclusion by corner signs, the side conditions, the Krawczyk proof of one root, the
preconditioned exclusion, uniqueness then existence around a Newton limit — with the same
margins, so every box meets the same fate and the roots found are the same. The boxes of one
system are visited depth first, one at a time, instead of generation by generation for every
system at once: the array version pays for each numpy call on a handful of boxes, which
dominates on the small systems of games with a few players.

This module imports numba; :mod:`coordgap.solvers.multilinear` imports it only when numba is
installed (the ``fast`` extra) and the compiled engine is asked for.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["solve_batch"]

_CACHE = True  # compiled code is written next to this module when the directory allows


@numba.njit(cache=_CACHE)
def _box_values(polys, lo, hi, out):
    """Values of the polynomials ``polys`` (m, 2^k) at the corners of the box [lo, hi], into
    ``out``: along each axis a multilinear polynomial is affine (as ``multilinear._box_values``,
    the same operations in the same order)."""
    m, size = polys.shape
    k = lo.size
    out[:, :] = polys
    for j in range(k):
        stride = size >> (j + 1)
        a, c = lo[j], hi[j]
        for p in range(m):
            for o in range(1 << j):
                base = o * 2 * stride
                for t in range(stride):
                    v0 = out[p, base + t]
                    d = out[p, base + stride + t] - v0
                    out[p, base + t] = v0 + a * d
                    out[p, base + stride + t] = v0 + c * d


@numba.njit(cache=_CACHE)
def _weights(x, out):
    """Interpolation weights of the point ``x`` over the 2^k corners (axis 0 most significant),
    as ``multilinear._point_weights``."""
    out[0] = 1.0
    n = 1
    for j in range(x.size):
        p = x[j]
        for t in range(n - 1, -1, -1):
            w = out[t]
            out[2 * t] = w * (1.0 - p)
            out[2 * t + 1] = w * p
        n *= 2


@numba.njit(cache=_CACHE)
def _inverse(a):
    """(inverse, ok): ok when |det a| > 1e-300 and the inverse is finite."""
    k = a.shape[0]
    if abs(np.linalg.det(a)) <= 1e-300:
        return np.zeros((k, k)), False
    y = np.ascontiguousarray(np.linalg.inv(a))
    for i in range(k):
        for j in range(k):
            if not np.isfinite(y[i, j]):
                return np.zeros((k, k)), False
    return y, True


@numba.njit(cache=_CACHE)
def _krawczyk(jb, f_mid, mid, radius):
    """Krawczyk test on the box mid ± radius, with ``jb`` (k*k, 2^k) the Jacobian's corner
    values there. Returns (y, invertible, inside, empty, unique, k_center), as
    ``multilinear._krawczyk``."""
    k = mid.size
    size = jb.shape[1]
    j_lo = np.empty((k, k))
    j_hi = np.empty((k, k))
    j_mid = np.empty((k, k))
    for r in range(k * k):
        lo = jb[r, 0]
        hi = jb[r, 0]
        total = 0.0
        for s in range(size):
            v = jb[r, s]
            lo = min(lo, v)
            hi = max(hi, v)
            total += v
        j_lo[r // k, r % k] = lo
        j_hi[r // k, r % k] = hi
        j_mid[r // k, r % k] = total / size  # a multilinear map's centre value
    y, invertible = _inverse(j_mid)
    k_center = mid.copy()
    if not invertible:
        return y, False, False, False, False, k_center
    step = y @ f_mid
    j_center = 0.5 * (j_lo + j_hi)
    j_radius = 0.5 * (j_hi - j_lo)
    m_center = y @ j_center
    m_radius = np.abs(y) @ j_radius
    inside = True
    empty = False
    unique = True
    for i in range(k):
        reach = 0.0
        row = 0.0
        for j in range(k):
            eye = 1.0 if i == j else 0.0
            reach += (abs(eye - m_center[i, j]) + m_radius[i, j]) * radius[j]
            row += abs(m_center[i, j]) + m_radius[i, j]
        k_center[i] = mid[i] - step[i]
        if not abs(step[i]) + reach < radius[i] * (1 - 1e-9):
            inside = False
        if abs(step[i]) > reach + radius[i]:
            empty = True
        diag = abs(m_center[i, i]) - m_radius[i, i]
        off = row - abs(m_center[i, i]) - m_radius[i, i]
        if not diag > off:
            unique = False
    return y, True, inside, empty, unique, k_center


@numba.njit(cache=_CACHE)
def _newton(eqs, jacs, x0, steps=30):
    """Newton's method from ``x0`` on one system (eqs (k, 2^k), jacs (k*k, 2^k))."""
    k = x0.size
    x = x0.copy()
    w = np.empty(eqs.shape[1])
    for _ in range(steps):
        _weights(x, w)
        f = eqs @ w
        jac = (jacs @ w).reshape(k, k)
        dx = np.zeros(k)
        if abs(np.linalg.det(jac)) > 1e-300:
            dx = np.linalg.solve(jac, f)
        biggest = 0.0
        for i in range(k):
            if not np.isfinite(dx[i]):
                dx[i] = 0.0
            x[i] -= dx[i]
            biggest = max(biggest, abs(dx[i]))
        if biggest < 1e-16:
            break
    return x


@numba.njit(cache=_CACHE, inline="always")
def _row_range(a, i):
    """Least and greatest entry of row ``i`` of ``a``."""
    low = a[i, 0]
    high = a[i, 0]
    for s in range(1, a.shape[1]):
        low = min(low, a[i, s])
        high = max(high, a[i, s])
    return low, high


@numba.njit(cache=_CACHE, inline="always")
def _in_box(x, lo, hi, slack):
    """Whether ``x`` lies in the box [lo, hi] widened by ``slack`` on every side."""
    for j in range(x.size):  # noqa: SIM110 (a loop compiles; a generator in all() does not)
        if not (x[j] >= lo[j] - slack and x[j] <= hi[j] + slack):
            return False
    return True


@numba.njit(cache=_CACHE)
def _push(buf, n, x):
    """``buf`` with ``x`` as row ``n`` (grown when full)."""
    if n == buf.shape[0]:
        grown = np.empty((2 * n + 4, buf.shape[1]))
        grown[:n] = buf[:n]
        buf = grown
    buf[n] = x
    return buf


@numba.njit(cache=_CACHE)
def _one_system(eqs, jacs, cons, min_width, max_boxes, tol, constraint_tol, box_edge):
    """Branch and bound on one system: (certain, roots, n): whether every box was resolved,
    and the first ``n`` rows of ``roots`` (a root per settled box; twins not merged)."""
    k = eqs.shape[0]
    size = eqs.shape[1]
    r = cons.shape[0]
    roots = np.empty((4, k))
    n_roots = 0
    polys = np.concatenate((eqs, cons))
    values = np.empty((k + r, size))
    jb = np.empty((k * k, size))
    tiny = 1e-10  # radius of the existence box around a Newton limit
    # The stack of boxes still to visit (depth first); grown when full.
    cap = 64 * (1 << k)
    stack_lo = np.empty((cap, k))
    stack_hi = np.empty((cap, k))
    stack_lo[0, :] = 0.0
    stack_hi[0, :] = 1.0
    top = 1
    processed = 0
    certain = True
    mid = np.empty(k)
    radius = np.empty(k)
    inflated = np.empty(k)
    f_mid = np.empty(k)
    while top > 0:
        processed += 1
        if processed > max_boxes:
            return False, roots, n_roots
        top -= 1
        lo = stack_lo[top].copy()
        hi = stack_hi[top].copy()
        _box_values(polys, lo, hi, values)
        holds = True
        for i in range(k + r):
            vmin, vmax = _row_range(values, i)
            if not (vmax >= -constraint_tol if i >= k else vmin <= tol and vmax >= -tol):
                holds = False
                break
        if not holds:
            continue
        for j in range(k):
            mid[j] = 0.5 * (lo[j] + hi[j])
            radius[j] = 0.5 * (hi[j] - lo[j])
            # Krawczyk on the box inflated by 10 % (roots on a shared face get a proof too).
            inflated[j] = 1.1 * radius[j] + 1e-15
        for i in range(k):
            total = 0.0
            for s in range(size):
                total += values[i, s]
            f_mid[i] = total / size
        _box_values(jacs, mid - inflated, mid + inflated, jb)
        y, invertible, inside, empty, unique, k_center = _krawczyk(jb, f_mid, mid, inflated)
        if invertible and not empty:
            # preconditioned exclusion: a row of y·F with one strict sign on the box
            pre = y @ np.ascontiguousarray(values[:k])
            for i in range(k):
                margin = 0.0
                for j in range(k):
                    margin += abs(y[i, j])
                margin *= tol
                pmin, pmax = _row_range(pre, i)
                if pmin > margin or pmax < -margin:
                    empty = True
                    break
        if empty:
            continue
        settled = False
        if inside:
            settled = True
            root = _newton(eqs, jacs, k_center)
            if _in_box(root, lo, hi, box_edge):
                roots = _push(roots, n_roots, root)
                n_roots += 1
        elif unique:
            x = _newton(eqs, jacs, mid)
            near = True
            for j in range(k):
                if not abs(x[j] - mid[j]) <= inflated[j] - tiny:
                    near = False
            if near:
                small = np.full(k, tiny)
                jt = np.empty((k * k, size))
                _box_values(jacs, x - small, x + small, jt)
                w = np.empty(size)
                _weights(x, w)
                f_x = eqs @ w
                proved = _krawczyk(jt, f_x, x, small)[2]
                if proved:
                    settled = True
                    # the one root of the inflated box is within `tiny` of x: it is in this
                    # box if x is within `tiny` of it (twins across a face are merged later)
                    if _in_box(x, lo, hi, tiny):
                        roots = _push(roots, n_roots, x)
                        n_roots += 1
        if settled:
            continue
        widest = 0.0
        for j in range(k):
            widest = max(widest, hi[j] - lo[j])
        if widest < min_width:
            certain = False
            continue
        # Halve the box along each of its sides: 2^k children.
        if top + size > cap:
            cap *= 2
            grown_lo = np.empty((cap, k))
            grown_hi = np.empty((cap, k))
            grown_lo[:top] = stack_lo[:top]
            grown_hi[:top] = stack_hi[:top]
            stack_lo = grown_lo
            stack_hi = grown_hi
        for c in range(size):
            for j in range(k):
                half = 0.5 * (hi[j] - lo[j])
                if (c >> (k - 1 - j)) & 1:
                    stack_lo[top, j] = lo[j] + half
                    stack_hi[top, j] = hi[j]
                else:
                    stack_lo[top, j] = lo[j]
                    stack_hi[top, j] = lo[j] + half
            top += 1
    return certain, roots, n_roots


@numba.njit(cache=_CACHE)
def solve_batch(eqs, jacs, cons, min_width, max_boxes, tol, constraint_tol, box_edge):
    """Roots of every system of a batch (eqs (P, k, 2^k) scaled, jacs (P, k*k, 2^k), cons
    (P, r, 2^k)): returns (roots (n, k), the system of each root (n,), certain (P,))."""
    n_sys, k = eqs.shape[0], eqs.shape[1]
    certain = np.ones(n_sys, dtype=np.bool_)
    roots = np.empty((8, k))
    which = np.empty(8, dtype=np.int64)
    n = 0
    for s in range(n_sys):
        ok, mine, count = _one_system(
            np.ascontiguousarray(eqs[s]),
            np.ascontiguousarray(jacs[s]),
            np.ascontiguousarray(cons[s]),
            min_width,
            max_boxes,
            tol,
            constraint_tol,
            box_edge,
        )
        certain[s] = ok
        for i in range(count):
            if n == which.size:
                more = np.empty(2 * n, dtype=np.int64)
                more[:n] = which
                which = more
            roots = _push(roots, n, mine[i])
            which[n] = s
            n += 1
    return roots[:n].copy(), which[:n].copy(), certain
