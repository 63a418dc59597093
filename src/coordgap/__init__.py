"""coordgap: game-theoretic models of the coordination gap in frontier-AI safety.

Investment in shared response capacity has diffuse benefits and concentrated costs, so every
actor underinvests. coordgap computes equilibrium preparedness and its gap to the social
optimum, with certified equilibria (each carries its max regret).
"""

from importlib.metadata import PackageNotFoundError, version

from . import errors, params, results
from .analysis.gap import gap
from .analysis.compare import Comparison, compare
from .analysis.critical import CriticalLevel, Target, critical_level
from .analysis.montecarlo import RobustnessResult, robustness
from .analysis.sweep import SweepResult, sweep
from . import instruments
from .instruments import (AssuranceRefund, Audit, ComputeAccess, Design, Instrument, LiabilityInsurance,
                          MatchingSubsidy, PerformanceBond, PolicyModel, ProcurementPreference,
                          RegulatoryFlexibility)
from .instruments.base import ActorTable
from .api import optimum, solve
from .errors import (CertificateWarning, ConvergenceWarning, CoordgapError, CoordgapWarning,
                     DegenerateGameWarning, InvalidParameterError, ResourceLimitError, SpecError)
from .games.normal_form import NormalFormGame
from .games.preparedness import PreparednessGame
from .spec import ModelSpec, load_model
from .results import EquilibriumSet, GapReport, PreparednessEquilibrium, SocialOptimum

try:
    __version__ = version("coordgap")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    "PreparednessGame",
    "NormalFormGame",
    "solve",
    "optimum",
    "gap",
    "sweep",
    "SweepResult",
    "compare",
    "Comparison",
    "critical_level",
    "CriticalLevel",
    "Target",
    "robustness",
    "RobustnessResult",
    "instruments",
    "Instrument",
    "PolicyModel",
    "ActorTable",
    "Design",
    "PerformanceBond",
    "ProcurementPreference",
    "ComputeAccess",
    "RegulatoryFlexibility",
    "LiabilityInsurance",
    "MatchingSubsidy",
    "Audit",
    "AssuranceRefund",
    "load_model",
    "ModelSpec",
    "EquilibriumSet",
    "PreparednessEquilibrium",
    "SocialOptimum",
    "GapReport",
    "CoordgapError",
    "InvalidParameterError",
    "SpecError",
    "ResourceLimitError",
    "CoordgapWarning",
    "ConvergenceWarning",
    "CertificateWarning",
    "DegenerateGameWarning",
    "errors",
    "params",
    "results",
]

# --- normal-form solvers and file formats ---
from .solvers import normal_form as _normal_form_solvers  # noqa: F401  (registers cg.solve)
from .games.symmetric_binary import SymmetricBinaryGame
from .solvers import binary_symmetric as _binary_symmetric_solvers  # noqa: F401  (registers cg.solve)
from .solvers.binary_symmetric import SymmetricBinaryEquilibrium
from .solvers.normal_form import NormalFormEquilibrium
from .games.nfg import read_nfg, write_nfg

__all__ += ["SymmetricBinaryGame", "SymmetricBinaryEquilibrium", "NormalFormEquilibrium",
            "read_nfg", "write_nfg"]
# --- end normal-form solvers ---

# --- QRE, dynamics, classic models ---
from .games import classics
from .solvers.dynamics import fixation_probability, replicator, stationary_distribution
from .solvers.qre import LogitQRE, QREBifurcationWarning, QREBranchWarning, qre

__all__ += ["classics", "qre", "LogitQRE", "QREBifurcationWarning", "QREBranchWarning",
            "replicator", "fixation_probability", "stationary_distribution"]
# --- end QRE, dynamics, classic models ---

# --- participation, global game, commitment credibility ---
from .games.participation import ParticipationGame
from .solvers.lattice import ParticipationEquilibria, ParticipationEquilibrium
from .games.commitment import CommitmentModel, CoverageDistribution
from .games.global_game import CutoffEquilibrium, GlobalParticipationGame
from .analysis.bond import (BondCurve, ComplianceReport, declared_inflation, optimal_bond,
                            performative_compliance)
from .analysis.participation import UniqueParticipationIncentive, unique_participation_incentive

__all__ += ["ParticipationGame", "ParticipationEquilibrium", "ParticipationEquilibria",
            "CommitmentModel", "CoverageDistribution", "BondCurve", "optimal_bond",
            "ComplianceReport", "performative_compliance", "declared_inflation",
            "GlobalParticipationGame", "CutoffEquilibrium", "unique_participation_incentive",
            "UniqueParticipationIncentive"]
# --- end participation ---

# --- registry ---
from .registry import Registry, load_registry

__all__ += ["Registry", "load_registry"]
# --- end registry ---

# --- note-exchange and governance ---
from .games.disclosure import DisclosureCurve, DisclosureEquilibrium, DisclosureGame
from .games.learning import LearningModel, LearningPaths
from .games.library_scope import LibraryScopeCurve, LibraryScopeModel
from .games.capture import CaptureCurve, CaptureModel, CaptureOutcome
from .registry.exchange import ExchangeResult, exchange_exercise

__all__ += ["DisclosureGame", "DisclosureEquilibrium", "DisclosureCurve", "LearningModel",
            "LearningPaths", "LibraryScopeModel", "LibraryScopeCurve",
            "CaptureModel", "CaptureOutcome", "CaptureCurve", "exchange_exercise",
            "ExchangeResult"]
# --- end note-exchange and governance ---

# --- conformance checks ---
from .checks import check_game, check_instrument

__all__ += ["check_instrument", "check_game"]
# --- end conformance checks ---
