"""The design explorer: a local, offline web page to move instrument levels and see outcomes.

``coordgap explore [MODEL]`` serves a page on 127.0.0.1 where the instruments of a model file's
designs are sliders; each change is evaluated by :func:`coordgap.analysis.evaluate_design` (the
numbers ``coordgap compare`` prints) and drawn under the worst and the best equilibrium, with a
readout in words and the design as a model-file table to paste back. See ``docs/explorer.md``.

Examples
--------
>>> from coordgap.explore import Explorer
>>> ex = Explorer.from_model()
>>> out = ex.evaluate({"compute_access": "2"})
>>> out["worst"]["participation"], out["best"]["participation"]
(46, 46)
"""

from .core import EXPLORER_METRICS, Control, Explorer, design_toml
from .server import HOST, ExplorerServer, make_server, serve

__all__ = [
    "Control",
    "Explorer",
    "EXPLORER_METRICS",
    "design_toml",
    "ExplorerServer",
    "make_server",
    "serve",
    "HOST",
]
