"""The two statistical tests the alert rules use, in plain Python (no SciPy).

Why exact and small: the thresholds are stated in the glossary as p-values, so an agency head can
re-check any alert with a calculator or a spreadsheet (``=1-POISSON.DIST(x-1, mu, TRUE)``).
"""

from __future__ import annotations

import math


def poisson_upper_tail(x: int, mu: float) -> float:
    """P(X ≥ x) for X ~ Poisson(mu), summed from x upward (accurate for tiny tails)."""
    if x <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    log_mu = math.log(mu)
    term = math.exp(-mu + x * log_mu - math.lgamma(x + 1))
    total, k = term, x
    # terms fall once k > mu; stop when they no longer change the sum
    while k < x + 10_000:
        k += 1
        term *= mu / k
        total += term
        if k > mu and term < total * 1e-16:
            break
    return min(total, 1.0)


def proportion_drop_p(met_before: int, n_before: int, met_now: int, n_now: int) -> float:
    """One-sided p-value that the share met fell from the earlier to the later week.

    The two-proportion z-test with a pooled share: z = (p1 − p2) / sqrt(p(1−p)(1/n1 + 1/n2)),
    p-value = P(Z ≥ z). 1.0 when either week has nothing due or the pooled share is 0 or 1.
    """
    if not n_before or not n_now:
        return 1.0
    p1, p2 = met_before / n_before, met_now / n_now
    pooled = (met_before + met_now) / (n_before + n_now)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_before + 1 / n_now))
    if se == 0:
        return 1.0
    z = (p1 - p2) / se
    return 0.5 * math.erfc(z / math.sqrt(2))
