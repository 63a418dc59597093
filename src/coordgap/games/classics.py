"""Old location of :mod:`coordgap.classics` (moved in 0.2; this alias goes in 0.3).

The classic models use the solvers, so they are a wing above the façade, not games; see
``docs/architecture.md``. ``from coordgap.games.classics import X`` keeps working for one
release, with a ``DeprecationWarning``.
"""

import importlib
import sys
import warnings

from .._deprecation import REMOVAL, SINCE

warnings.warn(
    f"coordgap.games.classics is deprecated since coordgap {SINCE} and will be removed in "
    f"{REMOVAL}; use coordgap.classics",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = importlib.import_module("coordgap.classics")
