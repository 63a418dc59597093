"""The candidate search of :mod:`coordgap.solvers.cells`, compiled by numba.

The same steps as the array version in ``cells.py`` — the half-lines of every count, the
counts that can hold an equilibrium, the cells of each count's capacity range classified at
their midpoints, and the free choices of each cell enumerated by actor class — one count at a
time in a compiled loop, instead of as arrays over all counts, cells and actors. The margins
are the same, so the candidates are again a superset of the equilibrium vectors; the exact
class-count test that settles them is shared with the array version. The loop does work
proportional to what survives each step, where the arrays pay for every (count, cell, actor)
entry and for each numpy call, which dominates on games of tens of actors.

This module imports numba; :mod:`coordgap.solvers.cells` imports it only when numba is
installed (the ``fast`` extra) and falls back to the array version otherwise.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["candidates"]

_CACHE = True  # compiled code is written next to this module when the directory allows


@numba.njit(cache=_CACHE, inline="always")
def _half_line(x, g, kappa, above, margin):
    """End points of {v : e^{−κv}·g ≤ x} (``above`` False) or {v : e^{−κv}·g ≥ x} (True),
    widened by a relative margin; an empty set as (+inf, −inf). As ``cells._half_lines``."""
    t = 0.0
    if kappa > 0:
        ratio = x / g if g != 0 else (np.inf if x > 0 else -np.inf if x < 0 else np.nan)
        with_log = -np.log(ratio) / kappa if ratio == ratio else np.nan
        t = 0.0 if with_log != with_log else with_log
    wide = margin * (1.0 + (abs(t) if np.isfinite(t) else 0.0))
    sx = -x if above else x
    gg = -g if above else g
    if (gg == 0 and sx >= 0) or (gg < 0 and sx >= 0):
        return -np.inf, np.inf
    if (gg == 0 and sx < 0) or (gg > 0 and sx <= 0):
        return np.inf, -np.inf
    lo = t - wide if gg > 0 else -np.inf
    hi = t + wide if gg < 0 else np.inf
    return lo, hi


@numba.njit(cache=_CACHE)
def _emit(m, low, high, ci, co, shape, out, used, budget, work):
    """The candidates of one cell [low, high] whose actors may be in (``ci``) and may be out
    (``co``), appended to ``out``: returns (out, used, budget); budget < 0 means too many.
    ``shape`` is (a, kind, class_a, eps) of the game, ``work`` three per-class work arrays."""
    a, kind, class_a, eps = shape
    base, free, pick = work
    n = a.size
    n_types = class_a.size
    forced = 0
    n_free = 0
    u_must = 0.0
    spare = np.empty(n)
    for i in range(n):
        if ci[i] and not co[i]:
            forced += 1
            u_must += a[i]
        elif ci[i] and co[i]:
            spare[n_free] = a[i]
            n_free += 1
    k = m - forced
    # The k smallest and the k largest free capacities bound what the choices can add.
    ordered = np.sort(spare[:n_free])
    least = 0.0
    most = 0.0
    for j in range(k):
        least += ordered[j]
        most += ordered[n_free - 1 - j]
    if not (u_must + least <= high + eps and u_must + most >= low - eps):
        return out, used, budget
    # Every choice of free actors by class: how many of each class join.
    base[:] = 0
    free[:] = 0
    for i in range(n):
        if ci[i] and not co[i]:
            base[kind[i]] += 1
        elif ci[i] and co[i]:
            free[kind[i]] += 1
    n_vectors = 1
    for r in range(n_types):
        n_vectors *= free[r] + 1
    budget -= n_vectors
    if budget < 0:
        return out, used, budget
    base_sum = 0.0
    for r in range(n_types):
        base_sum += base[r] * class_a[r]
    pick[:] = 0
    w_lo, w_hi = low - eps, high + eps
    for _ in range(n_vectors):
        total = 0
        extra = 0.0
        for r in range(n_types):
            total += pick[r]
            extra += pick[r] * class_a[r]
        s = base_sum + extra
        if total == k and s >= w_lo and s <= w_hi:
            if used == out.shape[0]:
                grown = np.empty((2 * out.shape[0], n_types), dtype=np.int64)
                grown[:used] = out
                out = grown
            for r in range(n_types):
                out[used, r] = base[r] + pick[r]
            used += 1
        # next choice in mixed radix (the last class fastest)
        r = n_types - 1
        while r >= 0:
            if pick[r] < free[r]:
                pick[r] += 1
                break
            pick[r] = 0
            r -= 1
    return out, used, budget


@numba.njit(cache=_CACHE)
def _at_point(x, in_lo, in_hi, out_lo, out_hi, ci, co):
    """Classify every actor at the point x (closed intervals); False if one can be neither
    in nor out. Fills ``ci``/``co`` and returns (all placed, forced in, free)."""
    forced = 0
    n_free = 0
    for i in range(ci.size):
        ci[i] = in_lo[i] <= x and x <= in_hi[i]
        co[i] = out_lo[i] <= x and x <= out_hi[i]
        if not (ci[i] or co[i]):
            return False, 0, 0
        forced += ci[i] and not co[i]
        n_free += ci[i] and co[i]
    return True, forced, n_free


@numba.njit(cache=_CACHE)
def candidates(
    f,
    bind,
    share_scale,
    keep,
    net,
    refund,
    flat,
    kappa,
    slack,
    a,
    lo_m,
    hi_m,
    eps,
    margin,
    kind,
    class_a,
    budget,
):
    """Candidate class-count vectors of every count 0..N. Returns (vectors, status): status
    0, or 1 when the free choices exceed ``budget`` (the caller gives up, as the array
    version does).

    The stay-in and join conditions A − e^{−κv}·G are those of ``cells._coefficients``, formed
    here per count and actor from the same numbers: ``f`` is φ(m)·bind(m) (or V[m]·bind(m)
    when ``flat``: V given, the gains constant in u) and ``bind`` the binding indicator, both
    at m = −1..N+1; ``share_scale`` is s_i·p·H·e^{−κR0} (s_i when ``flat``), ``keep``
    e^{−κ a_i}, ``net`` the net costs and ``refund`` −β, the net cost where filings do not bind.

    The cells of a count are swept from left to right: the actors that may be in and may be
    out change only at the end points, so the counts of forced, free and misplaced actors are
    kept up to date event by event, and an actor-by-actor pass is made only for the cells
    those counts leave viable. A cell of zero width (an end point shared by several
    half-lines) is classified at its point, as the array version does.
    """
    n = a.size
    n_counts = n + 1
    n_types = class_a.size
    out = np.empty((64, n_types), dtype=np.int64)
    used = 0
    in_lo = np.empty(n)
    in_hi = np.empty(n)
    out_lo = np.empty(n)
    out_hi = np.empty(n)
    ev_x = np.empty(4 * n)
    ev_code = np.empty(4 * n, dtype=np.int64)
    ci = np.empty(n, dtype=np.bool_)
    co = np.empty(n, dtype=np.bool_)
    pci = np.empty(n, dtype=np.bool_)
    pco = np.empty(n, dtype=np.bool_)
    work = (
        np.zeros(n_types, dtype=np.int64),
        np.zeros(n_types, dtype=np.int64),
        np.zeros(n_types, dtype=np.int64),
    )
    shape = (a, kind, class_a, eps)
    for m in range(n_counts):
        lo, hi = lo_m[m], hi_m[m]
        n_may_in = 0
        n_may_out = 0
        viable = True
        # Rows of the tables are m = −1..N+1: count m is row m + 1.
        f_less, f_now, f_more = f[m], f[m + 1], f[m + 2]
        for i in range(n):
            c_now = net[i] if bind[m + 1] > 0 else refund
            c_more = net[i] if bind[m + 2] > 0 else refund
            sp = share_scale[i]
            a_in = sp * (f_now - f_less) - c_now
            a_out = sp * (f_more - f_now) - c_more
            if flat:
                g_in = 0.0
                g_out = 0.0
            else:
                g_in = sp * (f_now * keep[i] - f_less)
                g_out = sp * (f_more * keep[i] - f_now)
                if kappa == 0.0:  # e^{−κv} = 1: constant gains
                    a_in, g_in = a_in - g_in, 0.0
                    a_out, g_out = a_out - g_out, 0.0
            if m == 0:
                in_lo[i], in_hi[i] = np.inf, -np.inf
            else:
                l_, h_ = _half_line(a_in + slack[i], g_in, kappa, False, margin)
                in_lo[i], in_hi[i] = l_ + a[i], h_ + a[i]
            if m == n_counts - 1:
                out_lo[i], out_hi[i] = np.inf, -np.inf
            else:
                out_lo[i], out_hi[i] = _half_line(a_out - slack[i], g_out, kappa, True, margin)
            may_in = in_lo[i] <= hi and in_hi[i] >= lo
            may_out = out_lo[i] <= hi and out_hi[i] >= lo
            n_may_in += may_in
            n_may_out += may_out
            if not (may_in or may_out):
                viable = False
        if not viable or n_may_in < m or n_may_out < n - m:
            continue
        if lo == hi:  # one point: one cell
            placed, forced, n_free = _at_point(lo, in_lo, in_hi, out_lo, out_hi, ci, co)
            if placed and forced <= m <= forced + n_free:
                out, used, budget = _emit(m, lo, hi, ci, co, shape, out, used, budget, work)
                if budget < 0:
                    return out[:used], 1
            continue
        # The end points strictly inside (lo, hi): code 4·actor + (0 in_lo, 1 in_hi, 2
        # out_lo, 3 out_hi).
        n_ev = 0
        for i in range(n):
            for t in range(4):
                e = (
                    in_lo[i]
                    if t == 0
                    else in_hi[i]
                    if t == 1
                    else out_lo[i]
                    if t == 2
                    else out_hi[i]
                )
                if e > lo and e < hi:
                    ev_x[n_ev] = e
                    ev_code[n_ev] = 4 * i + t
                    n_ev += 1
        order = np.argsort(ev_x[:n_ev])
        # The state in the first cell (lo, b_1): an interval holds its interior points iff
        # it starts at or before lo and ends after lo.
        misplaced = 0
        forced = 0
        n_free = 0
        for i in range(n):
            ci[i] = in_lo[i] <= lo and in_hi[i] > lo
            co[i] = out_lo[i] <= lo and out_hi[i] > lo
            misplaced += not (ci[i] or co[i])
            forced += ci[i] and not co[i]
            n_free += ci[i] and co[i]
        left = lo
        j = 0
        while True:
            right = hi if j == n_ev else ev_x[order[j]]
            if misplaced == 0 and forced <= m <= forced + n_free:
                out, used, budget = _emit(m, left, right, ci, co, shape, out, used, budget, work)
                if budget < 0:
                    return out[:used], 1
            if j == n_ev:
                break
            # Every end point at ``right``: a zero-width cell there if it is shared, then the
            # state moves past it.
            k = j
            while k < n_ev and ev_x[order[k]] == right:
                k += 1
            if k - j >= 2:
                placed, f_, nf_ = _at_point(right, in_lo, in_hi, out_lo, out_hi, pci, pco)
                if placed and f_ <= m <= f_ + nf_:
                    out, used, budget = _emit(
                        m, right, right, pci, pco, shape, out, used, budget, work
                    )
                    if budget < 0:
                        return out[:used], 1
            for q in range(j, k):
                code = ev_code[order[q]]
                i, t = code // 4, code % 4
                misplaced -= not (ci[i] or co[i])
                forced -= ci[i] and not co[i]
                n_free -= ci[i] and co[i]
                if t == 0:
                    ci[i] = True
                elif t == 1:
                    ci[i] = False
                elif t == 2:
                    co[i] = True
                else:
                    co[i] = False
                misplaced += not (ci[i] or co[i])
                forced += ci[i] and not co[i]
                n_free += ci[i] and co[i]
            left = right
            j = k
    return out[:used], 0
