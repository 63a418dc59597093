"""Independent reference computations shared by tests (no package code is used here)."""

from __future__ import annotations

import numpy as np
from scipy import integrate


def membership_rent(flow, base_stake, cash, discount, trigger_prob, dists, rounds=400):
    """W = max(v, 0) by iterating a member's Bellman equation (the package bisects instead):

    v ← π + (1 − p_τ)·δ·v + p_τ·(∫_0^S (δv − a) dF(a) − (b + L)·(1 − F(S))),  S = S⁰ + δ·v,

    for each actor, with ``dists`` frozen scipy.stats distributions of the response cost.
    """
    flow, base_stake, cash = (
        np.broadcast_to(np.asarray(x, dtype=float), (len(dists),)) for x in (flow, base_stake, cash)
    )
    d, p = discount, trigger_prob
    v = np.zeros(len(dists))
    for _ in range(rounds):
        new = np.empty_like(v)
        for i, dist in enumerate(dists):
            s = base_stake[i] + d * v[i]
            honour = integrate.quad(lambda a: (d * v[i] - a) * dist.pdf(a), 0, s, limit=200)[0]
            new[i] = flow[i] + (1 - p) * d * v[i] + p * (honour - cash[i] * dist.sf(s))
        v = np.maximum(new, 0.0)
    return v
