"""How metrics are named in words: verdict phrases and axis labels (read through
:class:`sim.metrics.catalogue.Metric`'s ``words`` and ``label``)."""

from __future__ import annotations

_GAP = "the plain-minus-polished {} gap"  # positive: plain-looking customers fare worse
WORDS = {  # verdict phrases; any other metric is its name with spaces
    "walkout_rate": "walkouts", "walk_in_walkout_rate": "walk-in walkouts",
    "phone_walkout_rate": "phone walkouts (hang-ups)",
    "median_time_to_ack_s": "time to acknowledge",
    "walk_in_median_time_to_ack_s": "walk-in time to acknowledge",
    "mean_time_to_ack_acknowledged_s": "time to acknowledge (acknowledged only)",
    "walk_in_mean_time_to_ack_acknowledged_s": "walk-in time to acknowledge (acknowledged only)",
    "p_ack_within_target": "customers acknowledged within target",
    "walk_in_p_ack_within_target": "walk-ins acknowledged within target",
    "service_level": "service level", "mean_wait_s": "waiting time",
    "served": "customers served", "utilization": "staff utilisation",
    "churned_patrons": "patrons lost for good", "lost_clv": "lost customer lifetime value",
    "lost_clv_plain_top": "lost lifetime value of plain-looking top spenders",
    "lost_revenue": "revenue lost to walkouts", "revenue": "revenue",
    "staff_cost": "staff cost", "net_value": "net value",
    "active_patrons_end": "active patrons at the end",
    "walkout_rate_gap_appearance": _GAP.format("walkout"),
    "time_to_ack_gap_appearance": _GAP.format("acknowledgment"),
    "wait_gap_appearance": _GAP.format("waiting"),
    "churn_gap_appearance": _GAP.format("churn"),
    "distracted_fraction": "staff time spent distracted",
}
LABELS = {  # axis labels that say more than "words (unit)"
    "walkout_rate": "walkout rate (% of arrivals)",
    "mean_time_to_ack_acknowledged_s": "mean time to acknowledge, acknowledged only (s)",
    "median_time_to_ack_s": "median time to acknowledge (s)",
    "churn_per_contact": "churn per contact (%)",
    "churned_patrons": "patrons lost (expected or realised)",
    "lost_clv": "lost CLV (money units)",
    "staff_time": "share of staff time on duty (%)",
}
