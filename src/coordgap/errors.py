"""Exceptions and named warnings raised by coordgap.

Every error a user can trigger with bad input is an :class:`InvalidParameterError`, which is
also a :class:`ValueError`, and its message follows one template naming the parameter, the
rule and the offending value. Numerical trouble is never an exception: results carry
``success=False`` and a :class:`ConvergenceWarning` is emitted.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "CoordgapError",
    "InvalidParameterError",
    "SpecError",
    "ResourceLimitError",
    "CoordgapWarning",
    "ConvergenceWarning",
    "DegenerateGameWarning",
    "CertificateWarning",
    "did_you_mean",
    "Shown",
]


class Shown(str):
    """A value already formatted for an error message (shown without quotes)."""


class CoordgapError(Exception):
    """Base class of every exception raised by coordgap."""


class InvalidParameterError(CoordgapError, ValueError):
    """A parameter violates its declared rule.

    Parameters
    ----------
    owner : str
        Class or function that received the parameter.
    name : str
        Parameter name.
    rule : str
        The rule, phrased to follow "must be", e.g. ``"a finite float > 0"``.
    value : object
        The offending value (or a description of where it occurs).
    detail : str, optional
        Extra text appended after the value, e.g. a did-you-mean suggestion.

    Examples
    --------
    >>> err = InvalidParameterError("PreparednessGame", "cost", "a finite float > 0", -1.0)
    >>> str(err)
    "The 'cost' parameter of PreparednessGame must be a finite float > 0. Got -1.0 instead."
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, owner: str, name: str, rule: str, value: object, detail: str = ""):
        self.owner = owner
        self.name = name
        self.rule = rule
        self.value = value
        shown = str(value) if isinstance(value, Shown) else repr(value)
        message = f"The {name!r} parameter of {owner} must be {rule}. Got {shown} instead."
        if detail:
            message = f"{message} {detail}"
        super().__init__(message)


class SpecError(CoordgapError, ValueError):
    """A model or registry file has problems; ``problems`` lists every one with its dotted path.

    Parameters
    ----------
    source : str
        The file (or other input) with the problems.
    problems : iterable of str
        One message per problem, each starting with its dotted path in the document.
    """

    def __init__(self, source: str, problems: Iterable[str]):
        self.source = source
        self.problems = tuple(problems)
        lines = [f"{source}: {p}" for p in self.problems]
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(f"{len(self.problems)} {noun} found:\n" + "\n".join(lines))


class ResourceLimitError(InvalidParameterError):
    """A requested size (runs, draws, grid points) is over its work limit.

    Raised before anything is allocated; the message estimates the time and memory the work
    would take and says how to go past the limit (``--allow-large`` on the command line,
    :func:`coordgap.limits.allow_large` in Python).
    """


class CoordgapWarning(UserWarning):
    """Base class of coordgap's named warnings."""


class ConvergenceWarning(CoordgapWarning):
    """A numerical method stopped before reaching its tolerance; see the result's ``message``."""


class DegenerateGameWarning(CoordgapWarning):
    """The game is degenerate (ties, continua of equilibria) and the result says how it was handled."""


class CertificateWarning(ConvergenceWarning):
    """A reported equilibrium failed its independent max-regret certificate.

    The result then has ``success=False`` and its ``message`` names the equilibrium, its regret
    and the tolerance. A subclass of :class:`ConvergenceWarning`, so filters on that class
    catch it too.
    """


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """Return ``' Did you mean "x"?'`` for the closest choice, or a list of valid choices.

    Parameters
    ----------
    value : str
        The unknown name given.
    choices : iterable of str
        The valid names.

    Returns
    -------
    str
        ``"Did you mean 'x'?"`` when a choice is close (difflib ratio >= 0.5), otherwise
        ``"Valid choices: 'a', 'b'."``.

    Examples
    --------
    >>> did_you_mean("summ", ["sum", "ces", "weakest_link", "best_shot"])
    "Did you mean 'sum'?"
    """
    choices = list(choices)
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
    if close:
        return f"Did you mean {close[0]!r}?"
    return "Valid choices: " + ", ".join(repr(c) for c in choices) + "."
