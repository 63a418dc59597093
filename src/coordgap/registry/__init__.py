"""The Scenario Response Registry: scenario library, filed plans, checks and tabletop exercises.

Names load on first use (PEP 562), so ``coordgap registry --help`` and the submodules a caller
imports directly do not pay for the whole package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    **dict.fromkeys(("Finding", "RegistryReport", "check"), ".checks"),
    **dict.fromkeys(("load_registry", "registry_from_dict"), ".load"),
    **dict.fromkeys(
        (
            "COMPARATORS",
            "DOMAINS",
            "FUNCTIONS",
            "ROLES",
            "SEVERITY",
            "Actor",
            "DecisionProcess",
            "Filing",
            "Indicator",
            "Registry",
            "RequiredFunction",
            "ResourceCommitment",
            "Response",
            "Scenario",
            "Trigger",
        ),
        ".schema",
    ),
    "TabletopResult": ".tabletop",
    **dict.fromkeys(("Incident", "Revision", "Review", "review"), ".reviews"),
    **dict.fromkeys(("ReviewCycles", "review_cycles"), ".cycles"),
}

# ``synthetic`` is both a submodule and its function: bound here, so that importing the submodule
# (which sets the package attribute to the module) cannot shadow the function.
from .synthetic import synthetic  # noqa: E402

if TYPE_CHECKING:  # the names, for type checkers and editors
    from .checks import Finding, RegistryReport, check
    from .cycles import ReviewCycles, review_cycles
    from .load import load_registry, registry_from_dict
    from .reviews import Incident, Review, Revision, review
    from .schema import (
        COMPARATORS,
        DOMAINS,
        FUNCTIONS,
        ROLES,
        SEVERITY,
        Actor,
        DecisionProcess,
        Filing,
        Indicator,
        Registry,
        RequiredFunction,
        ResourceCommitment,
        Response,
        Scenario,
        Trigger,
    )
    from .tabletop import TabletopResult

__all__ = [
    "Registry",
    "Scenario",
    "Filing",
    "Actor",
    "Indicator",
    "RequiredFunction",
    "Trigger",
    "Response",
    "ResourceCommitment",
    "DecisionProcess",
    "RegistryReport",
    "Finding",
    "TabletopResult",
    "load_registry",
    "registry_from_dict",
    "check",
    "DOMAINS",
    "ROLES",
    "SEVERITY",
    "FUNCTIONS",
    "COMPARATORS",
    "synthetic",
    "Incident",
    "Revision",
    "Review",
    "review",
    "ReviewCycles",
    "review_cycles",
]


def __getattr__(name: str) -> Any:
    """Load a public name on first use and keep it in the package's namespace."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'coordgap.registry' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
