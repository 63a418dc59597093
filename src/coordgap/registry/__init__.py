"""The Scenario Response Registry (DESIGN.md, M6): scenario library, filed plans, checks and
tabletop exercises."""

from .checks import Finding, RegistryReport, check
from .load import load_registry, registry_from_dict
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
from .synthetic import synthetic
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
]
