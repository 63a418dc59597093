"""Test configuration: property tests are derandomized so every run checks the same examples.

Set ``HYPOTHESIS_PROFILE=explore`` to search with fresh random examples instead.
"""

import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
