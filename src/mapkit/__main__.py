"""``python -m mapkit``: the same as the ``mapkit`` command."""

import sys

from .cli import main

sys.exit(main())
