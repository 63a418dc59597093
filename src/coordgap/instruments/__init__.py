"""Incentive instruments and designs (docs/guide/m4-designs.md): pure transformations of a PolicyModel."""

from .assurance import AssuranceRefund
from .audit import Audit
from .base import Instrument, PolicyModel
from .bond import PerformanceBond
from .compute import ComputeAccess
from .design import Design
from .insurance import LiabilityInsurance
from .procurement import ProcurementPreference
from .quality import QualityIncentive
from .regulatory import RegulatoryFlexibility
from .subsidy import MatchingSubsidy
from .venue import StandingVenue

__all__ = [
    "Instrument",
    "PolicyModel",
    "Design",
    "PerformanceBond",
    "ProcurementPreference",
    "ComputeAccess",
    "RegulatoryFlexibility",
    "LiabilityInsurance",
    "MatchingSubsidy",
    "Audit",
    "AssuranceRefund",
    "QualityIncentive",
    "StandingVenue",
]
