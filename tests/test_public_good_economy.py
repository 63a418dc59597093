"""The general Bergstrom–Blume–Varian (1986) economy against independent derivations.

Derivations used below (both goods cost one unit of income, W = w − t):

* Cobb–Douglas u = x^(1−α) G^α: the marginal rate of substitution is α x/((1 − α) G), so a
  contributor keeps x = k G with k = (1 − α)/α. CES u = ((1 − α) x^ρ + α G^ρ)^(1/ρ),
  ρ = (σ − 1)/σ: MRS = (α/(1 − α))(x/G)^(1/σ), so x = k G with k = ((1 − α)/α)^σ.
* Best response of i to the others' total G₋ᵢ: choose G ≥ G₋ᵢ with x = W + G₋ᵢ − G = k G, so
  g = max(0, (W − k G₋ᵢ)/(1 + k)).
* n identical contributors: W = x + g = k G + G/n, so G = nW/(1 + n k); for Cobb–Douglas
  G = nαW/(α + n(1 − α)), and one consumer alone buys G = αW.
* For a contributor set C: G = (g₀ + Σ_C W)/(1 + Σ_C k). C is an equilibrium set when every
  member's g = W − k G > 0 and every non-member's W − k G ≤ 0; enumerating all subsets finds
  the equilibrium without the module's sorted pass.
* Crowding out from outside the economy: private provision P = G − g₀ =
  (Σ_C W − S g₀)/(1 + S), S = Σ_C k, falls by S/(1 + S) per unit of g₀. Financed by taxes on
  contributors, Σ_C W falls by the same amount and G does not move: one for one.
* Quasi-linear u = x + a ln G: MRS = a/G, so a consumer wants G = a; only the largest a
  provides (when its income suffices).
"""

import itertools
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import coordgap as cg

Economy = cg.classics.PublicGoodEconomy


@pytest.mark.parametrize("n", [1, 2, 5, 40])
@pytest.mark.parametrize("alpha", [0.1, 0.5, 0.9])
@pytest.mark.parametrize("w", [1.0, 37.5])
def test_symmetric_cobb_douglas_closed_form(n, alpha, w):
    eq = Economy(wealth=[w] * n, share=alpha).equilibrium()
    expected = n * alpha * w / (alpha + n * (1 - alpha))
    assert_allclose(eq.total, expected, rtol=1e-13)
    assert_allclose(eq.contributions, expected / n, rtol=1e-12)
    assert eq.contributors == tuple(range(n))
    assert eq.max_regret < 1e-9


@pytest.mark.parametrize(("alpha", "sigma"), [(0.3, 0.5), (0.6, 2.0), (0.5, 1.0)])
def test_symmetric_ces_closed_form(alpha, sigma):
    n, w = 4, 10.0
    k = ((1 - alpha) / alpha) ** sigma
    eq = Economy(wealth=[w] * n, preference="ces", share=alpha, elasticity=sigma).equilibrium()
    assert_allclose(eq.total, n * w / (1 + n * k), rtol=1e-13)
    assert eq.max_regret < 1e-9


def _ratios(alpha, sigma):
    return ((1 - alpha) / alpha) ** sigma


def _by_enumeration(income, k, g0):
    """Every subset C tested for consistency; returns the list of consistent (C, G)."""
    n = len(income)
    found = []
    for m in range(n + 1):
        for members in itertools.combinations(range(n), m):
            c = list(members)
            big = (g0 + income[c].sum()) / (1 + k[c].sum())
            inside = income[c] - k[c] * big
            outside = np.delete(income - k * big, c)
            if np.all(inside > 0) and np.all(outside <= 1e-12 * max(1.0, big)):
                found.append((members, big))
    return found


def _best_response_iteration(income, k, g0, sweeps=20000):
    g = np.zeros_like(income)
    for _ in range(sweeps):
        old = g.copy()
        for i in range(len(g)):
            others = g0 + g.sum() - g[i]
            g[i] = max(0.0, (income[i] - k[i] * others) / (1 + k[i]))
        if np.max(np.abs(g - old)) < 1e-15:
            break
    return g


@pytest.mark.parametrize("seed", range(12))
def test_random_economies_against_enumeration_and_best_response_iteration(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 8))
    wealth = rng.uniform(0.0, 50.0, n)
    alpha = rng.uniform(0.05, 0.95, n)
    ces = seed % 2 == 1
    sigma = rng.uniform(0.3, 3.0, n) if ces else np.ones(n)
    g0 = float(rng.uniform(0, 5)) if seed % 3 == 0 else 0.0
    economy = Economy(
        wealth=wealth,
        preference="ces" if ces else "cobb-douglas",
        share=alpha,
        elasticity=sigma,
        provision=g0,
    )
    eq = economy.equilibrium()
    k = _ratios(alpha, sigma)
    found = _by_enumeration(wealth, k, g0)
    assert len(found) == 1  # uniqueness
    members, big = found[0]
    assert eq.contributors == members
    assert_allclose(eq.total, big, rtol=1e-12)
    g = _best_response_iteration(wealth, k, g0)
    assert_allclose(eq.contributions, g, rtol=1e-9, atol=1e-10)
    assert_allclose(eq.private, wealth - g, rtol=1e-9, atol=1e-10)
    assert eq.max_regret < 1e-9


def test_callable_utilities_reproduce_cobb_douglas():
    wealth, alpha = np.array([12.0, 7.0, 2.0]), np.array([0.4, 0.6, 0.3])
    closed = Economy(wealth=wealth, share=alpha).equilibrium()
    utilities = [lambda x, G, a=a: x ** (1 - a) * G**a for a in alpha]
    mrs = [lambda x, G, a=a: a * x / ((1 - a) * G) for a in alpha]
    exact = Economy(wealth=wealth, preference="callable", utility=utilities, mrs=mrs)
    numeric = Economy(wealth=wealth, preference="callable", utility=utilities)
    eq = exact.equilibrium()
    assert eq.method == "root"
    assert_allclose(eq.contributions, closed.contributions, rtol=1e-10, atol=1e-12)
    assert eq.contributors == closed.contributors
    assert_allclose(numeric.equilibrium().total, closed.total, rtol=1e-6)
    assert eq.max_regret < 1e-9


def test_quasi_linear_only_the_highest_value_contributes():
    eq = Economy(
        wealth=[10.0, 10.0, 10.0], preference="quasi-linear", value=[2, 5, 3]
    ).equilibrium()
    assert eq.contributors == (1,)
    assert_allclose(eq.total, 5.0, rtol=1e-15)
    assert eq.max_regret < 1e-9


def test_quasi_linear_with_too_little_income():
    # the top consumer spends its whole income 2; the next (a = 4) tops G up to 4
    eq = Economy(wealth=[2.0, 10.0, 10.0], preference="quasi-linear", value=[5, 4, 1]).equilibrium()
    assert_allclose(eq.contributions, [2.0, 2.0, 0.0], rtol=1e-15)
    assert_allclose(eq.total, 4.0)
    assert eq.max_regret < 1e-9


def test_quasi_linear_government_provision_above_everyone_crowds_out_all():
    economy = Economy(wealth=[10.0, 10.0], preference="quasi-linear", value=[2, 3], provision=4.0)
    eq = economy.equilibrium()
    assert eq.contributors == () and eq.total == 4.0


def test_crowding_out_one_for_one_when_contributors_pay():
    economy = Economy(wealth=[20.0, 18.0, 1.0], share=[0.5, 0.4, 0.3])
    out = economy.crowding_out(2.0)  # equal taxes on the two contributors
    assert out.preserved
    assert_allclose(out.rate, 1.0, rtol=1e-12)
    assert_allclose(out.total_after, out.total_before, rtol=1e-13)


def test_partial_crowding_out_from_outside():
    alpha = np.array([0.5, 0.4, 0.3])
    economy = Economy(wealth=[20.0, 18.0, 1.0], share=alpha)
    contributors = list(economy.equilibrium().contributors)
    s = ((1 - alpha) / alpha)[contributors].sum()
    out = economy.crowding_out(2.0, "exogenous")
    assert out.preserved
    assert_allclose(out.rate, s / (1 + s), rtol=1e-12)


def test_quasi_linear_crowding_out_is_one_for_one_even_from_outside():
    economy = Economy(wealth=[10.0, 10.0], preference="quasi-linear", value=[2, 3])
    assert_allclose(economy.crowding_out(1.0, "exogenous").rate, 1.0, rtol=1e-15)


def test_taxing_noncontributors_raises_provision():
    # a tax on a non-contributor finances provision that contributors do not offset fully
    economy = Economy(wealth=[20.0, 18.0, 1.0], share=[0.5, 0.4, 0.3])
    out = economy.crowding_out(0.5, [0, 0, 1.0])
    assert out.rate < 1 and out.total_after > out.total_before


def test_neutrality_needs_its_hypothesis():
    economy = Economy(wealth=[10.0, 6.0, 1.0], share=0.5)  # contributions 14/3 and 2/3
    small = economy.neutrality([-1.0, 1.0, 0.0])
    assert small.hypothesis and small.preserved and small.neutral
    # taking 1 from the second contributor (contribution 2/3) drives it out and lowers G
    large = economy.neutrality([1.0, -1.0, 0.0])
    assert not large.hypothesis and not large.preserved and not large.neutral
    # moving income from a contributor to a non-contributor who stays out lowers G:
    # incomes (9, 6, 2), contributors {0, 1}, G = (9 + 6)/(1 + 2) = 5 < 16/3
    outside = economy.neutrality([-1.0, 0.0, 1.0])
    assert not outside.among_contributors and outside.preserved
    assert_allclose(outside.total_after, 5.0, rtol=1e-14)


def test_regret_detects_a_non_equilibrium():
    economy = Economy(wealth=[10.0, 10.0], share=0.5)
    eq = economy.equilibrium()
    assert economy.regret(eq.contributions) < 1e-12
    # best response to 10/3 with W = 10, k = 1 is 10/3: any other contribution loses utility
    assert economy.regret(eq.contributions + [1.0, 0.0]) > 1e-3


def test_redistribute_returns_a_new_economy():
    economy = Economy(wealth=[3.0, 3.0], names=["a", "b"])
    moved = economy.redistribute([0.5, -0.5])
    assert_allclose(moved.income, [3.5, 2.5])
    assert_allclose(economy.income, [3.0, 3.0])
    assert moved.names == ("a", "b")


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (dict(wealth=[-1.0, 2.0]), "wealth"),
        (dict(wealth=[float("nan"), 2.0]), "wealth"),
        (dict(wealth=[1.0, 2.0], share=0.0), "share"),
        (dict(wealth=[1.0, 2.0], share=1.0), "share"),
        (dict(wealth=[1.0, 2.0], share=[0.5, 0.5, 0.5]), "wealth"),
        (dict(wealth=[1.0, 2.0], elasticity=-1.0), "elasticity"),
        (dict(wealth=[1.0, 2.0], taxes=[2.0, 0.0]), "taxes"),
        (dict(wealth=[1.0, 2.0], provision=-1.0), "provision"),
        (dict(wealth=[1.0, 2.0], preference="cobb_douglas"), "preference"),
        (dict(wealth=[1.0, 2.0], preference="callable"), "utility"),
        (dict(wealth=[1.0, 2.0], utility=lambda x, g: x + g), "utility"),
        (dict(wealth=[1.0, 2.0], preference="callable", utility=[math.log]), "utility"),
    ],
)
def test_invalid_parameters(kwargs, name):
    with pytest.raises(cg.InvalidParameterError) as err:
        Economy(**kwargs)
    assert err.value.name == name


def test_invalid_method_arguments():
    economy = Economy(wealth=[1.0, 2.0])
    with pytest.raises(cg.InvalidParameterError, match="sum to zero"):
        economy.redistribute([1.0, 0.0])
    with pytest.raises(cg.InvalidParameterError, match="'transfers'"):
        economy.redistribute([1.0, -0.5, -0.5])
    with pytest.raises(cg.InvalidParameterError, match="'taxes'"):
        economy.redistribute([-1.5, 1.5])
    with pytest.raises(cg.InvalidParameterError, match="'amount'"):
        economy.crowding_out(-1.0)
    with pytest.raises(cg.InvalidParameterError, match="Did you mean 'everyone'"):
        economy.crowding_out(1.0, "everybody")
    with pytest.raises(cg.InvalidParameterError, match="tax shares"):
        economy.crowding_out(1.0, [0.5, 0.6])


def test_results_serialize():
    # W = (1, 2), α = 1/2: consumer 1 alone buys G = 1 = τ₀, so consumer 0 does not contribute
    eq = Economy(wealth=[1.0, 2.0]).equilibrium()
    assert list(eq.to_dict()["contributors"]) == [1]
    assert eq.summary()["total"] == 1.0
