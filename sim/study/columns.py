"""Column and metric names a study's tables share with the command line, kept apart from
:mod:`sim.study.tables` so that a command's ``--help`` reads them without loading the
statistics (numpy, scipy) the tables are computed with."""

from __future__ import annotations

COMPARED = ("walkout_rate", "median_time_to_ack_s", "p_ack_within_target", "churned_patrons",
            "lost_clv")
"""The metrics a sweep or ``countersim compare`` compares when ``--metric`` is not given."""

FDR_COLUMNS = ("p_value", "p_adjusted", "significant_fdr", "verdict_level", "verdict_ci_low",
               "verdict_ci_high", "smallest_difference")
"""comparisons.csv's columns after the verdict (false discovery rate control)."""
