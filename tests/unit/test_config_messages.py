"""Config refusals are one line naming the key, the value, what is allowed and the fix:
physical maxima of the schema, pydantic errors made readable, and reading the file (empty,
/dev/null, a byte-order mark, a path under a file, malformed TOML in ``--set``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.config.loading import load_scenario, read_config
from sim.errors import ConfigError, UserInputError
from tests.helpers import BASELINE, ERLANG_A

# (override on baseline.toml, key named, words the message must contain)
MAXIMA = [
    ("demand.walk_in.rate_per_hour=1e7", "demand.walk_in.rate_per_hour", "at most 100000"),
    ("demand.email.rate_per_hour=1e12", "demand.email.rate_per_hour", "at most 100000"),
    ('demand.walk_in.service={dist="exponential", mean_s=1e308}',
     "demand.walk_in.service.mean_s", "at most 1000000 s"),
    ('demand.phone.patience={dist="lognormal_median", median_s=1e7, sigma=1}',
     "demand.phone.patience.median_s", "infinite"),
    ('demand.walk_in.service={dist="lognormal", mean_s=60, cv=1e9}',
     "demand.walk_in.service.cv", "at most 100"),
    ('staff.schedule=[{start="09:00", end="17:00", both=100000}]', "staff.schedule.0.both",
     "at most 10000 staff"),
    ("staff=100000", "staff", "1 to 10000"),
    ('hours.close="99999:00"', "hours.close", "8760 hours"),
    ("patrons.pool_size=1000000000", "patrons.pool_size", "at most 10000000"),
    ("run.days=100000", "run.days", "at most 3650"),
    ("run.warmup_s=1e300", "run.warmup_s", "8760 h"),
    ("demand.walk_in.rate_per_hour=nan", "demand.walk_in.rate_per_hour", "finite"),
    ("demand.walk_in.rate_per_hour=-inf", "demand.walk_in.rate_per_hour", "finite"),
    ("distractions.kinds.paperwork.idle_rate_per_hour=1e6",
     "distractions.kinds.paperwork.idle_rate_per_hour", "at most 3600"),
    ("traits.speed_per_z=50", "traits.speed_per_z", "at most 2"),
]

# (override on baseline.toml, key named, words the message must contain)
MESSAGES = [
    ("staff.traits=[{conscientiousness=9}]", "staff.traits.0.conscientiousness", "-5 to 5"),
    ('staff.bias="high"', "staff.bias", "from 0 to 1"),
    ('demand.walk_in.service={dist="exponential", mean_s=3, cv=1}',
     "demand.walk_in.service.cv", "allowed keys here: dist, mean_s"),
    ('demand.walk_in.service={dist="pareto", mean_s=3}', "demand.walk_in.service",
     "lognormal_median"),
    ("demand.walk_in.service=3", "demand.walk_in.service", 'dist = "exponential"'),
    ('market.new_patrons_per_day="x"', "market.new_patrons_per_day", "'balanced' or a number"),
    ("demand=5", "demand", "keys: email, phone, rates_include_repeats, walk_in"),
    ("staff.schedule=3", "staff.schedule", "a list of shifts"),
    ("staff.schedule=[3]", "staff.schedule.0", "keys: both, counter, end, phone, start"),
    ('staff.schedule=[{start="09:00"}]', "staff.schedule.0.end", "required"),
    ("distractions.kinds.paperwork.x=1", "distractions.kinds.paperwork.x", "idle_rate_per_hour"),
    ("distractions.kinds={a=1}", "distractions.kinds.a", "idle_rate_per_hour"),
    ("temperament.mix=3", "temperament.mix", "calm = 0.6"),
    ("staff.both=1.5", "staff.both", "whole number"),
    ('hours.close="08:00"', "hours.close", "after open"),
    ("loyalty.churn_after_two_bad=0.01", "loyalty.churn_after_two_bad", "at least"),
]


def _refusal(override: str, config: Path = BASELINE) -> ConfigError:
    with pytest.raises(ConfigError) as err:
        load_scenario(config, [override])
    assert "\n" not in str(err.value)
    assert "constrained" not in str(err.value) and "literal[" not in str(err.value)
    return err.value


@pytest.mark.parametrize(("override", "key", "words"), MAXIMA, ids=[m[1] for m in MAXIMA])
def test_physical_maxima_are_refused_with_the_limit(override: str, key: str,
                                                     words: str) -> None:
    err = _refusal(override)
    assert err.key == key and words in str(err), str(err)


@pytest.mark.parametrize(("override", "key", "words"), MESSAGES,
                         ids=[m[1] for m in MESSAGES])
def test_messages_name_the_key_and_what_is_allowed(override: str, key: str,
                                                   words: str) -> None:
    err = _refusal(override)
    assert err.key == key and words in str(err), str(err)


def test_shipped_configs_and_their_validation_horizons_stay_legal() -> None:
    load_scenario(ERLANG_A, ['hours.close="1754:24"', "staff.counter=200",
                             "demand.walk_in.rate_per_hour=11400"])  # the benchmark's largest
    load_scenario(BASELINE, ["run.days=3650", "staff=10000"])


def test_a_multi_day_run_cannot_have_days_longer_than_24_hours() -> None:
    load_scenario(ERLANG_A, ['hours.close="30:00"'])  # one day: fine
    with pytest.raises(ConfigError, match=r"hours\.close = '30:00'.*at most 24:00"):
        load_scenario(ERLANG_A, ['hours.close="30:00"', "run.days=2"])


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_an_empty_config_is_refused_pointing_to_an_example(tmp_path: Path, text: str) -> None:
    path = tmp_path / "empty.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserInputError, match=r"empty config.*baseline\.toml"):
        load_scenario(path)


def test_dev_null_is_an_empty_config() -> None:
    with pytest.raises(UserInputError, match="/dev/null: empty config"):
        read_config(Path("/dev/null"))


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BASELINE.read_bytes())
    assert load_scenario(path) == load_scenario(BASELINE)


def test_a_config_path_under_a_file_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "file.toml").write_text("name = 'x'\n", encoding="utf-8")
    with pytest.raises(UserInputError) as err:
        load_scenario(tmp_path / "file.toml" / "x.toml")
    assert "cannot read the config" in str(err.value) and "write" not in str(err.value)


@pytest.mark.parametrize("value", ['{dist="exponential", mean_s=3', "[1, 0", '"unclosed'])
def test_malformed_toml_in_set_is_named_as_such(value: str) -> None:
    with pytest.raises(UserInputError) as err:
        load_scenario(BASELINE, [f"demand.walk_in.service={value}"])
    assert "malformed TOML value" in str(err.value) and "quote the whole argument" in str(
        err.value)


def test_a_bare_word_is_still_a_string() -> None:
    scenario = load_scenario(BASELINE, ["acknowledgment.policy=greet_first"])
    assert scenario.acknowledgment.policy == "greet_first"


def test_a_malformed_factor_level_is_named_as_a_factor() -> None:
    from sim.study.sweep import parse_factor

    with pytest.raises(UserInputError, match=r"^--factor demand\.walk_in\.service=\{dist=: "
                       r"malformed TOML value"):
        parse_factor("demand.walk_in.service=300,{dist=")
