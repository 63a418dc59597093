"""Renamed public names keep working for one release, with a ``DeprecationWarning``.

Each alias carries ``__deprecated__`` (the message, as :pep:`702` proposes), so tools and the
docstring gate can tell it from a documented name.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["renamed_method", "moved_names", "SINCE", "REMOVAL"]

#: The release that renamed the names, and the one that will remove the old spellings.
SINCE, REMOVAL = "0.2", "0.3"


def _message(old: str, new: str) -> str:
    return f"{old} is deprecated since coordgap {SINCE} and will be removed in {REMOVAL}; use {new}"


def renamed_method(new: str, old: str) -> Callable[..., Any]:
    """A method named ``old`` that warns and calls the method ``new``.

    Parameters
    ----------
    new : str
        The method's new name.
    old : str
        The old name, the alias's name.

    Returns
    -------
    callable
        The alias, to assign in the class body (``old = renamed_method("new", "old")``).
    """

    def alias(self, *args, **kwargs):
        message = _message(f"{type(self).__name__}.{old}", f".{new}")
        warnings.warn(message, DeprecationWarning, stacklevel=2)
        return getattr(self, new)(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old
    alias.__doc__ = f"Deprecated alias of :meth:`{new}` (removed in coordgap {REMOVAL})."
    alias.__deprecated__ = _message(old, new)  # type: ignore[attr-defined]
    return alias


def moved_names(module: str, names: dict[str, tuple[str, Callable[[], Any]]]):
    """A module ``__getattr__`` serving old names that warn and return the new objects.

    Parameters
    ----------
    module : str
        The module's ``__name__`` (for the message).
    names : dict
        Old name → (new name, a function returning the new object).

    Returns
    -------
    callable
        The module-level ``__getattr__``.
    """

    @functools.wraps(lambda name: None)
    def __getattr__(name: str) -> Any:
        if name in names:
            new, load = names[name]
            warnings.warn(
                _message(f"{module}.{name}", f"{module}.{new}"), DeprecationWarning, stacklevel=2
            )
            return load()
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
