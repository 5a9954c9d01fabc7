"""Named random streams: reproducible per (seed, replication, purpose), independent otherwise."""

from __future__ import annotations

import hashlib

import numpy as np

from sim.model.streams import Streams, purpose_key, stream


def draws(gen: np.random.Generator, n: int = 8) -> list[float]:
    return [float(x) for x in gen.random(n)]


def test_same_key_same_numbers() -> None:
    assert draws(stream(7, 3, "arrivals.walk_in")) == draws(stream(7, 3, "arrivals.walk_in"))


def test_different_purpose_replication_or_seed_differ() -> None:
    base = draws(stream(7, 3, "arrivals.walk_in"))
    assert draws(stream(7, 3, "arrivals.phone")) != base
    assert draws(stream(7, 3, "patience.walk_in")) != base
    assert draws(stream(7, 4, "arrivals.walk_in")) != base
    assert draws(stream(8, 3, "arrivals.walk_in")) != base


def test_streams_object_creates_each_purpose_once() -> None:
    s = Streams(11, 2)
    a = s("service.walk_in")
    assert s("service.walk_in") is a
    assert draws(Streams(11, 2)("service.walk_in")) == draws(stream(11, 2, "service.walk_in"))


def test_purpose_stream_independent_of_other_streams_used() -> None:
    """Common random numbers: drawing from one purpose does not shift another."""
    s1 = Streams(5, 0)
    s1("arrivals.walk_in").random(1000)
    got = draws(s1("patience.walk_in"))
    assert got == draws(Streams(5, 0)("patience.walk_in"))


def test_purpose_key_is_stable_sha256_prefix() -> None:
    expected = int.from_bytes(hashlib.sha256(b"balk.walk_in").digest()[:8], "little")
    assert purpose_key("balk.walk_in") == expected
    assert 0 <= purpose_key("x") < 2**64
    assert purpose_key("a") != purpose_key("b")
