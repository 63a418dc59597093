"""coordgap: game-theoretic models of the coordination gap in frontier-AI safety.

Investment in shared response capacity has diffuse benefits and concentrated costs, so every
actor underinvests. coordgap computes equilibrium preparedness and its gap to the social
optimum, with certified equilibria (each carries its max regret).

Every public name below is loaded on first use (PEP 562): ``import coordgap`` itself loads only
the error classes, so the command line starts quickly and scripts pay only for what they use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import errors
from ._version import __version__
from .errors import (
    CertificateWarning,
    ConvergenceWarning,
    CoordgapError,
    CoordgapWarning,
    DegenerateGameWarning,
    InvalidParameterError,
    ResourceLimitError,
    SpecError,
)

# Public name -> the module that defines it, grouped by layer.
_EXPORTS: dict[str, str] = {}
for _module, _names in {
    # games and the façade
    ".games.preparedness": ("PreparednessGame",),
    ".games.normal_form": ("NormalFormGame",),
    ".games.symmetric_binary": ("SymmetricBinaryGame",),
    ".games.nfg": ("read_nfg", "write_nfg"),
    ".games.participation": ("ParticipationGame",),
    ".games.commitment": ("CommitmentModel", "CoverageDistribution"),
    ".games.global_game": ("GlobalParticipationGame", "CutoffEquilibrium"),
    ".games.bayesian_participation": (
        "BayesianParticipationGame",
        "BayesianParticipationEquilibrium",
    ),
    ".games.disclosure": ("DisclosureGame", "DisclosureEquilibrium", "DisclosureCurve"),
    ".games.learning": ("LearningModel", "LearningPaths"),
    ".games.library_scope": ("LibraryScopeModel", "LibraryScopeCurve"),
    ".games.capture": ("CaptureModel", "CaptureOutcome", "CaptureCurve"),
    ".api": ("solve", "optimum"),
    # results and solvers
    ".results": ("EquilibriumSet", "PreparednessEquilibrium", "SocialOptimum", "GapReport"),
    ".solvers.normal_form": ("NormalFormEquilibrium",),
    ".solvers.binary_symmetric": ("SymmetricBinaryEquilibrium",),
    ".solvers.lattice": ("ParticipationEquilibrium", "ParticipationEquilibria"),
    ".solvers.dynamics": ("replicator", "fixation_probability", "stationary_distribution"),
    ".solvers.qre": ("qre", "LogitQRE", "QREBifurcationWarning", "QREBranchWarning"),
    ".solvers.qre_fit": ("fit_logit_qre", "QREFit"),
    ".solvers.compiled": ("compiled_search",),
    # instruments and analysis
    ".instruments": (
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
    ),
    ".instruments.base": ("ActorTable",),
    ".analysis.gap": ("gap",),
    ".analysis.sweep": ("sweep", "SweepResult"),
    ".analysis.compare": ("compare", "Comparison"),
    ".analysis.critical": ("critical_level", "CriticalLevel", "Target"),
    ".analysis.montecarlo": ("monte_carlo", "MonteCarloResult"),
    ".analysis.sensitivity": ("sensitivity", "SensitivityResult"),
    ".analysis.prim": ("prim", "PrimResult", "scenario_discovery"),
    ".analysis.implementation": ("cheapest_implementation", "Implementation"),
    ".analysis.optimize": ("optimize_design", "OptimizedDesign"),
    ".analysis.registry_instruments": (
        "quality_comparison",
        "QualityComparison",
        "venue_outcome",
        "VenueOutcome",
    ),
    ".analysis.subsidies": (
        "first_best_subsidy",
        "second_best_subsidy",
        "lindahl_prices",
        "SubsidyScheme",
        "LindahlPrices",
    ),
    ".analysis.bond": (
        "BondCurve",
        "optimal_bond",
        "ComplianceReport",
        "performative_compliance",
        "declared_inflation",
    ),
    ".analysis.participation": ("unique_participation_incentive", "UniqueParticipationIncentive"),
    # files, registry, checks
    ".spec": ("load_model", "ModelSpec"),
    ".registry": ("Registry", "load_registry"),
    ".registry.exchange": (
        "exchange_exercise",
        "ExchangeResult",
        "exchange_region",
        "ExchangeRegion",
        "TwoPlanConflict",
    ),
    ".registry.reviews": ("review", "Review", "Incident"),
    ".registry.cycles": ("review_cycles", "ReviewCycles"),
    ".checks": ("check_instrument", "check_game"),
    ".protocols": ("GameProtocol", "SolverProtocol", "EquilibriumProtocol", "InstrumentProtocol"),
}.items():
    _EXPORTS.update(dict.fromkeys(_names, _module))
del _module, _names
_SUBMODULES = {
    "params": ".params",
    "results": ".results",
    "instruments": ".instruments",
    "classics": ".classics",
}

__all__ = [
    "__version__",
    *_EXPORTS,
    "CoordgapError",
    "InvalidParameterError",
    "SpecError",
    "ResourceLimitError",
    "CoordgapWarning",
    "ConvergenceWarning",
    "CertificateWarning",
    "DegenerateGameWarning",
    "errors",
    *_SUBMODULES,
]


# Old public names, kept for one release: each warns and returns the renamed object.
_RENAMED = {"robustness": ".analysis.montecarlo", "RobustnessResult": ".analysis.montecarlo"}


def __getattr__(name: str) -> Any:
    """Load a public name on first use and keep it in the module's namespace."""
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(_SUBMODULES[name], __name__)
    elif name in _RENAMED:  # the defining module warns on each access; not cached here
        return getattr(importlib.import_module(_RENAMED[name], __name__), name)
    else:
        raise AttributeError(f"module 'coordgap' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # static analysers and IDEs see every name eagerly
    from . import classics, instruments, params, results  # noqa: F401
    from .analysis.bond import (  # noqa: F401
        BondCurve,
        ComplianceReport,
        declared_inflation,
        optimal_bond,
        performative_compliance,
    )
    from .analysis.compare import Comparison, compare  # noqa: F401
    from .analysis.critical import CriticalLevel, Target, critical_level  # noqa: F401
    from .analysis.gap import gap  # noqa: F401
    from .analysis.implementation import Implementation, cheapest_implementation  # noqa: F401
    from .analysis.montecarlo import MonteCarloResult, monte_carlo  # noqa: F401
    from .analysis.optimize import OptimizedDesign, optimize_design  # noqa: F401
    from .analysis.participation import UniqueParticipationIncentive, unique_participation_incentive  # noqa: F401
    from .analysis.prim import PrimResult, prim, scenario_discovery  # noqa: F401
    from .analysis.registry_instruments import (  # noqa: F401
        QualityComparison,
        VenueOutcome,
        quality_comparison,
        venue_outcome,
    )
    from .analysis.sensitivity import SensitivityResult, sensitivity  # noqa: F401
    from .analysis.subsidies import (  # noqa: F401
        LindahlPrices,
        SubsidyScheme,
        first_best_subsidy,
        lindahl_prices,
        second_best_subsidy,
    )
    from .analysis.sweep import SweepResult, sweep  # noqa: F401
    from .api import optimum, solve  # noqa: F401
    from .checks import check_game, check_instrument  # noqa: F401
    from .games.bayesian_participation import (  # noqa: F401
        BayesianParticipationEquilibrium,
        BayesianParticipationGame,
    )
    from .games.capture import CaptureCurve, CaptureModel, CaptureOutcome  # noqa: F401
    from .games.commitment import CommitmentModel, CoverageDistribution  # noqa: F401
    from .games.disclosure import DisclosureCurve, DisclosureEquilibrium, DisclosureGame  # noqa: F401
    from .games.global_game import CutoffEquilibrium, GlobalParticipationGame  # noqa: F401
    from .games.learning import LearningModel, LearningPaths  # noqa: F401
    from .games.library_scope import LibraryScopeCurve, LibraryScopeModel  # noqa: F401
    from .games.nfg import read_nfg, write_nfg  # noqa: F401
    from .games.normal_form import NormalFormGame  # noqa: F401
    from .games.participation import ParticipationGame  # noqa: F401
    from .games.preparedness import PreparednessGame  # noqa: F401
    from .games.symmetric_binary import SymmetricBinaryGame  # noqa: F401
    from .instruments import (  # noqa: F401
        AssuranceRefund,
        Audit,
        ComputeAccess,
        Design,
        Instrument,
        LiabilityInsurance,
        MatchingSubsidy,
        PerformanceBond,
        PolicyModel,
        ProcurementPreference,
        QualityIncentive,
        RegulatoryFlexibility,
        StandingVenue,
    )
    from .instruments.base import ActorTable  # noqa: F401
    from .protocols import (  # noqa: F401
        EquilibriumProtocol,
        GameProtocol,
        InstrumentProtocol,
        SolverProtocol,
    )
    from .registry import Registry, load_registry  # noqa: F401
    from .registry.cycles import ReviewCycles, review_cycles  # noqa: F401
    from .registry.exchange import (  # noqa: F401
        ExchangeRegion,
        ExchangeResult,
        TwoPlanConflict,
        exchange_exercise,
        exchange_region,
    )
    from .registry.reviews import Incident, Review, review  # noqa: F401
    from .results import EquilibriumSet, GapReport, PreparednessEquilibrium, SocialOptimum  # noqa: F401
    from .solvers.binary_symmetric import SymmetricBinaryEquilibrium  # noqa: F401
    from .solvers.compiled import compiled_search  # noqa: F401
    from .solvers.dynamics import fixation_probability, replicator, stationary_distribution  # noqa: F401
    from .solvers.lattice import ParticipationEquilibria, ParticipationEquilibrium  # noqa: F401
    from .solvers.normal_form import NormalFormEquilibrium  # noqa: F401
    from .solvers.qre import LogitQRE, QREBifurcationWarning, QREBranchWarning, qre  # noqa: F401
    from .solvers.qre_fit import QREFit, fit_logit_qre  # noqa: F401
    from .spec import ModelSpec, load_model  # noqa: F401
