"""Tabarrok (1998), Public Choice 96:345 — the dominant assurance contract.

Reproduces the theorem of Section 3: with unanimity (K = N), V > c and a failure bonus f > 0,
signing is a dominant strategy and "everyone signs" is the unique equilibrium (checked by brute
force over all pure profiles of the normal form); without the bonus (f = 0, an ordinary
assurance contract) "nobody signs" is an equilibrium too. For K < N the symmetric mixed
equilibria satisfy the signer's indifference condition.
"""

import itertools
from math import comb

import numpy as np
import pytest

import coordgap as cg

DAC = cg.classics.DominantAssuranceContract


@pytest.mark.parametrize("n", [2, 3, 5])
def test_signing_dominant_with_bonus(n):
    dac = DAC(n_players=n, threshold=n, value=10.0, price=6.0, bonus=0.5)
    assert dac.signing_is_dominant()
    nf = dac.normal_form()
    # brute force: for every profile of the others, signing is strictly better for player 0
    for others in itertools.product((0, 1), repeat=n - 1):
        assert nf.payoffs[(0,) + others + (0,)] > nf.payoffs[(1,) + others + (0,)]
    assert dac.pure_equilibria() == [(0,) * n]


def test_without_bonus_nobody_signs_is_an_equilibrium():
    dac = DAC(n_players=4, threshold=4, value=10.0, price=6.0, bonus=0.0)
    assert not dac.signing_is_dominant()
    eqs = dac.pure_equilibria()
    assert (0,) * 4 in eqs and (1,) * 4 in eqs  # weakly: a refusal already kills the project


def test_price_above_value_breaks_dominance():
    assert not DAC(n_players=3, threshold=3, value=5.0, price=6.0, bonus=1.0).signing_is_dominant()


def test_mixed_equilibria_indifference_k_below_n():
    n, k, v, c, f = 5, 3, 10.0, 4.0, 0.5
    dac = DAC(n_players=n, threshold=k, value=v, price=c, bonus=f)
    roots = dac.mixed_equilibria()
    assert roots
    for p in roots:
        pmf = [comb(n - 1, m) * p**m * (1 - p) ** (n - 1 - m) for m in range(n)]
        gain = (v - c) * pmf[k - 1] - c * sum(pmf[k:]) + f * sum(pmf[: k - 1])
        assert abs(gain) < 1e-12
        assert dac.normal_form().max_regret([np.array([p, 1 - p])] * n) < 1e-12


def test_invalid():
    with pytest.raises(cg.InvalidParameterError, match="'threshold'"):
        DAC(n_players=3, threshold=4, value=1.0, price=0.5)
    with pytest.raises(cg.InvalidParameterError, match="'bonus'"):
        DAC(n_players=3, threshold=3, value=1.0, price=0.5, bonus=-1.0)
