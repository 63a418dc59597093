"""Hypothesis strategies shared by the property tests."""

from hypothesis import strategies as st

from coordgap.params import MIN_MAGNITUDE


def floats(lo: float, hi: float, **kwargs):
    """Finite floats in [lo, hi] as a model parameter accepts them: validation rejects nonzero
    magnitudes below ``MIN_MAGNITUDE``, so such draws are replaced by 0."""
    kwargs.setdefault("allow_nan", False)
    kwargs.setdefault("allow_infinity", False)
    return st.floats(lo, hi, **kwargs).map(lambda v: 0.0 if abs(v) < MIN_MAGNITUDE else v)
