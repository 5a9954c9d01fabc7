"""``python -m sim`` runs the command line. Ctrl-C is handled before anything heavy is
imported (:mod:`sim.execution.interrupts`)."""

import sys

from sim.execution import interrupts

interrupts.install()

from sim.cli.main import main  # noqa: E402  (after the handlers: an interrupt here is clean)

sys.exit(main())
