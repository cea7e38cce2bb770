"""Deterministic random streams: one independent generator per purpose, district and year.

Each stream is seeded from the run's seed and a label, so a district's
students do not depend on the order in which districts are generated, and
adding a new kind of draw does not shift the others.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, label: str, *keys: int) -> np.random.Generator:
    """A generator for ``label`` (e.g. ``"students"``) and integer keys (district index, year).

    Examples:
        >>> a = stream(1, "names", 3).integers(0, 1000, 3)
        >>> b = stream(1, "names", 3).integers(0, 1000, 3)
        >>> bool((a == b).all())
        True
    """
    entropy = [seed & 0xFFFFFFFF, zlib.crc32(label.encode("utf-8")), *(int(k) & 0xFFFFFFFF for k in keys)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))
