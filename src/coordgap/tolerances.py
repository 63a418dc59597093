"""Named numerical tolerances of the solvers, each with what it decides.

Every bare number a solver compares against lives here, so a reader can see which decisions
rest on which tolerance and a change is made in one place. Relative tolerances are relative
to the scale named in their description; the certificates' pass/fail rule is separate
(:data:`coordgap.solvers.verdict.DEFAULT_TOL` and ``ROUNDING``).
"""

from __future__ import annotations

__all__ = [
    "ROOT_XTOL",
    "ROOT_RTOL",
    "MINIMIZE_XATOL",
    "SAME_POINT",
    "SAME_ROOT",
    "SAME_POLY_ROOT",
    "GAIN_TOL",
    "PROBABILITY_SUM",
    "TIE_RTOL",
    "NEAR_ZERO",
    "BOX_EDGE",
    "INTERIOR",
    "SINGULAR_DET",
    "RANK_TOL",
    "VERTEX_TOL",
    "ODE_RTOL",
    "ODE_ATOL",
    "ROOT_RESIDUAL",
    "SCAN_RESIDUAL",
    "MIN_STEP",
    "NEWTON_TOL",
    "NEWTON_ACCEPT",
    "BRANCH_BRACKET_RTOL",
    "BRANCH_XATOL",
]

#: Absolute bracket width at which a bracketing root finder (``brentq``) stops: full precision
#: on [0, 1].
ROOT_XTOL = 1e-15
#: Relative bracket width at which ``brentq`` stops when called for full precision.
ROOT_RTOL = 1e-15
#: Step at which a bounded scalar minimization of a residual stops (on [0, 1]).
MINIMIZE_XATOL = 1e-14
#: Two strategy profiles (probability vectors) closer than this in max-norm are the same
#: equilibrium: far below any distinct equilibrium of a game with payoffs on [0, 1], far above
#: rounding.
SAME_POINT = 1e-9
#: Two roots of a one-dimensional gain function closer than this are one root.
SAME_ROOT = 1e-10
#: Two roots of a polynomial found by Bernstein subdivision closer than this are one root.
SAME_POLY_ROOT = 1e-13
#: A deviation gain below this (payoffs normalized to [0, 1]) is no gain: a support pattern
#: passes its best-response check.
GAIN_TOL = 1e-9
#: A probability vector's entries may sum to 1 within this.
PROBABILITY_SUM = 1e-9
#: Payoffs closer than this, relative to the player's payoff range, tie.
TIE_RTOL = 1e-12
#: A value (of a polynomial or a residual, on payoffs normalized to [0, 1]) this small is 0.
NEAR_ZERO = 1e-12
#: A root found this far outside a box still belongs to it (rounding of the box corners).
BOX_EDGE = 1e-13
#: A root must be this far inside (0, 1) to count as interior (completely mixed).
INTERIOR = 1e-12
#: A basis whose determinant is below this (payoffs normalized to [0, 1]) is nearly singular
#: and is checked again in exact arithmetic.
SINGULAR_DET = 1e-8
#: Singular values below this count as zero when a rank decides whether constraints are
#: independent.
RANK_TOL = 1e-9
#: Default tie tolerance of floating-point vertex enumeration (payoffs normalized to [0, 1]).
VERTEX_TOL = 1e-10
#: Relative and absolute tolerances of the ODE integrator for the evolutionary dynamics.
ODE_RTOL, ODE_ATOL = 1e-10, 1e-12
#: A root polished by minimization is accepted when the residual is this small (times the
#: scale of the function).
ROOT_RESIDUAL = 1e-12
#: A minimum of a scanned residual is a root when it is below this times (1 + |x|).
SCAN_RESIDUAL = 1e-10
#: Smallest arc-length step of QRE branch continuation; a step halved below it fails the trace.
MIN_STEP = 1e-10
#: Residual at which the Newton corrector of a QRE branch point stops, and the largest residual
#: at which its result is accepted.
NEWTON_TOL, NEWTON_ACCEPT = 1e-12, 1e-9
#: Relative width (of the arc length searched) at which the bisection for a branch point stops,
#: and the step of the bounded minimization that locates it.
BRANCH_BRACKET_RTOL, BRANCH_XATOL = 1e-9, 1e-10
