"""Fast NFKC normalisation of whole columns of text (element detection, names).

``unicodedata.normalize("NFKC", s)`` is slow on Chinese text: almost every
text holds full-width punctuation (，：（）) whose compatibility mapping makes
the quick check fail, so each text goes through full decomposition and
recomposition (~0.3 µs a character; 20 s for the interpretations of 3,000
units). Here the column is joined once with NUL, each *distinct* character
whose NFKC differs is replaced by its NFKC (a few C-level ``str.replace``
calls), and only the pieces that still are not NFKC (combining sequences;
practically none) go through ``unicodedata.normalize``.

This gives exactly ``unicodedata.normalize("NFKC", s)``: replacing a
character by its own NFKC does not change the string's compatibility
decomposition, and NUL is a stable starter that never composes across the
joins. The tests compare with the plain function.
"""

from __future__ import annotations

import functools
import unicodedata

import numpy as np
import pandas as pd

_SEP = "\x00"


def nfkc_all(texts: list[str], remove_space: bool = False) -> list[str]:
    """``[NFKC(t) for t in texts]`` (and all whitespace removed when asked), computed in bulk."""
    if not texts:
        return []
    joined = nfkc_joined(texts, remove_space)
    if joined is None:  # a text holds NUL itself: do it one by one
        return [_one(t, remove_space) for t in texts]
    out = joined.split(_SEP)
    assert len(out) == len(texts)
    return out


def nfkc_joined(texts: list[str], remove_space: bool = False) -> str | None:
    """``"\\0".join(nfkc_all(texts, remove_space))`` without splitting it again, for callers that search
    the whole column at once; None when a text holds NUL itself (the pieces could not be told apart).
    NFKC never produces NUL and NUL is not whitespace, so the result holds exactly ``len(texts) - 1`` NULs."""
    joined = _SEP.join(texts)
    if joined.count(_SEP) != len(texts) - 1:
        return None
    normal = unicodedata.is_normalized("NFKC", joined)
    chars = _distinct(joined) if not normal or remove_space else []
    if not normal:
        for ch in chars:
            n = _nfkc_char(ch)
            if n != ch:
                joined = joined.replace(ch, n)
        if not unicodedata.is_normalized("NFKC", joined):
            joined = _SEP.join(unicodedata.normalize("NFKC", p) if not unicodedata.is_normalized("NFKC", p) else p
                               for p in joined.split(_SEP))
    if remove_space:
        if not normal:  # what the replacements brought in (U+3000 -> space)
            chars = sorted(set(chars) | set("".join(_nfkc_char(c) for c in chars)))
        for ch in chars:
            if ch.isspace():
                joined = joined.replace(ch, "")
    return joined


#: characters encoded at a time by _distinct (a 1 MiB UTF-32 buffer)
_DISTINCT_CHUNK = 1 << 18


def _distinct(text: str) -> list[str]:
    """The distinct characters of a (long) string, found with numpy.

    Chunk by chunk into one table of code points seen: encoding the whole text at
    once (80M characters for the interpretations of 3,000 units) and counting with
    ``np.bincount`` (which first copies the code points to int64) allocated ~1 GB
    and cost ~2.5 s in page faults; a boolean scatter over small chunks is ~0.3 s.
    """
    seen = np.zeros(0x110000, dtype=bool)
    for a in range(0, len(text), _DISTINCT_CHUNK):  # a loop over chunks, not characters
        seen[np.frombuffer(text[a:a + _DISTINCT_CHUNK].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)] = True
    return [chr(c) for c in np.flatnonzero(seen)]


@functools.lru_cache(maxsize=65536)
def _nfkc_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


def _one(t: str, remove_space: bool) -> str:
    n = unicodedata.normalize("NFKC", t)
    return "".join(n.split()) if remove_space else n


def nfkc_series(s: pd.Series, remove_space: bool = False) -> pd.Series:
    """A column of text in NFKC (optionally without whitespace); missing stays None."""
    arr = s.to_numpy(dtype=object)
    present = ~pd.isna(arr)
    out = np.full(len(arr), None, dtype=object)
    if present.any():
        vals = [str(v) for v in arr[present]]
        res = np.empty(len(vals), dtype=object)
        res[:] = nfkc_all(vals, remove_space)
        out[present] = res
    return pd.Series(out, index=s.index, dtype=object)
