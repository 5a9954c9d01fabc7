"""Cases: bad or odd scenario files given to ``countersim run`` — the file itself, wrong
types and table shapes, unknown keys, NaN/inf/negative/huge values in every section, and
the scenario ``name`` that becomes the default output folder."""

from __future__ import annotations

import gzip
from typing import Any

from tests.hardening.checks import (
    chain,
    fifo,
    folder,
    no_control_characters_in_paths,
    one_folder_per_run,
    refusal_mentions_any,
    symlink,
)
from tests.hardening.configs import config, pooled_text, small_text
from tests.hardening.harness import ANY, OK, REFUSE, WARN, Case

RUN = ("run", "c.toml", "--reps", "1", "--out", "out")


def run_file(id: str, category: str, content: str | bytes, expect: str = REFUSE,
             **kw: Any) -> Case:
    """``countersim run c.toml --reps 1 --out out`` with ``content`` as c.toml."""
    return Case(id, category, RUN, files={"c.toml": content}, expect=expect, **kw)


def run_path(id: str, category: str, path: str, expect: str = REFUSE, **kw: Any) -> Case:
    """``countersim run PATH --reps 1 --out out``."""
    return Case(id, category, ("run", path, "--reps", "1", "--out", "out"), expect=expect, **kw)


# ---------------------------------------------------------------------------- the file

FILE = "config-file"


def file_cases() -> list[Case]:
    """The config file itself: empty, special files, encodings, malformed TOML."""
    small = small_text()
    return [
        run_file("empty_file", FILE, "", WARN),
        run_path("dev_null", FILE, "/dev/null", WARN),
        run_file("whitespace_only", FILE, "\n  \n\t\n", WARN),
        run_file("comments_only", FILE, "# nothing here\n", WARN),
        run_file("utf8_bom", FILE, b"\xef\xbb\xbf" + small.encode(), ANY,
                 avoid=("Invalid statement",), checks=(refusal_mentions_any("BOM", "byte order"),)),
        run_file("utf8_bom_empty", FILE, b"\xef\xbb\xbf", ANY, avoid=("Invalid statement",)),
        run_file("binary_bytes", FILE, bytes(range(256)) * 4),
        run_file("nul_bytes", FILE, b"\x00" * 64),
        run_file("utf16_text", FILE, small.encode("utf-16")),
        run_file("latin1_text", FILE, 'name = "caf\xe9"\n'.encode("latin-1")),
        run_file("gzip_file", FILE, gzip.compress(small.encode(), mtime=0)),
        run_file("png_header", FILE, b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),
        run_path("config_is_a_directory", FILE, "cfgdir", setup=folder("cfgdir")),
        run_path("config_missing", FILE, "no_such.toml", mention=("no_such.toml",)),
        run_path("config_path_under_a_file", FILE, "f.txt/c.toml",
                 files={"f.txt": "x\n"}, avoid=("cannot write",), mention=("f.txt",)),
        run_path("config_is_a_fifo", FILE, "pipe.toml", setup=fifo("pipe.toml")),
        run_path("config_is_dev_zero", FILE, "/dev/zero"),
        run_path("config_symlink_loop", FILE, "loop.toml",
                 setup=chain(symlink("loop.toml", "loop2.toml"),
                             symlink("loop2.toml", "loop.toml"))),
        run_path("config_dangling_symlink", FILE, "dangling.toml",
                 setup=symlink("dangling.toml", "nowhere.toml")),
        run_path("config_empty_path", FILE, ""),
        run_path("config_dash", FILE, "-"),
        run_path("config_with_newline_in_name", FILE, "we ird\n.toml",
                 files={"we ird\n.toml": pooled_text()}, expect=ANY),
        run_path("config_without_toml_suffix", FILE, "c.txt", files={"c.txt": pooled_text()},
                 expect=OK),
        run_file("unterminated_table_header", FILE, '[hours\nopen = "09:00"\n',
                 mention=("c.toml",)),
        run_file("duplicate_key", FILE, 'name = "a"\nname = "b"\n', mention=("c.toml",)),
        run_file("duplicate_table", FILE, "[run]\ndays = 1\n[run]\nwarmup_s = 0\n"),
        run_file("unterminated_string", FILE, 'name = "abc\n'),
        run_file("tab_in_key", FILE, "na\tme = 1\n"),
        run_file("huge_comment_file", FILE, "# " + "x" * 4_000_000 + "\n" + pooled_text(), ANY),
        run_file("very_long_unknown_key", FILE, "k" * 20_000 + " = 1\n"),
        run_file("deeply_nested_inline_tables", FILE,
                 "x = " + "{a = " * 200 + "1" + "}" * 200 + "\n"),
        run_file("deeply_nested_arrays", FILE, "x = " + "[" * 5000 + "]" * 5000 + "\n"),
    ]


# ---------------------------------------------------------------------------- shapes

SHAPE = "config-shape"


def shape(id: str, patch: dict[str, Any] | None = None, expect: str = REFUSE,
          drop: tuple[str, ...] = (), extra: dict[str, Any] | None = None,
          pooled: bool = False, **kw: Any) -> Case:
    """A wrong type or table shape, set on the small scenario."""
    return run_file(id, SHAPE, config(patch, drop, extra, pooled), expect, **kw)


def shape_cases() -> list[Case]:
    """Wrong types, wrong table shapes, unknown keys."""
    sched = "staff.schedule"
    return [
        shape("name_is_a_number", {"name": 5}, mention=("name",)),
        shape("name_is_a_list", {"name": ["a"]}, mention=("name",)),
        shape("name_is_a_table", {"name": {"a": 1}}, mention=("name",)),
        shape("description_is_a_number", {"description": 5}, mention=("description",)),
        shape("hours_is_a_number", {"hours": 5}, mention=("hours",)),
        shape("hours_is_a_list", {"hours": [1, 2]}, mention=("hours",)),
        run_file("hours_array_of_tables", SHAPE, '[[hours]]\nopen = "09:00"\n', mention=("hours",)),
        shape("open_is_an_integer", {"hours.open": 900}, mention=("hours.open",)),
        shape("open_is_9am", {"hours.open": "9am"}, mention=("hours.open",)),
        shape("open_is_empty", {"hours.open": ""}, mention=("hours.open",)),
        shape("slot_minutes_is_a_string", {"hours.slot_minutes": "30"},
              mention=("hours.slot_minutes",)),
        shape("slot_minutes_is_fractional", {"hours.slot_minutes": 30.5},
              mention=("hours.slot_minutes",)),
        shape("demand_is_a_string", {"demand": "lots"}, mention=("demand",)),
        shape("walk_in_is_a_number", {"demand.walk_in": 5}, mention=("demand.walk_in",)),
        shape("profile_is_a_string", {"demand.walk_in.profile": "flat"},
              mention=("demand.walk_in.profile",)),
        shape("profile_of_lists", {"demand.walk_in.profile": [[1.0], [1.0]]},
              mention=("demand.walk_in.profile",)),
        shape("profile_is_a_table", {"demand.walk_in.profile": {"a": 1}},
              mention=("demand.walk_in.profile",)),
        shape("profile_too_long", {"demand.walk_in.profile": [1.0] * 3},
              mention=("demand.walk_in.profile",)),
        shape("staff_is_a_number", {"staff": 4}, ANY,
              checks=(refusal_mentions_any("staff.both", "--factor", "shorthand",
                                           "--set staff="),)),
        shape("staff_is_a_list", {"staff": [4]}, mention=("staff",)),
        shape("schedule_is_a_number", {sched: 4}, mention=(sched,)),
        shape("schedule_of_numbers", {sched: [4, 5]}, mention=(sched,)),
        shape("schedule_slot_empty", {sched: [{}]}, mention=("start",)),
        shape("schedule_slot_missing_end", {sched: [{"start": "09:00", "both": 2}]},
              mention=("end",)),
        shape("schedule_slot_unknown_key",
              {sched: [{"start": "09:00", "end": "10:00", "both": 2, "bothh": 1}]},
              mention=("bothh",)),
        shape("schedule_slot_backwards", {sched: [{"start": "10:00", "end": "09:00", "both": 2}]},
              mention=(sched,)),
        shape("schedule_slot_outside_hours",
              {sched: [{"start": "09:00", "end": "12:00", "both": 2}]}, mention=(sched,)),
        shape("schedule_slot_negative_staff",
              {sched: [{"start": "09:00", "end": "10:00", "both": -1}]}, mention=(sched,)),
        shape("schedule_is_a_string", {sched: "09-10 both 2"}, mention=(sched,)),
        shape("schedule_nested_lists", {sched: [[{"start": "09:00", "end": "10:00"}]]},
              mention=(sched,)),
        shape("traits_unknown_word", {"staff.traits": "high"}, mention=("staff.traits",),
              avoid=("literal[",)),
        shape("trait_z_score_9", {"staff.traits": [{"openness": 9.0}, {}, {}]},
              mention=("staff.traits", "5"),
              avoid=("literal[", "should be 'random' or 'average'")),
        shape("traits_list_of_numbers", {"staff.traits": [1, 2, 3]}, mention=("staff.traits",),
              avoid=("literal[",)),
        shape("traits_wrong_length", {"staff.traits": [{}, {}]}, mention=("staff.traits",)),
        shape("bias_is_a_word", {"staff.bias": "high"}, mention=("staff.bias",),
              avoid=("constrained",)),
        shape("bias_list_above_one", {"staff.bias": [2.0, 0.0, 0.0]}, mention=("staff.bias",),
              avoid=("constrained",)),
        shape("bias_empty_list", {"staff.bias": []}, mention=("staff.bias",)),
        shape("kinds_is_a_number", {"distractions.kinds": 5}, mention=("distractions.kinds",)),
        shape("kind_is_a_number", {"distractions.kinds.personal_call": 5},
              mention=("distractions.kinds.personal_call",)),
        shape("kind_new_empty", {"distractions.kinds.daydream": {}}, ANY),
        shape("kind_new_with_rate", {"distractions.kinds.daydream": {"idle_rate_per_hour": 2.0}},
              OK),
        shape("kind_unknown_key", {"distractions.kinds.personal_call.rate": 2.0},
              mention=("distractions.kinds.personal_call.rate", "idle_rate_per_hour")),
        shape("service_is_a_number", {"demand.walk_in.service": 240},
              mention=("demand.walk_in.service",)),
        shape("service_without_dist", {"demand.walk_in.service": {"mean_s": 240}},
              mention=("demand.walk_in.service", "dist")),
        shape("service_extra_key_lists_allowed",
              {"demand.walk_in.service": {"dist": "exponential", "mean_s": 240, "cv": 0.8}},
              mention=("demand.walk_in.service.cv", "mean_s")),
        shape("service_infinite", {"demand.walk_in.service": {"dist": "infinite"}},
              mention=("demand.walk_in.service",)),
        shape("service_dist_is_a_number", {"demand.walk_in.service": {"dist": 5, "mean_s": 1}},
              mention=("demand.walk_in.service",)),
        shape("service_dist_unknown", {"demand.walk_in.service": {"dist": "pareto", "mean_s": 1}},
              mention=("demand.walk_in.service", "exponential")),
        shape("mix_empty", {"temperament.mix": {}}, mention=("temperament",)),
        shape("mix_sums_to_two", {"temperament.mix": {"calm": 2.0}}, mention=("temperament",)),
        shape("mix_unknown_temperament", {"temperament.mix": {"calm": 0.5, "sleepy": 0.5}},
              mention=("sleepy",)),
        shape("party_sizes_empty", {"temperament.party_sizes": []},
              mention=("temperament",)),
        shape("party_sizes_sum_above_one", {"temperament.party_sizes": [0.5, 0.6]},
              mention=("temperament",)),
        shape("sensitivity_is_a_number", {"loyalty.sensitivity": 5},
              mention=("loyalty.sensitivity",)),
        shape("sensitivity_value_is_a_word", {"loyalty.sensitivity": {"calm": "x"}},
              mention=("loyalty.sensitivity",)),
        shape("new_patrons_per_day_word", {"market.new_patrons_per_day": "lots"},
              mention=("market.new_patrons_per_day",)),
        shape("run_is_a_list", {"run": []}, mention=("run",)),
        shape("days_is_a_string", {"run.days": "2"}, mention=("run.days",)),
        shape("days_is_fractional", {"run.days": 1.5}, mention=("run.days",)),
        shape("days_is_a_bool", {"run.days": True}, mention=("run.days",)),
        shape("enabled_is_a_string", {"distractions.enabled": "yes"},
              mention=("distractions.enabled",)),
        shape("policy_is_a_number", {"discipline.policy": 1}, mention=("discipline.policy",)),
        shape("unknown_top_level_key", {"colour": "red"}, mention=("colour", "allowed")),
        shape("unknown_hours_key", {"hours.opne": "09:00"}, mention=("hours.opne", "open")),
        shape("unknown_staff_key", {"staff.booth": 3}, mention=("staff.booth", "both")),
        shape("unknown_run_key", {"run.dayz": 2}, mention=("run.dayz", "days")),
        shape("unknown_unicode_key", {"ñame": "x"}, mention=("ñame",)),
        shape("unknown_key_with_newline", {"a\nb": 1}, mention=("unknown",)),
        shape("unknown_section", {"weather": {"rain": True}}, mention=("weather",)),
    ]


# ---------------------------------------------------------------------------- values

VALUES = "config-values"
NAN, INF = float("nan"), float("inf")


def value(key: str, v: Any, expect: str = REFUSE, drop: tuple[str, ...] = (),
          extra: dict[str, Any] | None = None, pooled: bool = True, **kw: Any) -> Case:
    """``key = v`` in the (pooled) small scenario; refused unless said otherwise."""
    shown = repr(v) if not isinstance(v, float) else f"{v:g}"
    mention = kw.pop("mention", (key,) if expect == REFUSE else ())
    return run_file(f"{key}={shown}"[:90], VALUES, config({key: v}, drop, extra, pooled),
                    expect, mention=mention, **kw)


def value_cases() -> list[Case]:
    """NaN, infinity, negative, zero and huge values in every section."""
    flat = ("demand.walk_in.profile", "demand.phone.profile")
    wi, ph = "demand.walk_in", "demand.phone"
    exp = "exponential"
    return [
        # hours
        value("hours.slot_minutes", 0),
        value("hours.slot_minutes", -30),
        value("hours.slot_minutes", 525600, ANY, drop=flat),
        value("hours.slot_minutes", 10**12, drop=flat),
        value("hours.close", "99999:00", ANY, drop=flat, note="a 99999-hour day: hang"),
        value("hours.close", "09:01", ANY, drop=flat),
        value("hours.open", "-1:00"),
        # demand: walk-ins
        value(f"{wi}.rate_per_hour", NAN),
        value(f"{wi}.rate_per_hour", INF),
        value(f"{wi}.rate_per_hour", -1.0),
        value(f"{wi}.rate_per_hour", 1e7, ANY, note="runaway memory"),
        value(f"{wi}.rate_per_hour", 1e12, ANY, note="runaway memory"),
        value(f"{wi}.rate_per_hour", 1e308, ANY, note="runaway memory"),
        value(f"{wi}.profile", [NAN, 1.0], mention=(f"{wi}.profile",)),
        value(f"{wi}.profile", [INF, 1.0], mention=(f"{wi}.profile",)),
        value(f"{wi}.profile", [-1.0, 1.0], mention=(f"{wi}.profile",)),
        value(f"{wi}.profile", [1e308, 1.0], ANY),
        value(f"{wi}.service", {"dist": exp, "mean_s": 0.0}, mention=(f"{wi}.service",)),
        value(f"{wi}.service", {"dist": exp, "mean_s": -1.0}, mention=(f"{wi}.service",)),
        value(f"{wi}.service", {"dist": exp, "mean_s": NAN}, mention=(f"{wi}.service",)),
        value(f"{wi}.service", {"dist": exp, "mean_s": INF}, mention=(f"{wi}.service",)),
        value(f"{wi}.service", {"dist": exp, "mean_s": 1e308}, ANY, note="hang"),
        value(f"{wi}.service", {"dist": exp, "mean_s": 1e-300}, ANY),
        value(f"{wi}.service", {"dist": "lognormal", "mean_s": 240.0, "cv": 1e308}, ANY),
        value(f"{wi}.service", {"dist": "lognormal_median", "median_s": 240.0, "sigma": 1e3},
              ANY),
        value(f"{wi}.service", {"dist": "deterministic", "value_s": 1e308}, ANY),
        value(f"{wi}.service", {"dist": "deterministic", "value_s": 0.0}, ANY),
        value(f"{wi}.patience", {"dist": exp, "mean_s": 1e-300}, ANY),
        value(f"{wi}.service", {"dist": "weibull", "shape": 0.1, "scale_s": 1e-3}, ANY,
              note="the widest Weibull: a mean of 3600 s from a median of 0.03 s"),
        value(f"{wi}.service", {"dist": "weibull", "shape": 0.01, "scale_s": 60.0},
              mention=(f"{wi}.service.shape",), note="overflow of the mean"),
        value(f"{wi}.service", {"dist": "weibull", "shape": NAN, "scale_s": 60.0},
              mention=(f"{wi}.service.shape",)),
        value(f"{wi}.patience", {"dist": "gamma", "mean_s": 1e6, "cv": 100.0}, ANY),
        value(f"{wi}.service", {"dist": "gamma", "mean_s": 60.0, "cv": 0.0},
              mention=(f"{wi}.service.cv",)),
        value(f"{wi}.service", {"dist": "empirical", "quantiles_s": [*map(float, range(1001))]},
              ANY),
        value(f"{wi}.service", {"dist": "empirical", "quantiles_s": [0.0, 0.0, 5.0, 3600.0]},
              ANY, note="services of no time at all"),
        value(f"{wi}.service", {"dist": "empirical", "quantiles_s": [0.0] * 2000},
              mention=(f"{wi}.service.quantiles_s",)),
        value(f"{wi}.service", {"dist": "empirical", "quantiles_s": [5.0, 1.0]},
              mention=(f"{wi}.service.quantiles_s",)),
        value(f"{wi}.patience", {"dist": "empirical", "quantiles_s": [1.0, INF]},
              mention=(f"{wi}.patience.quantiles_s",)),
        value(f"{wi}.day_rate_cv", 5.0, ANY, note="a rare day of 100x the volume"),
        value(f"{wi}.day_rate_cv", NAN),
        value(f"{wi}.day_rate_cv", 1e308),
        value("demand.email.day_rate_cv", -1.0),
        value(f"{wi}.patience", {"dist": "lognormal_median", "median_s": 1e308, "sigma": 1e3},
              ANY),
        *long_service_cases(),
        # demand: phone and e-mail
        value(f"{ph}.lines", 0),
        value(f"{ph}.lines", -1),
        value(f"{ph}.lines", 1.5),
        value(f"{ph}.lines", 10**18, ANY),
        value(f"{ph}.lines", 10**30, ANY),
        value(f"{ph}.hold_patience", {"dist": "infinite"}, ANY),
        value(f"{ph}.rate_per_hour", NAN),
        value("demand.email.rate_per_hour", 1e12, ANY),
        value("demand.email.target_s", 0.0),
        value("demand.email.target_s", NAN),
        # staff
        value("staff.both", -1),
        value("staff.both", 1.5),
        value("staff.both", NAN),
        value("staff.both", 100_000, ANY, note="hang / memory"),
        value("staff.both", 10**30, ANY),
        value("staff.counter", 100_000, ANY),
        value("staff.schedule", [{"start": "09:00", "end": "10:00", "both": 100_000}], ANY),
        value("staff.bias", NAN),
        # policies
        value("acknowledgment.notice_delay_s", NAN),
        value("acknowledgment.notice_delay_s", -1.0),
        value("acknowledgment.notice_delay_s", 1e308, ANY),
        value("acknowledgment.patience_multiplier", 0.0),
        value("acknowledgment.target_s", 0.0),
        value("acknowledgment.target_s", 1e308, ANY),
        value("phone_handling.greet_s", 1e308, ANY),
        value("phone_handling.answer_target_s", INF),
        value("discipline.overtake_probability", 2.0),
        value("discipline.plain_ack_multiplier", NAN),
        value("balking.free_waiting", -1),
        value("balking.free_waiting", 10**30, ANY),
        value("balking.per_extra_waiting", NAN),
        # distractions and traits
        value("distractions.rate_multiplier", 1e9),
        value("distractions.rate_multiplier", 100.0, ANY),
        value("distractions.kinds.personal_call.idle_rate_per_hour", 1e9, ANY, note="hang"),
        value("distractions.kinds.personal_call.serving_rate_per_hour", 1e9, ANY),
        value("distractions.kinds.paperwork.duration", {"dist": exp, "mean_s": 1e308}, ANY),
        value("distractions.kinds.paperwork.duration", {"dist": exp, "mean_s": 1e-300}, ANY),
        value("distractions.kinds.argument.patience_drain", NAN),
        value("distractions.kinds.argument.notice_probability", 2.0),
        value("staff_rules.on_quiet_idle_share", NAN),
        value("traits.speed_per_z", 1e308, ANY),
        value("traits.distraction_per_z", 1e3, ANY),
        value("traits.acknowledgment_per_z", -1.0),
        # loyalty, money, temperament, market, patrons
        value("loyalty.churn_after_one_bad", 2.0),
        value("loyalty.unequal_multiplier", INF),
        value("loyalty.sensitivity", {"calm": 1e9, "frustrated": 1.0, "angry": 1.0,
                                      "needs_clarification": 1.0}),
        value("money.annual_retention", 1.0),
        value("money.discount_rate", 1e308, ANY),
        value("money.visits_per_year", INF),
        value("money.margin_share", NAN),
        value("money.staff_cost_per_hour.counter", -1.0),
        value("money.staff_cost_per_hour.both", NAN),
        value("money.staff_cost_per_hour.phone", 1e308),
        value("money.staff_cost_per_hour", 20.0),
        value("money.overtime_rate", 0.5),
        value("money.contracted_hours_per_day", 0.0),
        value("money.contracted_hours_per_day", 25.0),
        value("money.fixed_cost_per_open_hour", -5.0),
        value("money.fixed_cost_per_open_hour", INF),
        value("temperament.patience", {"calm": 1e-300, "frustrated": 1.0, "angry": 1.0,
                                       "needs_clarification": 1.0}, ANY),
        value("temperament.service", {"calm": 1e308, "frustrated": 1.0, "angry": 1.0,
                                      "needs_clarification": 1.0}, ANY),
        value("market.new_patrons_per_day", 1e12, ANY, extra={"run": {"days": 2}}),
        value("market.open_days_per_year", 0.0),
        value("market.referral_probability", NAN),
        value("patrons.pool_size", 0),
        value("patrons.pool_size", 10**9, ANY, note="memory"),
        value("patrons.pool_size", 10**18, ANY),
        value("patrons.plain_share", NAN),
        value("patrons.spend_cv", 1e308, ANY),
        value("patrons.spend_mean", 1e308, ANY),
        # run
        value("run.warmup_s", NAN),
        value("run.warmup_s", -1.0),
        value("run.warmup_s", 1e308),
        value("run.days", 0),
        value("run.days", 365, ANY),  # 3650 one-hour days is legitimate work (about 15 s)
        value("run.days", 10**9),
    ]


def long_service_cases() -> list[Case]:
    """Enormous services (within the 10⁶ s limit of a mean): distractions during them
    would stretch them without end, or draws of 10¹⁷ s push the end of the day out by
    years (the per-slot table once walked it slot by slot): refused, or finished."""
    wi, off = "demand.walk_in", {"distractions": {"enabled": False}}
    service = f"{wi}.service"
    lmed = {"dist": "lognormal_median", "median_s": 1e6, "sigma": 5.0}
    weib = {"dist": "weibull", "shape": 0.1, "scale_s": 1e6}
    huge = {"exponential": {"dist": "exponential", "mean_s": 1e6},
            "deterministic": {"dist": "deterministic", "value_s": 1e6}}

    def off_case(id: str, v: dict[str, Any], expect: str = REFUSE, **kw: Any) -> Case:
        kw.setdefault("mention", (service,) if expect == REFUSE else ())
        return run_file(id, VALUES, config({service: v}, extra=off, pooled=True), expect, **kw)

    return [
        *(value(service, v, mention=(service, "never end"),
                note="divided attention: each distraction adds 5% of the requirement")
          for v in huge.values()),
        *(off_case(f"{name}_1e6_without_distractions", v, ANY) for name, v in huge.items()),
        value(service, lmed, mention=(service, "median_s")),
        value(service, weib, mention=(service, "scale_s")),
        off_case("lognormal_median_1e6_sigma_5_without_distractions", lmed,
                 mention=(service, "mean")),
        off_case("weibull_0.1_1e6_without_distractions", weib, mention=(service, "mean")),
        off_case("lognormal_mean_1e6_cv_100_without_distractions",
                 {"dist": "lognormal", "mean_s": 1e6, "cv": 100.0}, ANY,
                 note="draws of 1e10 s and more: a bounded slot table"),
        value(f"{wi}.service", {"dist": "deterministic", "value_s": 5000.0},
              extra={"distractions": {"rate_multiplier": 100.0}}, mention=(service,),
              note="120 calls an hour of service: a 1.4 h service never ends"),
        value("distractions.repeat_rate", 1.0, extra={"distractions": {"repeat_multiplier": 20.0}},
              mention=(service, "distractions.repeat_rate")),
        value("conduct.ask_s", 3600.0,
              extra={"staff_rules": {"personal_phones": "ask_permission"},
                     "distractions": {"rate_multiplier": 100.0}}),
        Case("service_in_the_tail_runs_away", VALUES,
             ("run", "c.toml", "--reps", "4", "--jobs", "1", "--out", "out"),
             files={"c.toml": config({"traits.distraction_per_z": 2.0, service: {
                 "dist": "exponential", "mean_s": 1e3}}, pooled=True)},
             expect=REFUSE, mention=("never end", service), resumable=True,
             note="passes the preflight (an average clerk), but some clerks are 20x as "
                  "distracted: the model stops the service that grows without end"),
    ]


# ---------------------------------------------------------------------------- name

NAME = "name"


def named(id: str, name: str, expect: str = ANY, **kw: Any) -> Case:
    """``countersim run`` without ``--out`` on a scenario called ``name``: the default
    folder ``results/<name>/<stamp>`` must stay inside ``results/``."""
    return Case(id, NAME, ("run", "c.toml", "--reps", "1"),
                files={"c.toml": config({"name": name}, pooled=True)}, expect=expect,
                checks=(no_control_characters_in_paths, one_folder_per_run), **kw)


def name_cases() -> list[Case]:
    """Traversal, absolute, newline, empty and other unsafe scenario names.

    A name of ``/`` is left out: on the code of 2026-12 it writes ``/<stamp>/`` at the root
    of the file system, which a test must not do; ``name_absolute`` covers it inside the
    sandbox.
    """
    return [
        named("name_traversal", "../../etc/x"),
        named("name_deep_traversal", "../../../../x"),
        named("name_absolute", "{root}/abs/x"),
        named("name_newline", "a\nb"),
        named("name_carriage_return", "a\rb"),
        named("name_empty", ""),
        named("name_dot", "."),
        named("name_dotdot", ".."),
        named("name_with_slash", "a/b"),
        named("name_tilde", "~"),
        named("name_dash", "-rf"),
        named("name_spaces", "   "),
        named("name_backslash", "a\\..\\..\\b"),
        named("name_nul", "a\x00b"),
        named("name_300_chars", "n" * 300),
        named("name_latest", "latest"),
        named("name_emoji", "café ☕", OK),
        Case("name_traversal_by_set", NAME,
             ("run", "c.toml", "--reps", "1", "--set", 'name="../../y"'),
             files={"c.toml": pooled_text()},
             checks=(no_control_characters_in_paths, one_folder_per_run)),
        Case("name_absolute_by_set", NAME,
             ("run", "c.toml", "--reps", "1", "--set", 'name="{root}/abs2"'),
             files={"c.toml": pooled_text()}),
    ]


def all_cases() -> list[Case]:
    """Every config case."""
    return file_cases() + shape_cases() + value_cases() + name_cases()
