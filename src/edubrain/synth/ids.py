"""Identifiers, vectorised: 身份证号 (GB 11643), 全国学籍号, teacher ids, phone numbers.

A 身份证号 is region (6) + birth date (8) + sequence (3, odd last digit for
men) + check character. Uniqueness without coordination between districts:
each generating district owns its own block of sequence numbers, and within
a block :class:`SequenceBook` counts what it has handed out for each
(region, birth date, sex).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
CHECK = np.array(list("10X98765432"))
EPOCH = dt.date(1950, 1, 1)
SEQUENCES = 500
"""Sequence numbers per sex for one region and birth date (3 digits, the last one's parity is the sex)."""


def days_to_dates(days: np.ndarray) -> np.ndarray:
    """Days since 1950-01-01 -> numpy ``datetime64[D]``."""
    return np.datetime64(EPOCH.isoformat(), "D") + days.astype("timedelta64[D]")


def date_days(year: int, month: int, day: int) -> int:
    """Days since 1950-01-01 of a calendar date."""
    return (dt.date(year, month, day) - EPOCH).days


def check_chars(first17: np.ndarray) -> np.ndarray:
    """GB 11643 check characters of an (n, 17) array of digits."""
    return CHECK[(first17 @ WEIGHTS) % 11]


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Integers -> (n, width) array of their decimal digits, most significant first."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values.astype(np.int64)[:, None] // powers) % 10


def id_numbers(region: np.ndarray, birth_days: np.ndarray, sequence: np.ndarray) -> np.ndarray:
    """身份证号 strings from region codes (int), birth dates (days since 1950) and 3-digit sequences."""
    dates = days_to_dates(birth_days)
    months = dates.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    ymd = year * 10000 + (months.astype(np.int64) % 12 + 1) * 100 + (dates - months).astype(np.int64) + 1
    first17 = np.concatenate([digits(region, 6), digits(ymd, 8), digits(sequence, 3)], axis=1)
    body = (region.astype(np.int64) * 10**11 + ymd * 1000 + sequence).astype(str)
    return np.char.add(body, check_chars(first17))


def district_blocks(shares: list[float]) -> list[tuple[int, int]]:
    """Split the 500 sequence numbers among districts in proportion to their size (at least 4 each)."""
    sizes = [max(4, int(SEQUENCES * 0.97 * s)) for s in shares]
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    if starts[-1] + sizes[-1] > SEQUENCES:
        raise ValueError("sequence blocks overflow")
    return list(zip(starts, sizes, strict=True))


class SequenceBook:
    """Hands out unique 3-digit 身份证 sequence numbers for one generating district.

    Args:
        block: First sequence number (0-499) and count owned by the generating district; blocks of
            different districts do not overlap (see :func:`district_blocks`).
        regions: The region codes that may be used.
        first_day: Earliest birth date (days since 1950) that may be used.
        last_day: Latest birth date.
    """

    def __init__(self, block: tuple[int, int], regions: list[int], first_day: int, last_day: int) -> None:
        self.block, self.size = block
        self.regions = {r: i for i, r in enumerate(regions)}
        self.first_day = first_day
        self.span = last_day - first_day + 1
        self.used = np.zeros(len(regions) * self.span * 2, dtype=np.int16)

    def take(self, region: np.ndarray, birth_days: np.ndarray, male: np.ndarray) -> np.ndarray:
        """Sequence numbers for new people; birth dates whose block is full move a day later (in place).

        Returns:
            The sequence numbers (odd for men, GB 11643).
        """
        region_index = np.vectorize(self.regions.__getitem__, otypes=[np.int64])(region)
        out = np.empty(len(region), dtype=np.int64)
        todo = np.arange(len(region))
        while len(todo):
            day = np.clip(birth_days[todo] - self.first_day, 0, self.span - 1)
            key = (region_index[todo] * self.span + day) * 2 + male[todo].astype(np.int64)
            order = np.argsort(key, kind="stable")
            sorted_key = key[order]
            first = np.searchsorted(sorted_key, sorted_key, side="left")
            rank = np.empty(len(key), dtype=np.int64)
            rank[order] = np.arange(len(key)) - first
            slot = self.used[key].astype(np.int64) + rank
            fits = slot < self.size
            np.add.at(self.used, key[fits], 1)
            out[todo[fits]] = (self.block + slot[fits]) * 2 + male[todo[fits]]
            todo = todo[~fits]
            birth_days[todo] = birth_days[todo] + 1
        return out


def padded(values: np.ndarray, width: int) -> np.ndarray:
    """Integers as zero-padded decimal strings (also for an empty array)."""
    if len(values) == 0:
        return np.zeros(0, dtype=f"<U{width}")
    return np.char.zfill(values.astype(np.int64).astype(str), width)


def phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """Mobile numbers ``1[3-9]x xxxx xxxx`` (fictional)."""
    second = rng.integers(3, 10, n)
    rest = rng.integers(0, 10**9, n)
    return np.char.add(np.char.add("1", second.astype(str)), padded(rest, 9))
