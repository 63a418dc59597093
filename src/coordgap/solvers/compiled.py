"""The optional compiled engine (numba, the ``fast`` extra) and the switch that turns it on.

Two searches have a compiled version: the threshold cells of participation games
(:mod:`coordgap.solvers.cells`) and the branch and bound that isolates the mixed equilibria
of N-player games with two actions each (:mod:`coordgap.solvers.multilinear`). Each gives
the same answers as its array version. Importing numba and loading the compiled code take
about a second per process, so ``engine="auto"`` uses them only inside
:func:`compiled_search`, which long runs turn on (:func:`coordgap.monte_carlo` does for large
studies); ``engine="numba"`` asks for them on one call.
"""

from __future__ import annotations

import contextlib
import importlib
from types import ModuleType

from ..errors import InvalidParameterError

__all__ = ["ENGINES", "compiled_search", "switched_on", "engine_module"]

#: How a search runs: "auto" (compiled inside :func:`compiled_search` when numba is
#: installed), "numpy" (the array version) or "numba" (compiled; an error without numba).
ENGINES = ("auto", "numpy", "numba")
_SWITCH = {"on": False}
_MODULES: dict[str, ModuleType | None] = {}


@contextlib.contextmanager
def compiled_search(on: bool = True):
    """Within the block, ``engine="auto"`` runs the compiled searches where numba is installed.

    The threshold-cell search of participation games (and ``solve(method="auto")`` prefers it
    to the class-count test on games with at least
    :data:`~coordgap.solvers.cells.COMPILED_MIN_VECTORS` class-count vectors), and the branch
    and bound of N-player games with two actions each.

    Parameters
    ----------
    on : bool
        Whether to turn it on (False turns it off within the block).

    Returns
    -------
    contextlib.AbstractContextManager
        Restores the previous setting on exit.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.ParticipationGame(share=[0.3, 0.3, 0.2], cost=[1.0, 2.0, 3.0],
    ...                          capacity=[1.0, 2.0, 0.5], prob=0.5, harm=100.0,
    ...                          critical_mass="step", threshold=2)
    >>> with compiled_search():
    ...     eq = cg.solve(g)
    >>> [e.count for e in eq]
    [0, 2, 2]
    """
    before = _SWITCH["on"]
    _SWITCH["on"] = bool(on)
    try:
        yield
    finally:
        _SWITCH["on"] = before


def switched_on() -> bool:
    """Whether :func:`compiled_search` is on here.

    Returns
    -------
    bool
        The switch.
    """
    return _SWITCH["on"]


def _load(name: str) -> ModuleType | None:
    """The compiled module ``coordgap.solvers.<name>``, None where numba is not installed."""
    if name not in _MODULES:
        try:
            _MODULES[name] = importlib.import_module(f"{__package__}.{name}")
        except ImportError:
            _MODULES[name] = None
    return _MODULES[name]


def engine_module(function: str, engine: str, name: str) -> ModuleType | None:
    """The compiled module ``name`` if ``engine`` asks for it, else None (the array version).

    Parameters
    ----------
    function : str
        The public function, named in errors.
    engine : {"auto", "numpy", "numba"}
        See :data:`ENGINES`.
    name : str
        The compiled module in :mod:`coordgap.solvers`.

    Returns
    -------
    module or None
        None for the array version.

    Raises
    ------
    InvalidParameterError
        For an unknown engine, or ``"numba"`` without numba.
    """
    if engine not in ENGINES:
        raise InvalidParameterError(
            function, "engine", "one of " + ", ".join(map(repr, ENGINES)), engine
        )
    if engine == "numpy" or (engine == "auto" and not _SWITCH["on"]):
        return None
    module = _load(name)
    if module is None and engine == "numba":
        raise InvalidParameterError(
            function, "engine", "'numba' only where numba is installed (the fast extra)", engine
        )
    return module
