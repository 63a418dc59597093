"""Neutrality (Warr 1983; Bergstrom, Blume & Varian 1986) as a property of random economies.

Any redistribution of income among the contributors in which no contributor loses as much as
its contribution leaves the public good unchanged: each contributor changes its contribution by
exactly the income it gained, so G and every first-order condition x_i = k_i·G (k_i the
private-to-public ratio of the Cobb–Douglas or CES expansion path) still hold, and the
non-contributors face the same G. Also: government provision financed by lump-sum taxes on
contributors (each below its contribution) crowds out private provision one for one.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import coordgap as cg
from strategies import floats


def _economy(data):
    n = data.draw(st.integers(2, 6), label="n")
    ces = data.draw(st.booleans(), label="ces")
    return cg.classics.PublicGoodEconomy(
        wealth=[data.draw(floats(0.1, 100.0)) for _ in range(n)],
        preference="ces" if ces else "cobb-douglas",
        share=[data.draw(floats(0.05, 0.95)) for _ in range(n)],
        elasticity=[data.draw(floats(0.3, 3.0)) for _ in range(n)] if ces else 1.0,
        provision=data.draw(st.sampled_from([0.0, 1.0])),
    )


def _among_contributors(data, eq, n):
    """Zero-sum transfers on the contributors, each loss below the contribution."""
    members = np.array(eq.contributors)
    raw = np.array([data.draw(floats(-1.0, 1.0)) for _ in members])
    raw -= raw.mean()
    assume(np.max(np.abs(raw)) > 1e-6)
    room = np.min(eq.contributions[members] / np.maximum(1e-300, np.abs(raw)))
    scale = data.draw(floats(0.01, 0.99), label="fraction of the room") * room
    tau = np.zeros(n)
    tau[members] = scale * raw
    tau[members[-1]] = -tau[members[:-1]].sum()  # exact zero sum
    assume(np.all(-tau[members] < eq.contributions[members]))
    return tau


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_redistribution_among_contributors_is_neutral(data):
    economy = _economy(data)
    eq = economy.equilibrium()
    assume(len(eq.contributors) >= 2)
    tau = _among_contributors(data, eq, economy.n_consumers)
    result = economy.neutrality(tau)
    assert result.hypothesis and result.among_contributors
    assert result.preserved and result.neutral
    after = economy.redistribute(tau).equilibrium()
    assert_allclose(after.total, eq.total, rtol=1e-12)
    # each contributor absorbs its transfer in its contribution; private consumption unchanged
    assert_allclose(after.contributions, eq.contributions + tau, rtol=1e-9, atol=1e-12)
    assert_allclose(after.private, eq.private, rtol=1e-9, atol=1e-12)
    assert after.max_regret < 1e-9


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_provision_financed_by_contributors_crowds_out_one_for_one(data):
    economy = _economy(data)
    eq = economy.equilibrium()
    members = list(eq.contributors)
    assume(members)
    room = float(np.min(eq.contributions[members])) * len(members)
    amount = data.draw(floats(0.01, 0.99), label="fraction") * room
    out = economy.crowding_out(amount, "contributors")
    assert out.preserved
    assert_allclose(out.rate, 1.0, rtol=1e-9)
    assert_allclose(out.total_after, out.total_before, rtol=1e-12)
