"""``python -m mapkit``: the same as the ``mapkit`` command."""

import sys

from .cli import main

__all__: list[str] = []

sys.exit(main())
