"""Modules loaded on first use: heavy dependencies (pandas, parts of scipy) that only some
functions of a module need, so that importing the module, and the command line, stay fast."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["lazy_module"]


class _LazyModule(ModuleType):
    """A stand-in that imports the named module on its first attribute access, then keeps
    each attribute it hands out (later look-ups are plain attribute reads)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)

    def __getattr__(self, attr: str) -> Any:
        value = getattr(importlib.import_module(self.__name__), attr)
        setattr(self, attr, value)
        return value


def lazy_module(name: str) -> ModuleType:
    """A module object for ``name`` that is imported when one of its attributes is first read.

    Parameters
    ----------
    name : str
        Absolute module name, e.g. ``"scipy.optimize"``.

    Returns
    -------
    module
        A stand-in whose attributes are those of the module.

    Examples
    --------
    >>> optimize = lazy_module("scipy.optimize")
    >>> round(optimize.brentq(lambda x: x * x - 2.0, 0.0, 2.0), 12)
    1.414213562373
    """
    return _LazyModule(name)
