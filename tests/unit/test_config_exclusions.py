"""Settings that cannot take effect are refused, never ignored (sim/config/exclusions.py):
each rule names both keys and the fix; defaults never trip a rule; a switch on the command
line supersedes the file's settings; a sweep refuses only a key inert in every scenario;
``staff=N`` means the same with ``--set`` as with ``--factor``."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.config.exclusions import Given, flatten
from sim.config.loading import load_scenario, load_with_conflicts
from sim.errors import ConfigError, UserInputError
from sim.study.sweep import build_grid, parse_factor, staff_level
from tests.helpers import BASELINE, CONFIGS, ERLANG_A

# (override(s) on baseline.toml, the key refused, the switch it names, a word of the fix)
REFUSED = [
    (["staff.both=4"], "staff.both", "staff.schedule", "staff=4"),
    (["staff.counter=2"], "staff.counter", "staff.schedule", "staff.schedule = []"),
    (["discipline.overtake_probability=0.5"], "discipline.overtake_probability",
     "discipline.policy", "appearance_biased"),
    (["staff.bias=0.5"], "staff.bias", "discipline.policy", "appearance_biased"),
    (["staff.bias=0.5", 'discipline.policy="fifo"'], "staff.bias", "discipline.policy",
     "appearance_biased"),  # both on the command line: in whatever order
    (['balking.policy="none"', "balking.free_waiting=3"], "balking.free_waiting",
     "balking.policy", "queue_length"),
    (["phone_handling.greet_s=5"], "phone_handling.greet_s", "phone_handling.policy",
     "hold_and_greet"),
    (['demand.phone.hold_patience={dist="exponential", mean_s=30}'],
     "demand.phone.hold_patience", "phone_handling.policy", "hold_and_greet"),
    (["staff_rules.on_quiet_idle_share=0.1"], "staff_rules.on_quiet_idle_share",
     "staff_rules.personal_phones", "on_quiet"),
    (["staff_rules.not_in_view_rate_share=0.1"], "staff_rules.not_in_view_rate_share",
     "staff_rules.chat_at_counter", "not_in_view"),
    (["distractions.enabled=false", "distractions.rate_multiplier=2"],
     "distractions.rate_multiplier", "distractions.enabled", "enabled = true"),
    (["traits.enabled=false", "traits.speed_per_z=0.3"], "traits.speed_per_z",
     "traits.enabled", "enabled = true"),
    (["loyalty.enabled=false", "loyalty.bad_below=0.4"], "loyalty.bad_below",
     "loyalty.enabled", "enabled = true"),
    (["demand.phone.rate_per_hour=0", "demand.phone.lines=3"], "demand.phone.lines",
     "demand.phone.rate_per_hour", "rate_per_hour > 0"),
    (["demand.phone.rate_per_hour=0", 'phone_handling.policy="walk_in_first"'],
     "phone_handling.policy", "demand.phone.rate_per_hour", "rate_per_hour > 0"),
    (["market.referral_probability=0.1"], "market.referral_probability", "run.days",
     "run.days"),
    (["demand.rates_include_repeats=false"], "demand.rates_include_repeats", "run.days",
     "run.days"),
]


@pytest.mark.parametrize(("overrides", "key", "switch", "fix"), REFUSED,
                         ids=[case[1] for case in REFUSED])
def test_inert_key_is_refused_naming_both_keys_and_the_fix(
        overrides: list[str], key: str, switch: str, fix: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_scenario(BASELINE, overrides)
    message = str(err.value)
    assert err.value.key == key, message
    assert switch in message and "has no effect while" in message and fix in message, message
    assert "\n" not in message


def test_the_issue_example_reads_as_promised() -> None:
    with pytest.raises(ConfigError) as err:
        load_scenario(BASELINE, ["staff.both=4"])
    assert str(err.value).startswith(
        "staff.both = 4: has no effect while staff.schedule is set (3 shifts); use staff=4")


@pytest.mark.parametrize("overrides", [
    [],                                                      # the shipped configs as they are
    ["distractions.enabled=false"],                          # a later switch supersedes the file
    ["demand.phone.rate_per_hour=0"],                        # ... the phone settings in the file
    ["traits.enabled=false"],                                # ... staff.traits = "random"
    ['discipline.policy="appearance_biased"', "staff.bias=0.5"],  # the key takes effect
    ["staff=4", "staff.bias=[1, 0, 0, 0]", 'discipline.policy="appearance_biased"'],
    list(staff_level(5).overrides),                          # the sweep's staff=N
    ["run.days=2", "market.referral_probability=0.1"],
])
def test_keys_that_take_effect_or_were_superseded_are_accepted(overrides: list[str]) -> None:
    load_scenario(BASELINE, overrides)
    load_scenario(ERLANG_A, [o for o in overrides if "phone" not in o and "bias" not in o
                             and "staff" not in o])


def test_defaults_never_trip_a_rule() -> None:
    _, conflicts = load_with_conflicts(ERLANG_A, [])
    assert conflicts == []  # phones closed, distractions, traits, loyalty off: nothing given


def test_a_file_that_contradicts_itself_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "both.toml"
    config.write_text('[demand.walk_in]\nrate_per_hour = 10\n[staff]\nboth = 3\nschedule = '
                      '[{ start = "09:00", end = "17:00", both = 2 }]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"staff\.both = 3: has no effect while staff\.schedule"):
        load_scenario(config)


def test_given_tracks_positions_and_replacements() -> None:
    given = Given.from_file({"staff": {"both": 2, "schedule": [{"start": "09:00"}]},
                             "demand": {"walk_in": {"service": {"dist": "exponential",
                                                                "mean_s": 3}}}})
    assert given.position("staff.both") == 0 and given.position("staff.counter") == -1
    assert [k for k, _, _ in given.under("demand")] == ["demand.walk_in.service"]
    given.set(1, ["staff"], {"phone": 1})  # a whole table replaces what was under it
    assert given.position("staff.both") == -1 and given.position("staff") == 1
    assert flatten({"a": {}, "b": [1]}) == {"a": {}, "b": [1]}


def test_staff_shorthand_means_the_same_with_set_and_factor() -> None:
    by_set = load_scenario(BASELINE, ["staff=4"])
    by_factor = build_grid(BASELINE, [], [parse_factor("staff=4")])[0].scenario
    assert by_set == by_factor
    assert by_set.staff.both == 4 and by_set.staff.schedule == []
    assert by_set.staff.counter == by_set.staff.phone == 0


@pytest.mark.parametrize("value", ["x", "0", "-2", "2.5", "true", "[1]", "100001"])
def test_bad_staff_shorthand_says_what_staff_n_means(value: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_scenario(BASELINE, [f"staff={value}"])
    assert err.value.key == "staff"
    assert "N pooled staff all day" in str(err.value) and "staff.both" in str(err.value)


def test_sweep_refuses_a_factor_inert_in_every_scenario() -> None:
    with pytest.raises(UserInputError) as err:
        build_grid(BASELINE, [], [parse_factor("staff.both=3,6")])
    assert "staff.schedule" in str(err.value) and "every scenario" in str(err.value)


def test_sweep_accepts_a_key_inert_in_some_scenarios_only() -> None:
    """A crossed design: overtaking matters under appearance_biased, not under fifo."""
    points = build_grid(BASELINE, ["discipline.overtake_probability=0.6"], [
        parse_factor("discipline.policy=fifo,appearance_biased")])
    assert [p.scenario.discipline.overtake_probability for p in points] == [0.6, 0.6]
    with pytest.raises(UserInputError, match="every scenario"):
        build_grid(BASELINE, ["discipline.overtake_probability=0.6"],
                   [parse_factor("discipline.policy=fifo,value_tier")])


def test_experiment_configs_have_no_inert_keys() -> None:
    for config in sorted(CONFIGS.glob("*.toml")):
        assert load_with_conflicts(config, [])[1] == [], config.name
