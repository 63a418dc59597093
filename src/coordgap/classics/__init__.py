"""Classic published models, each built on coordgap's general machinery (DESIGN.md, M5).

Each module cites its source and states which published result its test in
``tests/published/`` reproduces:

==========================  ==========================================================
module                      model
==========================  ==========================================================
``bergstrom_blume_varian``  private provision of a public good (1986)
``varian``                  total effort / weakest link / best shot (2004)
``kunreuther_heal``         interdependent security, tipping (2003)
``barrett``                 self-enforcing environmental agreements (1994)
``palfrey_rosenthal``       threshold public goods, mixed equilibria (1984)
``collective_risk``         collective-risk dilemma (Santos & Pacheco 2011)
``morris_shin``             global-game cutoff of regime change (1998)
``tabarrok``                dominant assurance contract (1998)
``mckelvey_palfrey``        logit QRE in asymmetric matching pennies (1995)
==========================  ==========================================================
"""

from .barrett import EnvironmentalAgreement, stable_sizes
from .bergstrom_blume_varian import private_provision, provision_closed_form
from .collective_risk import CollectiveRiskDilemma, RestPoint
from .kunreuther_heal import InterdependentSecurity
from .mckelvey_palfrey import asymmetric_matching_pennies, logit_correspondence
from .morris_shin import RegimeChange
from .palfrey_rosenthal import ThresholdPublicGood
from .tabarrok import DominantAssuranceContract
from .varian import reliability_game, standalone_levels

__all__ = [
    "CollectiveRiskDilemma",
    "RestPoint",
    "ThresholdPublicGood",
    "InterdependentSecurity",
    "EnvironmentalAgreement",
    "stable_sizes",
    "RegimeChange",
    "DominantAssuranceContract",
    "asymmetric_matching_pennies",
    "logit_correspondence",
    "private_provision",
    "provision_closed_form",
    "reliability_game",
    "standalone_levels",
]
