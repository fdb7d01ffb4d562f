"""``python -m migration_tool``: the same as the ``fasthx-migrate`` console script."""

import sys

from .cli import main

sys.exit(main())
