"""Exact queueing oracle: Erlang-B, Erlang-C, Erlang-A and M/M/N+M with balking.

Everything here is unit-agnostic: rates are "per unit time" and waits come back in that
same unit.  If you pass rates per minute, ``mean_wait`` is in minutes and ``target_wait``
must be in minutes too.  The CLI (``countersim theory``) does the seconds/hours conversion.

Models
------
* ``erlang_b`` / ``erlang_c`` - blocking and waiting probabilities of M/M/N/N and M/M/N.
* ``erlang_c_metrics`` - M/M/N (infinite patience), closed form.
* ``erlang_a_metrics`` - M/M/N+M (exponential patience), closed form of Garnett, Mandelbaum
  and Reiman (2002).
* ``birth_death_metrics`` - M/M/N+M with state-dependent joining (balking), solved exactly
  by the product form of the birth-death chain, truncated where the tail is negligible.
* ``retrial_metrics`` - M/M/N+M with retrials (an abandoning customer tries again with
  probability ``p`` after an exponential delay): the two-dimensional chain over (in system,
  in orbit), truncated where its boundary holds negligible probability, solved sparsely.
* ``stationary_distribution_dense`` - a deliberately naive independent solver (dense
  generator + linear solve) used by the tests to cross-check the product form.

Service level
-------------
An arriving customer who joins and finds ``j >= 0`` customers waiting ahead (all ``N``
servers busy) moves up at rate ``N mu + k theta`` while ``k`` are ahead, enters service
at rate ``N mu`` when ``k = 0``, and abandons itself at rate ``theta`` throughout.
``P(served within t | j ahead)`` is an absorption probability of that transient chain.
``service_level_given_state`` computes it for all ``j`` at once, either with
``scipy.linalg.expm`` of the augmented generator (small state spaces) or with the
equivalent closed form (large state spaces)::

    P(served within t | j ahead) = x / (x + j + 1) * I_{1 - exp(-theta t)}(j + 1, x + 1)

where ``x = N mu / theta`` and ``I`` is the regularised incomplete beta function.  (The
customer's own patience turns each stage ``Exp(N mu + k theta)`` into an
``Exp(N mu + (k+1) theta)`` stage with a survival factor ``(x+k)/(x+k+1)``; a sum of
exponentials with rates ``theta (x + i)``, ``i = 1..j+1``, is ``-log(B)/theta`` with
``B ~ Beta(x+1, j+1)``.)  With ``theta = 0`` it is the Erlang CDF
``P(Gamma(j+1, N mu) <= t)``.  Both forms are exact; no state cap is needed because the
chain only moves downwards, so the chain started from ``j`` never leaves ``{0..j}``.

Modules: :mod:`~sim.theory.common` (``QueueMetrics``, tolerances, argument checks),
:mod:`~sim.theory.erlang` (Erlang B/C/A), :mod:`~sim.theory.service_level`,
:mod:`~sim.theory.birth_death` (balking, dense cross-check), :mod:`~sim.theory.retrial`
(retrials) and
:mod:`~sim.theory.staffing` (fewest servers).  Everything public is re-exported here.
"""

from sim.theory.birth_death import birth_death_metrics, stationary_distribution_dense
from sim.theory.common import (
    EXPM_MAX_STATES,
    MAX_STATES,
    MAX_UNBOUNDED_QUEUE,
    TAIL_TOLERANCE,
    QueueMetrics,
    SeriesTooLong,
)
from sim.theory.erlang import erlang_a_metrics, erlang_b, erlang_c, erlang_c_metrics
from sim.theory.retrial import RetrialMetrics, retrial_metrics
from sim.theory.service_level import service_level_given_state
from sim.theory.staffing import min_servers_erlang_a

__all__ = [
    "EXPM_MAX_STATES",
    "MAX_STATES",
    "MAX_UNBOUNDED_QUEUE",
    "TAIL_TOLERANCE",
    "QueueMetrics",
    "RetrialMetrics",
    "SeriesTooLong",
    "birth_death_metrics",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "min_servers_erlang_a",
    "retrial_metrics",
    "service_level_given_state",
    "stationary_distribution_dense",
]
