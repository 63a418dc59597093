"""Barrett (1994) abatement from the closed-form first-order conditions.

The module's closed forms (Stackelberg: q_s = kλ²a/(Nγ + k²λ²), λ = Nγ/(Nγ + N − k);
Cournot: q_s = ka/D, q_n = a/D, D = Nγ + k² + N − k) are checked against

* Barrett's (1994) benchmark totals: full cooperation Q = aN/(N + γ), non-cooperation
  Q = a/(1 + γ) (each country abating a/(N + Nγ));
* an independent numerical solution in 40-digit arithmetic (mpmath): the non-signatories'
  symmetric Nash equilibrium from their own first-order condition, with derivatives taken
  numerically from the payoff function written here, and the signatories' choice as the root of
  the numerical derivative of their joint payoff — no formula of the module is used;
* a plain bounded scalar minimization (the method the module used before) to 1e-6.
"""

import mpmath as mp
import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize

import coordgap as cg

IEA = cg.classics.EnvironmentalAgreement
mp.mp.dps = 40


def _benefit(n, a, b, q):
    return (b / n) * (a * q - q * q / 2)


def _outsiders(n, k, a, b, c, x):
    """Symmetric Nash abatement of the N − k non-signatories when the coalition abates x in all."""
    if k == n:
        return mp.mpf(0)

    def foc(y):
        own = lambda q: _benefit(n, a, b, x + (n - k - 1) * y + q) - c * q * q / 2  # noqa: E731
        return mp.diff(own, y)

    return mp.findroot(foc, mp.mpf(a) / n)


def _numeric(n, k, a, b, c, timing):
    a, b, c = mp.mpf(a), mp.mpf(b), mp.mpf(c)
    if timing == "stackelberg":

        def joint(qs):
            y = _outsiders(n, k, a, b, c, k * qs)
            return _benefit(n, a, b, k * qs + (n - k) * y) - c * qs * qs / 2

        qs = mp.findroot(lambda s: mp.diff(joint, s), mp.mpf(a) / n)
        return qs, _outsiders(n, k, a, b, c, k * qs)

    def system(qs, y):
        # the coalition's condition on its members' common abatement, outsiders held fixed
        member = lambda s: _benefit(n, a, b, k * s + (n - k) * y) - c * s * s / 2  # noqa: E731
        outsider = lambda q: _benefit(n, a, b, k * qs + (n - k - 1) * y + q) - c * q * q / 2  # noqa: E731
        return [mp.diff(member, qs), mp.diff(outsider, y)]

    qs, y = mp.findroot(system, [mp.mpf(a) / n, mp.mpf(a) / n])
    return qs, y


@pytest.mark.parametrize("timing", ["stackelberg", "cournot"])
@pytest.mark.parametrize(("n", "b", "c", "a"), [(10, 1.0, 0.5, 50.0), (7, 2.0, 3.0, 100.0)])
def test_closed_form_matches_independent_numeric_solution(timing, n, b, c, a):
    g = IEA(n_countries=n, benefit=b, cost=c, intercept=a, model="quadratic", timing=timing)
    for k in range(2, n + 1):
        qs, qn = g.abatement(k)
        es, en = _numeric(n, k, a, b, c, timing)
        assert_allclose(qs, float(es), rtol=1e-12)
        if k < n:
            assert_allclose(qn, float(en), rtol=1e-12)


def test_bounded_minimization_agrees():
    # the old path: maximize the coalition's joint payoff by bounded scalar search
    n, b, c, a = 12, 1.0, 0.8, 40.0
    g = IEA(n_countries=n, benefit=b, cost=c, intercept=a, model="quadratic")
    gamma = b / (n * c)
    for k in (2, 6, 11):

        def neg_joint(qs, k=k):
            q = (k * qs + (n - k) * gamma * a) / (1 + (n - k) * gamma)
            return -(k * (b / n) * (a * q - q * q / 2) - k * c * qs * qs / 2)

        res = optimize.minimize_scalar(
            neg_joint, bounds=(0.0, a), method="bounded", options={"xatol": 1e-12}
        )
        assert_allclose(g.abatement(k)[0], res.x, rtol=1e-6)


@pytest.mark.parametrize("timing", ["stackelberg", "cournot"])
@pytest.mark.parametrize(("n", "gamma"), [(10, 0.5), (100, 0.01), (3, 4.0)])
def test_barrett_benchmarks_full_and_no_cooperation(timing, n, gamma):
    a = 100.0
    g = IEA(n_countries=n, benefit=1.0, cost=gamma, intercept=a, model="quadratic", timing=timing)
    assert_allclose(g.total(n), a * n / (n + gamma), rtol=1e-13)  # Barrett: Q_c = aN/(N + γ)
    assert_allclose(g.total(0), a / (1 + gamma), rtol=1e-13)  # Barrett: Q_0 = a/(1 + γ)
    assert_allclose(g.abatement(1)[1], a / (n + n * gamma), rtol=1e-13)  # no agreement at k=1
    for k in range(n + 1):
        qs, qn = g.abatement(k)
        assert qs >= 0 and qn >= 0 and g.total(k) <= a * (1 + 1e-15)


def test_singleton_conventions():
    n, a, gamma = 10, 100.0, 0.5
    lead = IEA(n_countries=n, cost=gamma, intercept=a, model="quadratic", singleton="leader")
    none = IEA(n_countries=n, cost=gamma, intercept=a, model="quadratic")
    # a one-country leader: λ = Nγ/(Nγ + N − 1) and q_s = λ²a/(Nγ + λ²)
    lam = n * gamma / (n * gamma + n - 1)
    assert_allclose(lead.abatement(1)[0], lam**2 * a / (n * gamma + lam**2), rtol=1e-13)
    assert_allclose(none.abatement(1), (a / (n + n * gamma),) * 2, rtol=1e-13)
    # a Cournot singleton is the non-cooperative equilibrium under either convention
    c1 = IEA(
        n_countries=n,
        cost=gamma,
        intercept=a,
        model="quadratic",
        timing="cournot",
        singleton="leader",
    )
    assert_allclose(c1.abatement(1), none.abatement(1), rtol=1e-13)


def _stable_by_hand(n, gamma, timing, singleton):
    """Stable sizes from payoffs written here from the closed forms of the test's docstring."""
    a = 100.0

    def abate(k):
        if k == 0 or (k == 1 and singleton == "no_agreement"):
            q = a / (n * gamma + n)
            return q, q, n * q
        if timing == "cournot":
            d = n * gamma + k * k + n - k
            return k * a / d, a / d, a * (k * k + n - k) / d
        lam = n * gamma / (n * gamma + n - k)
        qs = k * lam**2 * a / (n * gamma + k * k * lam**2)
        qn = lam * (a - k * qs) / (n * gamma)
        return qs, qn, k * qs + (n - k) * qn

    def pay(k):
        qs, qn, q = abate(k)
        gross = (a * q - q * q / 2) / n
        return gross - gamma * qs * qs / 2, gross - gamma * qn * qn / 2

    first = 2 if singleton == "no_agreement" else 1
    return [
        k
        for k in range(first, n + 1)
        if (k == 1 or pay(k)[0] >= pay(k - 1)[1] - 1e-12 * (1 + abs(pay(k - 1)[1])))
        and (k == n or pay(k)[1] > pay(k + 1)[0] + 1e-12 * (1 + abs(pay(k + 1)[0])))
    ]


@pytest.mark.parametrize("timing", ["stackelberg", "cournot"])
@pytest.mark.parametrize("singleton", ["no_agreement", "leader"])
@pytest.mark.parametrize("gamma", [0.01, 0.1, 1.0, 10.0, 100.0])
def test_stable_sizes(timing, singleton, gamma):
    g = IEA(n_countries=100, cost=gamma, model="quadratic", timing=timing, singleton=singleton)
    assert g.stable_sizes() == _stable_by_hand(100, gamma, timing, singleton)


def test_stackelberg_agreement_size_falls_with_gamma():
    # Barrett (1994): with the signatories leading, the self-enforcing agreement can be large
    # when γ = c/b is small and shrinks to a few countries when γ is large.
    sizes = [
        IEA(n_countries=100, cost=gamma, model="quadratic").stable_sizes()
        for gamma in (0.01, 0.1, 1.0, 100.0)
    ]
    assert [s[0] for s in sizes] == sorted((s[0] for s in sizes), reverse=True)
    assert sizes[0][0] > 10 and sizes[-1] == [2]


def test_timing_irrelevant_in_the_linear_model():
    for timing in ("stackelberg", "cournot"):
        assert IEA(n_countries=20, timing=timing).stable_sizes() == [3]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (dict(timing="nash"), "timing"),
        (dict(singleton="none"), "singleton"),
        (dict(cost=float("nan")), "cost"),
        (dict(n_countries=1), "n_countries"),
    ],
)
def test_invalid(kwargs, name):
    with pytest.raises(cg.InvalidParameterError) as err:
        IEA(**{"n_countries": 5, **kwargs})
    assert err.value.name == name


def test_invalid_size():
    with pytest.raises(cg.InvalidParameterError, match="'k'"):
        IEA(n_countries=5).abatement(6)


def test_any_size_from_two_to_the_grand_coalition():
    # Barrett (1994), as summarized by Rubio & Ulph (2006, Oxford Economic Papers 58:233):
    # with the signatories leading, depending on the parameters a self-enforcing agreement can
    # have any number of signatories between two and the grand coalition.
    n = 10
    seen = set()
    for gamma in np.logspace(-3, 3, 400):
        sizes = IEA(n_countries=n, cost=float(gamma), model="quadratic").stable_sizes()
        assert len(sizes) == 1
        seen |= set(sizes)
    assert seen == set(range(2, n + 1))
