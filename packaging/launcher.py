"""Entry point frozen into the desktop bundle (same as the `safedesk` command)."""

import sys

from safedesk.cli import main

sys.exit(main())
