"""Shared by the file loaders: collect every problem with its dotted path, read quantities."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import did_you_mean

__all__ = ["Problems", "QUANTITY_KEYS", "read_number", "dimension"]

QUANTITY_KEYS = ("value", "unit", "source")


class Problems:
    """Every problem found in a file, each as ``"dotted.path: what is wrong"``."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, text: str) -> None:
        self.items.append(f"{path}: {text}")

    def unknown(self, path: str, keys, known) -> None:
        """Report every key not in ``known``, with a did-you-mean."""
        for key in keys:
            if key not in known:
                where = f"{path}.{key}" if path else str(key)
                self.add(where, f"unknown key. {did_you_mean(str(key), sorted(known))}")


def read_number(spec, value: Any, path: str, problems: Problems, units: dict | None = None,
                sources: dict | None = None) -> float | None:
    """A number written plainly or as ``{ value, unit, source }``, checked against the declared
    parameter ``spec``; records the unit and source; None (and a problem) when invalid."""
    if isinstance(value, dict):
        problems.unknown(path, value.keys(), QUANTITY_KEYS)
        if "value" not in value:
            problems.add(path, "a quantity table needs a 'value' key")
            return None
        if units is not None and "unit" in value:
            units[path] = str(value["unit"])
        if sources is not None and "source" in value:
            sources[path] = str(value["source"])
        value = value["value"]
    rule = spec.rule().replace(" for every actor", "")
    ok = not isinstance(value, bool) and isinstance(value, (int, float))
    if ok and spec.admits(np.array([float(value)]))[0]:
        return float(value)
    problems.add(path, f"must be {rule}, got {value!r}")
    return None


def dimension(unit: str) -> str:
    """The dimension of a unit string, read from its numerator (the part before ``per``):
    ``"money"`` (USD), ``"capacity"``, ``"actors"``, ``"time"`` or ``"1"`` (dimensionless).

    >>> dimension("USD m per unit^2"), dimension("1 per year"), dimension("per capacity unit")
    ('money', '1', '1')
    """
    text = f" {unit.strip().lower()} "
    numerator = text.split(" per ")[0] if not text.strip().startswith("per ") else ""
    if "usd" in numerator or "$" in numerator:
        return "money"
    if "capacity" in numerator or numerator.strip() in ("unit", "units"):
        return "capacity"
    if "actor" in numerator:
        return "actors"
    if numerator.strip() in ("h", "hour", "hours", "year", "years", "day", "days"):
        return "time"
    return "1"
