"""P(served within t | j waiting ahead): absorption probabilities of the waiting chain.

See the :mod:`sim.theory` docstring for the closed form.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import scipy.linalg
import scipy.special

from sim.theory.common import (
    EXPM_MAX_STATES,
    FloatArray,
    check_rate,
    check_servers,
    check_target,
)

NEGLIGIBLE_ABANDONMENT = 1e15
"""Above this ``N mu / theta`` the closed form uses its ``theta = 0`` limit: the incomplete
beta function loses all precision (NaN by 1e200) while the limit agrees to double
precision."""


def service_level_given_state(
    service_rate: float,
    abandonment_rate: float,
    servers: int,
    target_wait: float,
    max_ahead: int,
    *,
    method: Literal["auto", "expm", "closed"] = "auto",
) -> FloatArray:
    """P(a waiting customer enters service within ``target_wait`` | ``j`` waiting ahead).

    The customer found all ``servers`` busy and ``j`` customers waiting ahead of it.  While
    ``k`` are ahead it moves up at rate ``N mu + k theta``; at ``k = 0`` it enters service at
    rate ``N mu``; it abandons at rate ``theta`` at all times.

    Args:
        service_rate: ``mu`` per server [1/time].
        abandonment_rate: ``theta`` = 1 / mean patience [1/time]; 0 for infinite patience.
        servers: ``N >= 1``.
        target_wait: ``t`` [time].
        max_ahead: Largest ``j`` wanted; the result has ``max_ahead + 1`` entries.
        method: ``"expm"`` builds the augmented generator ``[[Q, r], [0, 0]]`` and takes
            the top-right block of ``expm(M t)`` (``= int_0^t e^{Qs} ds r``); ``"closed"``
            uses the equivalent incomplete-beta closed form (module docstring); ``"auto"``
            uses ``expm`` up to ``EXPM_MAX_STATES`` states and the closed form beyond.

    Returns:
        Array ``f`` with ``f[j] = P(served within t | j ahead)``, ``j = 0..max_ahead``.

    """
    check_rate(service_rate, "service_rate", positive=True)
    check_rate(abandonment_rate, "abandonment_rate")
    check_servers(servers)
    check_target(target_wait)
    if max_ahead < 0:
        raise ValueError(f"max_ahead = {max_ahead!r}: must be >= 0")
    size = int(max_ahead) + 1
    if method == "auto":
        method = "expm" if size <= EXPM_MAX_STATES else "closed"
    if target_wait == 0:
        return np.zeros(size)
    full_rate = servers * service_rate
    if method == "expm":
        ks = np.arange(size, dtype=float)
        m = np.zeros((size + 1, size + 1))
        m[np.arange(size), np.arange(size)] = -(full_rate + (ks + 1.0) * abandonment_rate)
        m[np.arange(1, size), np.arange(size - 1)] = full_rate + ks[1:] * abandonment_rate
        m[0, size] = full_rate
        out = scipy.linalg.expm(m * target_wait)[:size, size]
        return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float64)
    if method != "closed":
        raise ValueError(f"method = {method!r}: must be 'auto', 'expm' or 'closed'")
    stages = np.arange(1, size + 1, dtype=float)  # j + 1 stages to get into service
    if abandonment_rate == 0 or full_rate > NEGLIGIBLE_ABANDONMENT * abandonment_rate:
        out = scipy.special.gammainc(stages, full_rate * target_wait)
    else:
        x = full_rate / abandonment_rate
        u = -math.expm1(-abandonment_rate * target_wait)
        out = x / (x + stages) * scipy.special.betainc(stages, x + 1.0, u)
    return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float64)
