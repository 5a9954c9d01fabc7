"""Contact-log readers: each supported file format made into the canonical frame of
:mod:`sim.calibration.log_frame` (``read_log``), and the contacts-format writer
(``write_contacts_csv``). Formats: ``docs/calibration.md``."""

from sim.calibration.adapters.contacts_writer import write_contacts_csv
from sim.calibration.adapters.read import LogRead, read_log

__all__ = ["LogRead", "read_log", "write_contacts_csv"]
