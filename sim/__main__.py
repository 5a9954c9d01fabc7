"""``python -m sim`` runs the command line."""

import sys

from sim.cli.main import main

sys.exit(main())
