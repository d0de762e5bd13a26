"""rows_isin / first_match (scoring/rules/common.py) agree with MultiIndex.isin and a left merge."""

import numpy as np
import pandas as pd

from scoring.rules.common import first_match, rows_isin


def _frames(seed: int, n: int, m: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    pool_u = np.array(["U1", "U2", "U3", "U1\x00", "a,b", None], dtype=object)
    pool_d = np.array(["D1", "D2", "\x00D1", "U1", "", None], dtype=object)

    def frame(k: int) -> pd.DataFrame:
        return pd.DataFrame({"unit_id": pool_u[rng.integers(0, len(pool_u), k)],
                             "doc_id": pool_d[rng.integers(0, len(pool_d), k)]},
                            index=rng.permutation(k) * 3)

    return frame(n), frame(m)


def test_rows_isin_matches_tuple_membership():
    # compared with plain tuples, not MultiIndex.isin: with NUL in a text (the pool has some) pandas'
    # MultiIndex.isin takes "U1\x00" for "U1"; a merge, and rows_isin, do not
    for seed in range(20):
        left, right = _frames(seed, 40, 15)
        have = set(map(tuple, right.to_numpy()))
        want = np.array([tuple(r) in have for r in left.to_numpy()], dtype=bool)
        assert (rows_isin(left, right) == want).all()


def test_first_match_is_a_left_merge_on_first_rows():
    for seed in range(20):
        left, right = _frames(seed, 40, 15)
        r = right.reset_index(drop=True).assign(pos=lambda f: f.index)
        r = r.drop_duplicates(["unit_id", "doc_id"])
        want = left.merge(r, on=["unit_id", "doc_id"], how="left")["pos"].fillna(-1).astype(int).to_numpy()
        assert (first_match(left, right) == want).all()


def test_empty_sides():
    left, right = _frames(0, 5, 0)
    assert not rows_isin(left, right).any()
    assert (first_match(left, right) == -1).all()
    assert len(first_match(right, left)) == 0
