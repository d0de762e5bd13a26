"""Shared pieces of the fuzz tests: JSON/YAML paths, mutations, and a time and memory bound."""

from __future__ import annotations

import contextlib
import copy
import os
import resource
import signal
from typing import Any

from hypothesis import strategies as st

#: every fuzzed command must answer within this many seconds ...
TIME_LIMIT = 60
#: ... using at most this much more address space than before it started
MEMORY_LIMIT = 1024 * 1024 * 1024

#: values a hostile or careless editor writes
NASTY_TEXT = ["", " ", "1e100000000", "1E5", "1/0", "-1", "0/1", "abc", "2026-02-30", "0000-00-00", "9999-12-31",
              "../../etc/passwd", "/abs/path", "CON", "a/b", "a:b", "abc.", ".", "..", "-x", "ABC", "abc",
              "{{ 7*7 }}", "=1+1", "\x00", "\u202e", "国" * 300, "x" * 5000, "NaN", "Infinity", "{n:>99999}"]
NASTY_NUMBERS = [0, -1, 1, 2 ** 31, 2 ** 63, 10 ** 30, -(10 ** 30), 10 ** 400, 0.5, 1e300, -0.0]


def paths(tree: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into a JSON-like tree (dict keys, list indices), containers included."""
    out = [prefix] if prefix else []
    if isinstance(tree, dict):
        for k, v in tree.items():
            out += paths(v, prefix + (k,))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out += paths(v, prefix + (i,))
    return out


def scalars() -> st.SearchStrategy:
    return st.one_of(
        st.none(), st.booleans(), st.sampled_from(NASTY_NUMBERS), st.integers(),
        st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(NASTY_TEXT), st.text(max_size=30),
        st.dates().map(lambda d: d.isoformat()),
    )


def values() -> st.SearchStrategy:
    return st.recursive(scalars(), lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)


@st.composite
def mutated(draw, base: Any, value_strategy: st.SearchStrategy | None = None, max_edits: int = 3) -> Any:
    """``base`` (deep-copied) with 1..max_edits random edits: replace a value, drop a key, repeat a list item."""
    tree = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, max_edits))):
        ps = paths(tree)
        if not ps:
            break
        path = draw(st.sampled_from(ps))
        parent = tree
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        action = draw(st.sampled_from(["replace", "replace", "replace", "drop", "repeat"]))
        if action == "drop" and isinstance(parent, dict):
            del parent[key]
        elif action == "repeat" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        else:
            parent[key] = draw(value_strategy or values())
    return tree


class Hang(Exception):
    """The command did not answer within TIME_LIMIT."""


@contextlib.contextmanager
def bounded(seconds: int = TIME_LIMIT, memory: int = MEMORY_LIMIT):
    """Fail (not hang, not swap) when the code inside runs too long or allocates too much (Linux)."""
    def on_alarm(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    old_limit = resource.getrlimit(resource.RLIMIT_AS)
    in_use = _address_space()
    if in_use is not None:
        cap = in_use + memory
        if old_limit[0] == resource.RLIM_INFINITY or old_limit[0] > cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, old_limit[1]))
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old_handler)
        resource.setrlimit(resource.RLIMIT_AS, old_limit)


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None
