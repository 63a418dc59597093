"""Sphinx configuration of the coordgap documentation.

Build with ``sphinx-build -W --keep-going -b html docs docs/_build/html`` after
``pip install ".[docs]"``. The model-file, command-line and API references and the notebook
gallery are generated into ``docs/_generated/`` by the local extension ``_ext/coordgap_docs.py``
at the start of every build.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(DOCS.parent / "src"))

import matplotlib  # noqa: E402

from coordgap import __version__  # noqa: E402

# Figures: this process draws off-screen (autodoc imports the plotting modules); the notebook
# kernels, which inherit this environment, draw inline so that their figures are rendered in
# the gallery, even where MPLBACKEND=Agg is set for the test suite.
matplotlib.use("Agg")
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"

project = "coordgap"
author = "coordgap developers"
copyright = "coordgap developers"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
    "coordgap_docs",
]

root_doc = "index"
exclude_patterns = [
    "_build",
    "jupyter_execute",
    "**.ipynb_checkpoints",
    "Thumbs.db",
    ".DS_Store",
]

# -- MyST (Markdown pages and notebooks) ------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3

# -- Notebook gallery: every notebook is executed on each build --------------------------------------
nb_execution_mode = "force"
nb_execution_timeout = 600  # seconds per cell
nb_execution_raise_on_error = True  # a failing notebook fails the build
nb_merge_streams = True

# -- API reference -----------------------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # numpydoc sections state the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# numpydoc links each name of an "Attributes" section that the class also has; a dataclass field
# named like a method of a base class (``summary``) then matches both the field's class and the
# base. Sphinx links the first match and would warn "more than one target found"; only that
# warning is silenced (missing targets are not reported anyway without nitpicky mode).
suppress_warnings = ["ref.python"]

# -- HTML --------------------------------------------------------------------------------------------
html_theme = "furo"
html_title = f"coordgap {release}"
html_static_path = ["_static"]
html_css_files = ["coordgap.css"]
html_show_sourcelink = False
