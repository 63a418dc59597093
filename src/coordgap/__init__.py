"""coordgap: game-theoretic models of the coordination gap in frontier-AI safety.

Investment in shared response capacity has diffuse benefits and concentrated costs, so every
actor underinvests. coordgap computes equilibrium preparedness and its gap to the social
optimum, with certified equilibria (each carries its max regret).
"""

from importlib.metadata import PackageNotFoundError, version

from . import errors, params, results
from .analysis.gap import gap
from .analysis.sweep import SweepResult, sweep
from .api import optimum, solve
from .errors import (ConvergenceWarning, CoordgapError, CoordgapWarning, DegenerateGameWarning,
                     InvalidParameterError, SpecError)
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
    "load_model",
    "ModelSpec",
    "EquilibriumSet",
    "PreparednessEquilibrium",
    "SocialOptimum",
    "GapReport",
    "CoordgapError",
    "InvalidParameterError",
    "SpecError",
    "CoordgapWarning",
    "ConvergenceWarning",
    "DegenerateGameWarning",
    "errors",
    "params",
    "results",
]

# --- normal-form solvers and file formats ---
# --- end normal-form solvers ---

# --- QRE, dynamics, classic models ---
# --- end QRE, dynamics, classic models ---

# --- participation, global game, commitment credibility ---
# --- end participation ---
