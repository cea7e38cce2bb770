"""Published data and results used as golden values by the item-analysis tests.

LSAT6: section 6 of the Law School Admission Test, 5 items, 1000 examinees, given as the 32 response patterns
with their frequencies. Bock, R. D. & Lieberman, M. (1970) "Fitting a response model for n dichotomously scored
items", Psychometrika 35; distributed as ``LSAT`` in R ``ltm`` and ``LSAT6`` in R ``mirt``, and as the WinBUGS /
OpenBUGS / MultiBUGS example "LSAT: item response" (same 32 frequencies, N = 1000).

LTM_LSAT6_2PL: ``ltm(LSAT ~ z1, IRT.param = TRUE)`` (21-point Gauss–Hermite), as printed in two independent
published runs: RPubs "Binary IRT (2PL) Model" (rstudio-pubs-static 1049111) and kdavis91
"2PL-and-3PL-Dichotomous-Item-response-theory-model" (both: log.Lik −2466.653, the coefficients below).
"""

from __future__ import annotations

import numpy as np

# (item 1 … item 5, frequency), the 32 patterns in binary order
LSAT6_PATTERNS: tuple[tuple[int, int, int, int, int, int], ...] = (
    (0, 0, 0, 0, 0, 3), (0, 0, 0, 0, 1, 6), (0, 0, 0, 1, 0, 2), (0, 0, 0, 1, 1, 11),
    (0, 0, 1, 0, 0, 1), (0, 0, 1, 0, 1, 1), (0, 0, 1, 1, 0, 3), (0, 0, 1, 1, 1, 4),
    (0, 1, 0, 0, 0, 1), (0, 1, 0, 0, 1, 8), (0, 1, 0, 1, 0, 0), (0, 1, 0, 1, 1, 16),
    (0, 1, 1, 0, 0, 0), (0, 1, 1, 0, 1, 3), (0, 1, 1, 1, 0, 2), (0, 1, 1, 1, 1, 15),
    (1, 0, 0, 0, 0, 10), (1, 0, 0, 0, 1, 29), (1, 0, 0, 1, 0, 14), (1, 0, 0, 1, 1, 81),
    (1, 0, 1, 0, 0, 3), (1, 0, 1, 0, 1, 28), (1, 0, 1, 1, 0, 15), (1, 0, 1, 1, 1, 80),
    (1, 1, 0, 0, 0, 16), (1, 1, 0, 0, 1, 56), (1, 1, 0, 1, 0, 21), (1, 1, 0, 1, 1, 173),
    (1, 1, 1, 0, 0, 11), (1, 1, 1, 0, 1, 61), (1, 1, 1, 1, 0, 28), (1, 1, 1, 1, 1, 298),
)  # fmt: skip

LTM_LSAT6_2PL = {
    "difficulty": (-3.3597341, -1.3696497, -0.2798983, -1.8659189, -3.1235725),
    "discrimination": (0.8253715, 0.7229499, 0.8904748, 0.6885502, 0.6574516),
    "log_likelihood": -2466.653,
}


def lsat6() -> tuple[np.ndarray, np.ndarray]:
    """The LSAT6 patterns (32 × 5) and their frequencies (32)."""
    table = np.asarray(LSAT6_PATTERNS, dtype=np.float64)
    return table[:, :5], table[:, 5]
