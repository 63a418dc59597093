"""The entry point of the ``coordgap`` command.

It imports the command line inside a ``try``, so that Ctrl-C while the scientific libraries
load ends with exit status 130 and one line, like an interrupt at any later moment.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``coordgap`` with ``argv`` (default: the process arguments); returns the status."""
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        print("coordgap: interrupted", file=sys.stderr)
        return 130
    return run(argv)
