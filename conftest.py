"""Suite-wide options: ``--run-slow`` runs the tests marked ``slow`` (CI runs everything).

The default local run leaves out the slow tests (brute-force scans, the hostile-input corpus
run through the real command, long property searches) so it finishes in about two minutes on
two cores; ``pytest --run-slow`` is the full suite, the one CI runs.
"""

import pytest

# A deprecated alias module that warns on import; its target is collected under its new name.
collect_ignore = ["src/coordgap/games/classics.py"]


def pytest_addoption(parser):
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="also run the tests marked slow (the full suite, as CI runs it)",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: takes seconds; left out unless --run-slow is given (CI gives it)"
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow (CI does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
