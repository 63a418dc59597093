"""Hypothesis strategies shared by the property tests."""

import numpy as np
from hypothesis import strategies as st

import coordgap as cg
from coordgap.params import MIN_MAGNITUDE


def floats(lo: float, hi: float, **kwargs):
    """Finite floats in [lo, hi] as a model parameter accepts them: validation rejects nonzero
    magnitudes below ``MIN_MAGNITUDE``, so such draws are replaced by 0."""
    kwargs.setdefault("allow_nan", False)
    kwargs.setdefault("allow_infinity", False)
    return st.floats(lo, hi, **kwargs).map(lambda v: 0.0 if abs(v) < MIN_MAGNITUDE else v)


def participation_game(data, n=0, *, classes=False, max_classes=3, max_size=4, efficacy=3.0):
    """A random participation game drawn with ``data`` (``st.data()``): every critical-mass
    curve, assurance refunds and baselines. With ``classes`` the actors fall into up to
    ``max_classes`` classes of up to ``max_size`` actors with equal share and contribution
    (their costs and incentives still differ, as per-actor shocks make them); otherwise each
    of the ``n`` actors has its own share and contribution, sometimes small integers so that
    gains tie exactly."""
    if classes:
        sizes = [
            data.draw(st.integers(1, max_size))
            for _ in range(data.draw(st.integers(1, max_classes)))
        ]
        n = sum(sizes)

        def column(lo, hi):
            return np.repeat([data.draw(floats(lo, hi)) for _ in sizes], sizes)

    else:

        def column(lo, hi):
            return np.array([data.draw(floats(lo, hi)) for _ in range(n)])

    def per_actor(lo, hi):
        if data.draw(st.booleans()):  # small integers: exact ties between actors' gains
            return np.array([float(data.draw(st.integers(int(lo), int(hi)))) for _ in range(n)])
        return np.array([data.draw(floats(lo, hi)) for _ in range(n)])

    share = column(0.05, 1.0)
    share = share / share.sum() * data.draw(floats(0.1, 0.95))
    capacity = per_actor(1.0, 4.0) if not classes and data.draw(st.booleans()) else column(0.1, 4)
    return cg.ParticipationGame(
        share=share,
        cost=per_actor(0.0, 3.0),
        capacity=capacity,
        weight=column(0.5, 1.5) if classes else per_actor(1.0, 2.0),
        incentive=per_actor(0.0, 1.0),
        prob=data.draw(floats(0.05, 1.0)),
        harm=data.draw(floats(10.0, 500.0)),
        efficacy=data.draw(floats(0.05, efficacy)),
        baseline=data.draw(floats(0.0, 2.0)),
        critical_mass=data.draw(st.sampled_from(("none", "step", "logistic"))),
        threshold=data.draw(floats(0.0, float(n))),
        steepness=data.draw(floats(0.3, 8.0)),
        refund_threshold=float(data.draw(st.integers(0, n))),
        refund_bonus=data.draw(floats(0.0, 0.5)),
    )
