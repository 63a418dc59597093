"""``python -m coordgap``: the ``coordgap`` command.

Importing this module (as documentation tools and test collectors do) runs nothing; only
``python -m coordgap ARGS`` calls :func:`coordgap._entry.main`.
"""

import sys

from ._entry import main

if __name__ == "__main__":
    sys.exit(main())
