"""``python -m kinerja``: manage who may use the app (users) and read the audit log."""

import sys

from kinerja.cli import main

sys.exit(main())
