"""Corner values and point values of multilinear polynomials against the defining sum."""

import itertools

import numpy as np
import pytest

from coordgap.solvers.multilinear import _corner_values, _evaluate, unit_box_roots


def _direct(tensor, x):
    """Σ over unit-box corners c of T[c]·Π_j (x_j if c_j else 1 − x_j)."""
    k = len(x)
    return sum(
        tensor[(slice(None),) + c] * np.prod([x[j] if c[j] else 1 - x[j] for j in range(k)])
        for c in itertools.product((0, 1), repeat=k)
    )


@pytest.mark.slow
@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_corner_and_point_values_match_the_defining_sum(k):
    rng = np.random.default_rng(k)
    tensor = rng.normal(size=(4,) + (2,) * k)
    lo = rng.uniform(0.0, 0.5, size=(6, k))
    hi = lo + rng.uniform(0.0, 0.5, size=(6, k))
    values = _corner_values(tensor, lo, hi)
    assert values.shape == (6, 4, 2**k)
    for b in range(6):
        for index, corner in enumerate(itertools.product((0, 1), repeat=k)):
            x = [hi[b, j] if corner[j] else lo[b, j] for j in range(k)]
            np.testing.assert_allclose(values[b, :, index], _direct(tensor, x), atol=1e-12)
    points = rng.uniform(size=(5, k))
    np.testing.assert_allclose(
        _evaluate(tensor, points), [_direct(tensor, p) for p in points], atol=1e-12
    )


def test_three_unknowns_with_two_roots():
    # f0 = p1 − p0, f1 = p2 + p0 − 1, f2 = 16·p0·p2 − 3: then 16·p0·(1 − p0) = 3, so
    # p0 = 1/4 or 3/4, with p1 = p0 and p2 = 1 − p0.
    def corners(f):
        return np.array(
            [[[f(c0, c1, c2) for c2 in (0, 1)] for c1 in (0, 1)] for c0 in (0, 1)], dtype=float
        )

    tensors = np.stack(
        [
            corners(lambda a, b, c: b - a),
            corners(lambda a, b, c: c + a - 1),
            corners(lambda a, b, c: 16 * a * c - 3),
        ]
    )
    roots, certain = unit_box_roots(tensors)
    assert certain
    np.testing.assert_allclose(
        sorted(roots.tolist()), [[0.25, 0.25, 0.75], [0.75, 0.75, 0.25]], atol=1e-12
    )
