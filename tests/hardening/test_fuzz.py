"""Fuzz: hypothesis-generated scenarios and ``--set`` overrides, each run as
``countersim run --reps 1`` on a one-hour day under a timeout.

Keys are drawn from the schema (:mod:`schema_keys` walks ``Scenario``'s fields), plus
unknown keys under real tables; values are plausible ones for the key's type, extreme ones
of the key's type (0, tiny, huge, NaN, ±inf, negative: what hangs or exhausts memory), or
extreme ones of any type (empty and long strings, wrong types, nested tables). The only
allowed outcomes: success (exit 0, a complete results folder with its manifest) or one
``error:`` line with exit 2 and nothing written — never a traceback, a hang, a partial
folder or a write outside the output folder (:func:`harness.judge`).

The examples are derandomised (the same ones every run) and not shrunk: every example
runs, every failure is collected, and the test fails at the end listing them all, so one
run is a complete report. ``HARDEN_FUZZ_EXAMPLES`` changes the count (default 300),
``HARDEN_FUZZ_TIMEOUT_S`` the per-example hang limit (default 4 s: a one-hour day with one
replication takes a few hundredths of a second).
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.hardening.configs import merged, pooled_text, toml_dumps, toml_value
from tests.hardening.harness import ANY, Case, execute, judge, make_sandbox, prepare
from tests.hardening.schema_keys import Key, default_at, schema_keys

EXAMPLES = int(os.environ.get("HARDEN_FUZZ_EXAMPLES", "300"))
TIMEOUT_S = float(os.environ.get("HARDEN_FUZZ_TIMEOUT_S", "4"))
BASE_ARGS = ("run", "c.toml", "--reps", "1", "--out", "out")

KEYS = schema_keys()
TABLES = [k.path for k in KEYS if k.kind in ("table", "dict")]

NAN, INF = float("nan"), float("inf")
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=24)
SCALARS = st.one_of(
    st.sampled_from([0, -1, 1, 2, 2**31, 2**63, 10**30, -(10**30), 0.0, -0.0, -1.5, 1e-300,
                     5e-324, 0.5, 1.0000001, 1e7, 1e12, 1e308, -1e308, NAN, INF, -INF, "",
                     "x" * 5000, "../../x", "a\nb", "09:00", "10:00", "99999:00", "24:00",
                     "random", "average", "none", "fifo", True, False]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    TEXT,
    st.booleans(),
)
EXTREME = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=4),
    st.dictionaries(st.sampled_from(["dist", "mean_s", "cv", "a", "start", "both"]), SCALARS,
                    max_size=3),
    st.sampled_from([[], {}, [[1.0]], [{}], {"dist": "exponential", "mean_s": 1e308},
                     {"dist": "infinite"}, {"dist": "deterministic", "value_s": 0.0},
                     [{"start": "09:00", "end": "10:00", "both": 100000}],
                     {"a": {"b": {"c": 1}}}]),
)


def plausible(key: Key) -> st.SearchStrategy[Any]:
    """Values of the key's own type near its default (most are accepted)."""
    default = default_at(key.path)
    if key.kind == "bool":
        return st.booleans()
    if key.kind == "int":
        top = max(3, int(default) * 3) if isinstance(default, int) else 5
        return st.integers(min_value=0, max_value=top)
    if key.kind == "float":
        ceiling = max(1.0, float(default) * 3) if isinstance(default, int | float) else 2.0
        return st.floats(min_value=0.0, max_value=ceiling)
    if key.kind == "clock":
        return st.sampled_from(["09:00", "09:15", "09:30", "10:00"])
    if key.kind in ("literal", "any") and key.choices:
        return st.sampled_from(list(key.choices))
    if key.kind == "dist":
        return st.sampled_from([{"dist": "exponential", "mean_s": 60.0},
                                {"dist": "lognormal", "mean_s": 120.0, "cv": 0.5},
                                {"dist": "weibull", "shape": 0.7, "scale_s": 90.0},
                                {"dist": "gamma", "mean_s": 100.0, "cv": 1.5},
                                {"dist": "empirical", "quantiles_s": [5.0, 40.0, 300.0]},
                                {"dist": "deterministic", "value_s": 30.0}])
    return SCALARS if default is None else st.just(_without_none(default))


def _without_none(value: Any) -> Any:
    """``value`` with unset (None) entries left out: TOML has no null."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value if v is not None]
    return value


TYPED_EXTREMES: dict[str, list[Any]] = {
    "float": [0.0, 1e-300, 1e7, 1e12, 1e308, NAN, INF, -1.0],
    "int": [0, -1, 100_000, 10**9, 10**18],
    "clock": ["00:00", "09:01", "24:00", "99999:00", "9:00"],
}


def typed_extreme(key: Key) -> st.SearchStrategy[Any]:
    """An extreme value of the key's own type (huge, tiny, NaN, inf, negative): these are
    what hang or exhaust memory rather than fail validation."""
    if key.kind == "dist":
        return st.sampled_from([{"dist": "exponential", "mean_s": v}
                                for v in TYPED_EXTREMES["float"]])
    return st.sampled_from(TYPED_EXTREMES.get(key.kind, ["", "x" * 5000]))


WORD = st.from_regex(r"[a-z_]{1,12}", fullmatch=True)


def _pair(choice: tuple[int, int, int, int]) -> st.SearchStrategy[tuple[str, Any]]:
    """A key and its value from four draws: one key in twelve is unknown (a made-up name in
    a real table); half the values are plausible, a quarter extreme of the key's own type,
    a quarter extreme of any type."""
    which, index, table, kind = choice
    if which == 11:
        return st.tuples(WORD.map(lambda w: f"{TABLES[table % len(TABLES)]}.{w}"), SCALARS)
    key = KEYS[index]
    value = (plausible(key) if kind < 4 else typed_extreme(key) if kind < 6 else EXTREME)
    return st.tuples(st.just(key.path), value)


PAIR = st.tuples(st.integers(0, 11), st.integers(0, len(KEYS) - 1),
                 st.integers(0, len(TABLES) - 1), st.integers(0, 7)).flatmap(_pair)


NUMERIC = [k for k in KEYS if k.kind in ("float", "int", "clock", "dist")]
EXTREME_NUMBER = st.integers(0, len(NUMERIC) - 1).map(NUMERIC.__getitem__).flatmap(
    lambda key: st.tuples(st.just(key.path), typed_extreme(key)))
"""One numeric key at an extreme of its own type: what a guard must refuse or survive."""

EXAMPLE = st.tuples(
    st.sampled_from(["set", "file"]),
    st.one_of(st.lists(PAIR, min_size=1, max_size=2),
              st.lists(PAIR, min_size=1, max_size=2),
              EXTREME_NUMBER.map(lambda pair: [pair])),
)
"""A third of the examples: one numeric key at an extreme; the rest: one or two keys."""


def _list_item_path(path: str, value: Any) -> tuple[str, Any]:
    """``staff.schedule.0.both = v`` → ``staff.schedule = [{..., both = v}]`` (a list of
    tables cannot be reached by a dotted path)."""
    parent, _, leaf = path.partition(".0.")
    if parent == "staff.schedule":
        item: dict[str, Any] = {"start": "09:00", "end": "10:00", "both": 1}
    else:
        item = {}
    item[leaf] = value
    return parent, [item]


def build_case(mode: str, pairs: list[tuple[str, Any]]) -> Case:
    """The command line (and file) of one example."""
    resolved = [_list_item_path(p, v) if ".0." in p else (p, v) for p, v in pairs]
    if mode == "set":
        args = [*BASE_ARGS]
        for path, value in resolved:
            args += ["--set", f"{path}={toml_value(value)}"]
        return Case("fuzz", "fuzz", tuple(args), files={"c.toml": pooled_text()}, expect=ANY,
                    timeout=TIMEOUT_S)
    import tomllib

    text = toml_dumps(merged(dict(resolved), base=tomllib.loads(pooled_text())))
    return Case("fuzz", "fuzz", BASE_ARGS, files={"c.toml": text}, expect=ANY,
                timeout=TIMEOUT_S)


def describe(mode: str, pairs: list[tuple[str, Any]]) -> str:
    """One line naming the example."""
    def show(v: Any) -> str:
        text = toml_value(v) if not (isinstance(v, float) and math.isnan(v)) else "nan"
        return text if len(text) <= 40 else text[:37] + "..."

    return f"{mode}: " + ", ".join(f"{p}={show(v)}" for p, v in pairs)


def test_fuzzed_scenarios_succeed_or_are_refused_in_one_line() -> None:
    failures: list[tuple[str, list[str]]] = []
    ran: Counter[str] = Counter()
    base = Path(tempfile.mkdtemp(prefix="harden-fuzz-"))

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(EXAMPLE)
    def example(drawn: tuple[str, list[tuple[str, Any]]]) -> None:
        mode, pairs = drawn
        case = build_case(mode, pairs)
        where = Path(tempfile.mkdtemp(dir=base))
        try:
            sandbox = make_sandbox(where)
            prepare(case, sandbox)
            out = execute(case, sandbox)
            ran["exit " + str(out.code)] += 1
            problems = judge(case, out, sandbox)
            if problems:
                failures.append((describe(mode, pairs), problems))
        finally:
            shutil.rmtree(where, ignore_errors=True)

    try:
        example()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"fuzz: {sum(ran.values())} examples, outcomes {dict(ran)}, {len(failures)} failing")
    assert sum(ran.values()) >= min(EXAMPLES, 300), f"only {sum(ran.values())} examples ran"
    if failures:
        kinds = Counter(p.split(":", 1)[0] for _, problems in failures for p in problems)
        lines = [f"[fuzz] {len(failures)} of {sum(ran.values())} fuzzed examples broke the "
                 f"contract ({dict(kinds)}; outcomes {dict(ran)}):"]
        lines += [f"  {what}\n      -> {'; '.join(problems)[:300]}" for what, problems in failures]
        raise AssertionError("\n".join(lines))
