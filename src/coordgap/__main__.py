"""``python -m coordgap``: the ``coordgap`` command."""

import sys

from ._entry import main

sys.exit(main())
