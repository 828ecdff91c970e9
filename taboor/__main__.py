"""``python -m taboor``: the same as the ``taboor`` command."""

import sys

from taboor.cli import main

sys.exit(main())
