"""Cases: ``--set`` overrides, mutually exclusive settings (silent no-ops), suspicious
scenarios that need a warning, and the shared options (``--reps --jobs --seed --cluster
--out``)."""

from __future__ import annotations

from typing import Any

from tests.hardening.checks import (
    chain,
    folder,
    refusal_mentions_any,
    symlink,
    unchanged_file,
    warnings_once,
)
from tests.hardening.configs import config, pooled_text, small_text
from tests.hardening.harness import ANY, OK, REFUSE, WARN, Case, baseline_text

BASE = ("run", "c.toml", "--reps", "1", "--out", "out")

# ---------------------------------------------------------------------------- --set

SET = "set"


def setting(id: str, *sets: str, expect: str = REFUSE, text: str | None = None,
            **kw: Any) -> Case:
    """``countersim run`` on the small scenario (staff on a schedule) with ``--set`` each."""
    args = [*BASE]
    for s in sets:
        args += ["--set", s]
    return Case(id, SET, tuple(args), files={"c.toml": text or small_text()}, expect=expect,
                **kw)


def set_cases() -> list[Case]:
    """Malformed, unknown, shorthand and odd ``--set`` overrides."""
    sched = small_text()
    return [
        setting("set_without_equals", "staff.both", mention=("staff.both",)),
        setting("set_empty_key", "=5"),
        setting("set_empty_part", "staff..both=3"),
        setting("set_leading_dot", ".staff=3"),
        setting("set_empty_value", "demand.walk_in.rate_per_hour=",
                mention=("demand.walk_in.rate_per_hour",)),
        setting("set_word_for_number", "demand.walk_in.rate_per_hour=lots",
                mention=("demand.walk_in.rate_per_hour", "lots")),
        setting("set_unterminated_inline_table",
                'demand.walk_in.service={dist="exponential", mean_s=60',
                mention=("demand.walk_in.service",), avoid=("valid dictionary",)),
        setting("set_unterminated_array", "demand.walk_in.profile=[1.0, 2.0",
                mention=("demand.walk_in.profile",), avoid=("valid list",)),
        setting("set_unterminated_string", 'description="abc', expect=ANY),
        setting("set_unknown_key", "demand.walk_in.rate_per_hr=5",
                mention=("rate_per_hr", "rate_per_hour")),
        setting("set_unknown_section", "weather.rain=true", mention=("weather",)),
        setting("set_unicode_key", "stäff.both=3", mention=("stäff",)),
        setting("set_key_with_spaces", " demand.walk_in.rate_per_hour = 6 ", expect=ANY),
        setting("set_table_to_number", "demand=5", mention=("demand",)),
        setting("set_table_to_empty_table", "hours={}", expect=ANY),
        setting("set_sub_key_of_scalar", "demand.walk_in.rate_per_hour.x=1",
                mention=("demand.walk_in.rate_per_hour",)),
        setting("set_nan_rate", "demand.walk_in.rate_per_hour=nan",
                mention=("demand.walk_in.rate_per_hour",)),
        setting("set_inf_rate", "demand.walk_in.rate_per_hour=inf",
                mention=("demand.walk_in.rate_per_hour",)),
        setting("set_minus_inf_rate", "demand.walk_in.rate_per_hour=-inf",
                mention=("demand.walk_in.rate_per_hour",)),
        setting("set_huge_rate", "demand.walk_in.rate_per_hour=1e308", expect=ANY),
        setting("set_rate_1e7", "demand.walk_in.rate_per_hour=1e7", expect=ANY),
        setting("set_trait_z_9", "staff.traits=[{openness=9.0},{},{}]",
                mention=("staff.traits",), avoid=("literal[",)),
        setting("set_bias_word", 'staff.bias="high"', mention=("staff.bias",),
                avoid=("constrained",)),
        setting("set_cv_on_lognormal_median", "demand.phone.patience.cv=0.5",
                mention=("demand.phone.patience.cv", "median_s")),
        setting("set_cv_on_lognormal", "demand.walk_in.service.cv=0.5", expect=OK),
        setting("set_close_breaks_profile", 'hours.close="10:30"',
                mention=("profile",)),
        setting("set_newline_in_value", "description=a\nb", expect=ANY),
        setting("set_long_value", "description=" + "x" * 100_000, expect=ANY),
        setting("set_same_key_twice", "demand.walk_in.rate_per_hour=6",
                "demand.walk_in.rate_per_hour=8", expect=ANY),
        setting("set_schedule_empty_uses_counts", "staff.schedule=[]", expect=OK),
        setting("set_new_kind", "distractions.kinds.daydream={idle_rate_per_hour=2.0}",
                expect=OK),
        setting("set_existing_kind_empty_table", "distractions.kinds.personal_call={}",
                expect=ANY),
        setting("set_staff_shorthand", "staff=4", expect=ANY, noop_of=BASE,
                checks=(refusal_mentions_any("staff.both", "--factor", "shorthand"),)),
        setting("set_staff_both_on_pooled_takes_effect", "staff.both=4", expect=OK,
                text=pooled_text(), noop_of=BASE),
        setting("set_multi_day", "run.days=2", expect=OK, text=sched),
    ]


# ---------------------------------------------------------------------------- no-ops

EXCLUSIVE = "exclusive"


def noop(id: str, key_value: str, base_patch: dict[str, Any] | None = None,
         pooled: bool = True, **kw: Any) -> Case:
    """``--set key_value`` where a setting of the scenario (``base_patch``) keeps it from
    taking effect: refused (naming both keys), or the output must differ."""
    args = (*BASE, "--set", key_value)
    return Case(id, EXCLUSIVE, args, files={"c.toml": config(base_patch, pooled=pooled)},
                expect=ANY, noop_of=BASE, **kw)


def exclusive_cases() -> list[Case]:
    """Settings that cannot take effect given another one (walked from the schema's
    sections: per-role counts vs schedule, policy parameters vs the policy in force,
    switched-off sections, multi-day settings in a one-day run, closed channels)."""
    return [
        Case("staff_both_with_schedule_readme_example", EXCLUSIVE,
             ("run", "baseline.toml", "--reps", "1", "--out", "out", "--set", "staff.both=4"),
             files={"baseline.toml": baseline_text()}, noop_of=(
                 "run", "baseline.toml", "--reps", "1", "--out", "out"),
             mention=("staff.both", "staff.schedule")),
        noop("staff_both_with_schedule", "staff.both=4", pooled=False,
             mention=("staff.both", "staff.schedule")),
        noop("staff_counter_with_schedule", "staff.counter=1", pooled=False,
             mention=("staff.counter", "staff.schedule")),
        noop("staff_phone_with_schedule", "staff.phone=1", pooled=False,
             mention=("staff.phone", "staff.schedule")),
        noop("overtake_probability_under_fifo", "discipline.overtake_probability=0.9",
             mention=("discipline.overtake_probability", "discipline.policy")),
        noop("plain_ack_multiplier_under_fifo", "discipline.plain_ack_multiplier=5",
             mention=("discipline.plain_ack_multiplier", "discipline.policy")),
        noop("bias_under_fifo", "staff.bias=0.0", mention=("staff.bias", "discipline.policy")),
        noop("free_waiting_without_balking", "balking.free_waiting=0",
             {"balking.policy": "none"}, mention=("balking.free_waiting", "balking.policy")),
        noop("per_extra_waiting_without_balking", "balking.per_extra_waiting=0.5",
             {"balking.policy": "none"}, mention=("balking.",)),
        noop("rate_multiplier_with_distractions_off", "distractions.rate_multiplier=3",
             {"distractions.enabled": False}, mention=("distractions.enabled",)),
        noop("kind_rate_with_distractions_off",
             "distractions.kinds.personal_call.idle_rate_per_hour=20",
             {"distractions.enabled": False}, mention=("distractions.enabled",)),
        noop("trait_coefficient_with_traits_off", "traits.speed_per_z=1.0",
             {"traits.enabled": False}, mention=("traits.enabled",)),
        noop("trait_scores_with_traits_off",
             "staff.traits=[{conscientiousness=3.0},{openness=-3.0}]",
             {"traits.enabled": False}, mention=("traits.enabled",)),
        noop("loyalty_setting_with_loyalty_off", "loyalty.churn_after_one_bad=0.5",
             {"loyalty.enabled": False}, mention=("loyalty.enabled",)),
        noop("quiet_share_with_phones_allowed", "staff_rules.on_quiet_idle_share=0.9",
             mention=("staff_rules.personal_phones",)),
        noop("view_share_with_chat_allowed", "staff_rules.not_in_view_rate_share=0.9",
             mention=("staff_rules.chat_at_counter",)),
        noop("greet_s_under_phone_first", "phone_handling.greet_s=60",
             mention=("phone_handling.policy",)),
        noop("hold_patience_under_phone_first",
             'demand.phone.hold_patience={dist="exponential", mean_s=5}',
             mention=("phone_handling.policy",)),
        noop("phone_service_with_phone_closed",
             'demand.phone.service={dist="exponential", mean_s=30}',
             {"demand.phone.rate_per_hour": 0.0}, mention=("demand.phone.rate_per_hour",)),
        noop("email_service_with_email_closed",
             'demand.email.service={dist="exponential", mean_s=30}',
             {"demand.email.rate_per_hour": 0.0}, mention=("demand.email.rate_per_hour",)),
        noop("market_setting_in_one_day_run", "market.referral_probability=0.5",
             mention=("run.days",)),
        noop("repeats_setting_in_one_day_run", "demand.rates_include_repeats=false",
             mention=("run.days",)),
    ]


# ---------------------------------------------------------------------------- warnings

WARNINGS = "warnings"


def suspicious(id: str, text: str, expect: str = WARN, extra: tuple[str, ...] = (),
               **kw: Any) -> Case:
    """A legal but suspicious scenario: refused, or accepted with a warning (once, and in
    the manifest); with ``--strict`` (``extra``) it must be refused."""
    checks = (warnings_once,)
    if "--strict" in extra:
        kw.setdefault("avoid", ("unrecognized arguments",))
    return Case(id, WARNINGS, (*BASE, *extra), files={"c.toml": text}, expect=expect,
                checks=checks, **kw)


def warning_cases() -> list[Case]:
    """Hours without staff, overload, zero arrivals, a warm-up that discards the day."""
    gap = config({"staff.schedule": [{"start": "09:00", "end": "09:30", "both": 2}]})
    overload = config({"demand.walk_in.rate_per_hour": 200.0, "staff.both": 1}, pooled=True)
    nobody = config({"demand.walk_in.rate_per_hour": 0.0, "demand.phone.rate_per_hour": 0.0,
                     "demand.email.rate_per_hour": 0.0}, pooled=True)
    warmup = config({"run.warmup_s": 3000.0}, pooled=True)
    return [
        suspicious("open_hours_without_staff", gap),
        suspicious("utilisation_above_one", overload),
        suspicious("zero_expected_arrivals", nobody),
        suspicious("warmup_discards_most_of_the_day", warmup),
        suspicious("strict_open_hours_without_staff", gap, REFUSE, ("--strict",)),
        suspicious("strict_utilisation_above_one", overload, REFUSE, ("--strict",)),
        suspicious("strict_zero_expected_arrivals", nobody, REFUSE, ("--strict",)),
        suspicious("strict_warmup_discards_most_of_the_day", warmup, REFUSE, ("--strict",)),
        suspicious("strict_on_a_clean_scenario", config({"staff.both": 6}, pooled=True), OK,
                   ("--strict",)),
        suspicious("overload_warned_once_with_two_jobs", overload, WARN,
                   ("--reps", "2", "--jobs", "2")),
        Case("sweep_level_with_overload", WARNINGS,
             ("sweep", "c.toml", "--reps", "1", "--no-figures", "--out", "out",
              "--factor", "staff=1,2"),
             files={"c.toml": config({"demand.walk_in.rate_per_hour": 200.0}, pooled=True)},
             expect=WARN, checks=(warnings_once,)),
    ]


# ---------------------------------------------------------------------------- options

OPTIONS = "options"


def option(id: str, *extra: str, expect: str = REFUSE, base: tuple[str, ...] = BASE,
           **kw: Any) -> Case:
    """``countersim run`` on the pooled small scenario with ``extra`` options."""
    files = kw.pop("files", {})
    return Case(id, OPTIONS, (*base, *extra), files={"c.toml": pooled_text(), **files},
                expect=expect, **kw)


NO_OUT = ("run", "c.toml", "--reps", "1")


def option_cases() -> list[Case]:
    """Every shared option with bad, odd and extreme values."""
    return [
        option("reps_zero", "--reps", "0", mention=("--reps",)),
        option("reps_negative", "--reps", "-1", mention=("--reps",)),
        option("reps_exponent", "--reps", "1e9", mention=("--reps",)),
        option("reps_word", "--reps", "abc", mention=("--reps",)),
        option("reps_empty", "--reps", "", mention=("--reps",)),
        option("reps_billion", "--reps", "1000000000", mention=("--reps",),
               note="MemoryError traceback"),
        option("reps_huge_integer", "--reps", "99999999999999999999999", mention=("--reps",)),
        option("reps_missing_value", "--reps"),
        option("jobs_zero", "--jobs", "0", mention=("--jobs",)),
        option("jobs_negative", "--jobs", "-1", mention=("--jobs",)),
        option("jobs_word", "--jobs", "abc", mention=("--jobs",)),
        option("jobs_fraction", "--jobs", "1.5", mention=("--jobs",)),
        option("jobs_1000_reps_2", "--jobs", "1000", "--reps", "2", expect=ANY,
               note="forks 1000 processes"),
        option("jobs_two", "--jobs", "2", "--reps", "2", expect=OK),
        option("seed_negative", "--seed", "-1", mention=("--seed",)),
        option("seed_word", "--seed", "abc", mention=("--seed",)),
        option("seed_exponent", "--seed", "1e3", mention=("--seed",)),
        option("seed_2_to_64", "--seed", str(2**64), expect=ANY),
        option("seed_googol", "--seed", str(10**100), expect=ANY),
        option("cluster_empty", "--cluster", "", mention=("--cluster",),
               note="silently runs locally"),
        option("cluster_missing_file", "--cluster", "nope.json", mention=("--cluster",)),
        option("cluster_unreachable", "--cluster", "tcp://127.0.0.1:9", mention=("--cluster",)),
        option("cluster_newline", "--cluster", "a\nb", mention=("--cluster",)),
        option("cluster_bad_scheduler_file", "--cluster", "sched.json",
               files={"sched.json": "{not json"}, mention=("--cluster",)),
        option("out_is_a_file", "--out", "f.txt", base=NO_OUT, files={"f.txt": "keep\n"},
               mention=("f.txt",)),
        option("out_non_empty_folder", "--out", "full", base=NO_OUT,
               setup=folder("full", "keep.txt"), mention=("full",)),
        option("out_under_a_file", "--out", "f.txt/sub", base=NO_OUT, files={"f.txt": "keep\n"},
               mention=("f.txt",)),
        option("out_empty_string", "--out", "", base=NO_OUT),
        option("out_dot", "--out", ".", base=NO_OUT),
        option("out_is_the_config", "--out", "c.toml", base=NO_OUT,
               checks=(unchanged_file("c.toml"),)),
        option("out_dev_null", "--out", "/dev/null", base=NO_OUT),
        option("out_with_newline", "--out", "o\nut", base=NO_OUT, expect=ANY),
        option("out_existing_empty_folder", "--out", "empty", base=NO_OUT,
               setup=folder("empty"), expect=OK),
        option("out_nested_new", "--out", "a/b/c", base=NO_OUT, expect=OK),
        option("out_symlink_to_folder", "--out", "link", base=NO_OUT,
               setup=chain(folder("real"), symlink("link", "real")),
               expect=ANY, allowed=("real",)),
        option("out_given_twice", "--out", "o2", expect=ANY),
        option("unknown_option", "--frobnicate", mention=("--frobnicate",)),
        option("extra_positional", "extra.toml"),
        option("set_missing_value", "--set"),
        option("records_multi_day", "--records", "--set", "run.days=2", expect=OK),
    ]


def all_cases() -> list[Case]:
    """Every case of this module."""
    return set_cases() + exclusive_cases() + warning_cases() + option_cases()
