"""Classic published models, each built on coordgap's general machinery (docs/guide/m5-classics.md).

Each module cites its source and states which published result its test in
``tests/published/`` reproduces:

==========================  ==========================================================
module                      model
==========================  ==========================================================
``bergstrom_blume_varian``  private provision of a public good, neutrality (1986)
``varian``                  total effort / weakest link / best shot (2004)
``kunreuther_heal``         interdependent security, tipping (2003)
``barrett``                 self-enforcing environmental agreements (1994)
``palfrey_rosenthal``       threshold public goods, mixed equilibria (1984)
``collective_risk``         collective-risk dilemma (Santos & Pacheco 2011)
``morris_shin``             regime change (1998) and investment game (2003) global games
``carlsson_van_damme``      two-player global game, risk-dominance selection (1993)
``tabarrok``                dominant assurance contract (1998)
``mckelvey_palfrey``        logit QRE in asymmetric matching pennies, fit to Ochs (1995)
==========================  ==========================================================
"""

from .barrett import EnvironmentalAgreement, stable_sizes
from .bergstrom_blume_varian import (
    CrowdingOutResult,
    NeutralityResult,
    PublicGoodEconomy,
    PublicGoodEquilibrium,
    private_provision,
    provision_closed_form,
)
from .carlsson_van_damme import GlobalGameCutoffs, TwoPlayerGlobalGame
from .collective_risk import CollectiveRiskDilemma, FiniteStationary, RestPoint
from .kunreuther_heal import InterdependentSecurity
from .mckelvey_palfrey import (
    OCHS_A4_COUNTS,
    asymmetric_matching_pennies,
    logit_correspondence,
    mp95_transformed_game,
)
from .morris_shin import InvestmentCutoff, InvestmentGame, RegimeChange
from .palfrey_rosenthal import ThresholdPublicGood
from .tabarrok import DominantAssuranceContract
from .varian import reliability_game, standalone_levels

__all__ = [
    "CollectiveRiskDilemma",
    "RestPoint",
    "FiniteStationary",
    "TwoPlayerGlobalGame",
    "GlobalGameCutoffs",
    "InvestmentGame",
    "InvestmentCutoff",
    "mp95_transformed_game",
    "OCHS_A4_COUNTS",
    "ThresholdPublicGood",
    "InterdependentSecurity",
    "EnvironmentalAgreement",
    "stable_sizes",
    "RegimeChange",
    "DominantAssuranceContract",
    "asymmetric_matching_pennies",
    "logit_correspondence",
    "PublicGoodEconomy",
    "PublicGoodEquilibrium",
    "NeutralityResult",
    "CrowdingOutResult",
    "private_provision",
    "provision_closed_form",
    "reliability_game",
    "standalone_levels",
]
