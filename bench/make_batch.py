"""Generate a synthetic province batch (测评底稿) for benchmarks and smoke tests.

    python bench/make_batch.py OUT_DIR --units 3000 --seed 7

writes the folder-of-tables layout of CONTRACT.md §1: ``units.csv`` plus one
UTF-8 CSV per evidence table, English headers, dates as ``YYYY-MM-DD``,
booleans as 是/否. Shapes aim at what an agency sees for a province in 2026:

- three unit kinds (县区政府, 市直部门, 乡镇街道) of different sizes;
- per unit tens to thousands of requests, messages, documents and
  interpretations (a log-normal spread), interpretations with a few hundred
  characters of Chinese text that name the C2 elements, often as headings
  (``一、出台背景``) and sometimes only in passing or not at all;
- a catalog with the kind's required columns (sometimes under a synonym,
  sometimes missing), dynamic columns and 重点领域 columns;
- annual report tables 3 and 4 for 2025, table 3 for 2024 too (identity 4);
- site checks (home, links, columns) and a few bonus items;
- dates spread over the year, holidays included, replies computed on the
  official working-day calendar;
- faults at a realistic share that depends on the unit (a careless unit has
  many, most units few; a handful trip a veto).

3,000 units give about five million evidence rows. Generation is numpy
vectorised over all rows; the same ``--seed`` gives the same files.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scoring.evidence.annual_labels import TABLE3_COLS, TABLE3_ROWS, TABLE4_COLS, TABLE4_ROWS  # noqa: E402
from scoring.workdays import WorkCalendar  # noqa: E402

AS_OF = np.datetime64("2026-11-20", "D")
YEAR0 = np.datetime64("2026-01-01", "D")

KINDS = np.array(["县区政府", "市直部门", "乡镇街道"], dtype=object)
KIND_SHARE = [0.15, 0.45, 0.40]
#: relative workload by kind (a county government handles more than a township)
KIND_SIZE = np.array([2.2, 1.0, 0.55])

# Mean rows per unit of average size; 3,000 units -> ~5 million rows in all.
MEAN_ROWS = {"requests": 110, "messages": 640, "documents": 260}

REGIONS = np.array(["合肥市", "芜湖市", "蚌埠市", "淮南市", "马鞍山市", "淮北市", "铜陵市", "安庆市",
                    "黄山市", "滁州市", "阜阳市", "宿州市", "六安市", "亳州市", "池州市", "宣城市"], dtype=object)

REQUIRED_COLUMNS = {
    "县区政府": [("政府信息公开指南", ()), ("政府信息公开制度", ()), ("机构职能", ()),
             ("领导信息", ("机构领导",)), ("政策文件", ("部门文件", "规范性文件")), ("政策解读", ()),
             ("规划计划", ()), ("财政预决算", ("财政信息",)), ("重大建设项目", ()),
             ("公共资源配置", ("公共资源交易",)), ("社会救助", ()), ("政府信息公开年报", ("年度报告",))],
    "市直部门": [("政府信息公开指南", ()), ("机构职能", ()), ("领导信息", ("机构领导",)),
             ("政策文件", ("部门文件", "规范性文件")), ("政策解读", ()), ("财政预决算", ("财政信息",)),
             ("人事信息", ()), ("政府信息公开年报", ("年度报告",))],
    "乡镇街道": [("政府信息公开指南", ()), ("机构职能", ()), ("领导信息", ("机构领导",)),
             ("政策文件", ()), ("财政预决算", ("财政信息",)), ("社会救助", ()),
             ("政府信息公开年报", ("年度报告",))],
}
DYNAMIC_COLUMNS = ["工作动态", "政务动态", "要闻"]
NOTICE_COLUMNS = ["通知公告", "公告公示"]
AREAS = ["义务教育", "户籍管理", "环境保护", "安全生产", "食品药品监管", "城乡规划", "自然资源",
         "农村危房改造", "涉农补贴", "就业创业", "养老服务", "医疗卫生", "住房保障", "交通运输",
         "市场监管", "生态环境", "应急管理", "退役军人服务", "残疾人服务", "文化旅游"]
AREA_SUBS = ["政策法规", "工作动态", "办事指南", "通知公告", "信息发布", "专项工作", "统计数据"]

# C2 elements (RUBRIC.md) with their spellings: name first, then synonyms.
ELEMENTS = [
    ("背景依据", "出台背景", "制定背景", "政策依据", "制定依据"),
    ("目标任务", "主要目标", "工作目标"),
    ("主要内容", "核心内容", "主要条款"),
    ("关键举措", "主要措施", "重点任务", "政策措施"),
    ("新旧差异", "新旧对比", "新旧政策差异", "主要变化", "修订内容"),
    ("后续工作", "下一步工作", "保障措施"),
]
NUMERALS = "一二三四五六"
FILLER = [
    "为深入贯彻落实党中央、国务院决策部署，结合本地实际，经充分调研论证并广泛征求社会各方面意见，",
    "文件坚持问题导向和目标导向，突出重点、分类施策，注重措施的可操作性和连续性，",
    "围绕群众和企业关心关注的热点难点问题，进一步明确责任分工、办理流程和完成时限，",
    "对照上位法和相关政策规定逐条梳理，删除不适应新形势要求的内容，补充完善相关条款，",
    "各有关部门要加强协调配合，强化督促检查，确保各项任务落到实处、取得实效，",
    "通过政府网站、政务新媒体等渠道及时发布政策信息，做好政策宣传和咨询答复工作，",
    "建立健全动态调整机制，定期开展评估，根据实施情况适时修订完善，",
    "进一步优化营商环境，降低制度性交易成本，激发市场主体活力和社会创造力，",
]
TOPICS = ["优化营商环境", "促进就业创业", "加强耕地保护", "推进数字政府建设", "支持中小企业发展",
          "做好防汛抗旱工作", "加快乡村振兴", "规范行政执法", "推进养老服务体系建设", "加强生态环境保护",
          "深化一网通办改革", "强化安全生产责任", "稳定粮食生产", "促进消费扩容提质", "加强城市精细化管理"]
TITLE_FORMS = ["关于印发《{t}实施方案》的通知", "关于{t}的实施意见", "关于进一步{t}的通知",
               "{t}若干措施", "关于{t}工作的意见"]
OUTCOMES = np.array(["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"], dtype=object)
OUTCOME_P = [0.55, 0.15, 0.08, 0.12, 0.06, 0.04]
FORMS = np.array(["文字", "文字、图解", "图解", "视频", "文字、负责人解读", "文字、新闻发布会"], dtype=object)
FORMS_P = [0.66, 0.16, 0.06, 0.04, 0.05, 0.03]
CHANNELS = np.array(["网站", "12345", "政务新媒体", "信箱"], dtype=object)


# ---------------------------------------------------------------------------
# small vectorised helpers


def _ids(prefix: str | pd.Series, seq: np.ndarray, width: int) -> pd.Series:
    nums = pd.Series(seq + 1).astype(str).str.zfill(width)
    return prefix + nums if isinstance(prefix, str) else prefix.reset_index(drop=True) + nums


def _dates(days: np.ndarray | pd.Series) -> np.ndarray:
    """datetime64 (NaT = blank) -> 'YYYY-MM-DD' strings, '' for blank."""
    arr = np.asarray(days, dtype="datetime64[D]")
    out = np.datetime_as_string(arr, unit="D").astype(object)
    out[np.isnat(arr)] = ""
    return out


def _bools(values: np.ndarray, blank: np.ndarray | None = None) -> np.ndarray:
    out = np.where(values, "是", "否").astype(object)
    if blank is not None:
        out[blank] = ""
    return out


def _within(counts: np.ndarray) -> np.ndarray:
    """Position of each row within its unit (0, 1, ... per unit)."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - starts


def _unit_counts(rng: np.random.Generator, size: np.ndarray, mean: float, low: int) -> np.ndarray:
    # log-normal with sigma 0.9: tens to thousands, mean ~ mean * size
    raw = rng.lognormal(np.log(mean) - 0.405, 0.9, len(size)) * size
    return np.maximum(low, np.round(raw)).astype(np.int64)


class Generator:
    def __init__(self, units: int, seed: int):
        self.n = units
        self.rng = np.random.default_rng(seed)
        self.cal = WorkCalendar.load()

    def wd(self, start: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        """The Nth working day after start, on the official calendar (kept inside the known years)."""
        start = np.asarray(start, dtype="datetime64[D]")
        n = np.broadcast_to(np.asarray(n, dtype=np.int64), start.shape)
        idx = (np.where(np.isnat(start), self.cal.day0, start) - self.cal.day0).astype(np.int64)
        room = self.cal.cum[-1] - self.cal.cum[idx]
        n = np.minimum(n, room)
        return self.cal.add_workdays_vec(start, n).astype("datetime64[D]")

    # -- units ---------------------------------------------------------
    def units(self) -> pd.DataFrame:
        rng, n = self.rng, self.n
        kind_i = rng.choice(3, n, p=KIND_SHARE)
        self.kind_i = kind_i
        self.size = KIND_SIZE[kind_i] * rng.uniform(0.6, 1.4, n)
        # carelessness: most units careful, a tail of careless ones
        self.care = rng.beta(1.5, 9.0, n)
        # a few units trip a veto on purpose
        self.veto = rng.random(n) < 0.04
        region = REGIONS[rng.integers(0, len(REGIONS), n)]
        self.uid = _ids("DW", np.arange(n), 5).to_numpy(dtype=object)
        kind = KINDS[kind_i]
        base = pd.Series(region) + pd.Series(np.where(kind_i == 2, "某某镇", np.where(kind_i == 0, "某某县", "")))
        dept = np.array(["人民政府", "发展和改革委员会", "人民政府"], dtype=object)[kind_i]
        name = base + pd.Series(dept) + "（" + pd.Series(self.uid) + "）"
        self.host = ("https://www.example-gov.cn/" + pd.Series(self.uid).str.lower()).to_numpy(dtype=object)
        return pd.DataFrame({"unit_id": self.uid, "name": name, "kind": kind, "region": region,
                             "site_url": self.host + "/zwgk/"})

    # -- requests ------------------------------------------------------
    def requests(self) -> pd.DataFrame:
        rng = self.rng
        counts = _unit_counts(rng, self.size, MEAN_ROWS["requests"], 3)
        u = np.repeat(np.arange(self.n), counts)
        m = len(u)
        care = self.care[u]
        # received any day of the year up to a week before as_of, holidays included
        recv = YEAR0 + rng.integers(0, (AS_OF - YEAR0).astype(int) - 7, m).astype("timedelta64[D]")
        corr = rng.random(m) < 0.07
        notice_wd = np.where(rng.random(m) < 0.02 + 0.3 * care ** 2, rng.integers(8, 13, m), rng.integers(1, 8, m))
        notice = np.where(corr, self.wd(recv, np.where(corr, notice_wd, 0)), np.datetime64("NaT"))
        corrected = np.where(corr, notice + rng.integers(1, 20, m).astype("timedelta64[D]"), np.datetime64("NaT"))
        consult = np.where(rng.random(m) < 0.04, rng.integers(3, 16, m), 0)
        extended = rng.random(m) < 0.05
        ext_wd = np.where(rng.random(m) < 0.8, rng.integers(12, 20, m), rng.integers(21, 26, m))
        ext_notice = np.where(extended & (rng.random(m) < 0.92), self.wd(recv, ext_wd), np.datetime64("NaT"))
        late = rng.random(m) < 0.002 + 0.15 * care ** 2
        reply_wd = np.where(late, rng.integers(21, 40, m), rng.integers(1, 21, m))
        reply_wd = reply_wd + consult + np.where(extended, rng.integers(0, 18, m), 0)
        base = np.where(corr, corrected, recv)
        replied = self.wd(base, reply_wd)
        unreplied = (replied > AS_OF) | (rng.random(m) < 0.01)
        replied = np.where(unreplied, np.datetime64("NaT"), replied)
        outcome = OUTCOMES[rng.choice(len(OUTCOMES), m, p=OUTCOME_P)]
        full = outcome == "予以公开"
        reason = rng.random(m) > 0.003 + 0.1 * care ** 2
        remedy = rng.random(m) > 0.002 + 0.1 * care ** 2
        seq = _within(counts)
        return pd.DataFrame({
            "unit_id": self.uid[u],
            "request_id": _ids("YSQ2026-", seq, 5),
            "received_on": _dates(recv),
            "correction_notice_on": _dates(notice),
            "corrected_on": _dates(corrected),
            "consultation_days": np.where(consult > 0, consult.astype(str), "").astype(object),
            "extended": _bools(extended, ~extended & (rng.random(m) < 0.5)),
            "extension_notice_on": _dates(ext_notice),
            "replied_on": _dates(replied),
            "outcome": np.where(unreplied, "", outcome).astype(object),
            "states_reason": _bools(reason, full | unreplied),
            "informs_remedy": _bools(remedy, unreplied),
        })

    # -- messages ------------------------------------------------------
    def messages(self) -> pd.DataFrame:
        rng = self.rng
        counts = _unit_counts(rng, self.size, MEAN_ROWS["messages"], 5)
        u = np.repeat(np.arange(self.n), counts)
        m = len(u)
        care = self.care[u]
        recv = AS_OF - rng.integers(1, 366, m).astype("timedelta64[D]")
        late = rng.random(m) < 0.001 + 0.05 * care ** 2
        reply_wd = np.where(late, rng.integers(6, 25, m), rng.integers(1, 6, m))
        replied = self.wd(recv, reply_wd)
        # a veto unit leaves one message waiting for more than three months
        first = np.r_[True, u[1:] != u[:-1]]
        long_wait = first & self.veto[u] & (rng.random(m) < 0.5)
        replied = np.where(long_wait, recv + rng.integers(95, 140, m).astype("timedelta64[D]"), replied)
        recent = recv > AS_OF - np.timedelta64(10, "D")
        unreplied = (replied > AS_OF) | (recent & (rng.random(m) < 0.2))
        replied = np.where(unreplied, np.datetime64("NaT"), replied)
        seq = _within(counts)
        return pd.DataFrame({
            "unit_id": self.uid[u],
            "message_id": _ids("LY", seq, 6),
            "received_on": _dates(recv),
            "replied_on": _dates(replied),
            "channel": CHANNELS[rng.choice(len(CHANNELS), m, p=[0.5, 0.3, 0.15, 0.05])],
        })

    # -- documents and interpretations ----------------------------------
    def documents(self) -> pd.DataFrame:
        rng = self.rng
        counts = _unit_counts(rng, self.size, MEAN_ROWS["documents"], 4)
        u = np.repeat(np.arange(self.n), counts)
        m = len(u)
        care = self.care[u]
        seq = _within(counts)
        written = YEAR0 + rng.integers(-20, (AS_OF - YEAR0).astype(int) - 25, m).astype("timedelta64[D]")
        slow = rng.random(m) < 0.002 + 0.1 * care ** 2
        pub_wd = np.where(slow, rng.integers(21, 45, m), rng.integers(1, 16, m))
        published = self.wd(written, pub_wd)
        no_written = rng.random(m) < 0.001 + 0.05 * care ** 2
        no_pub = rng.random(m) < 0.001 + 0.03 * care ** 2
        normative = rng.random(m) < 0.3
        needs = normative | (rng.random(m) < 0.08)
        topics = np.array([f.format(t=t) for f in TITLE_FORMS for t in TOPICS], dtype=object)
        title = pd.Series(topics[rng.integers(0, len(topics), m)])
        abbr = np.array(["政", "政办", "发改", "财", "人社"], dtype=object)[rng.integers(0, 5, m)]
        doc_no = "皖" + pd.Series(abbr) + "〔2026〕" + pd.Series((seq + 1).astype(str)) + "号"
        no_no = rng.random(m) < 0.002 + 0.1 * care ** 2
        validity = np.array(["有效", "失效", "废止", "已修改"], dtype=object)[
            rng.choice(4, m, p=[0.9, 0.04, 0.03, 0.03])]
        no_valid = rng.random(m) < 0.002 + 0.1 * care ** 2
        down = rng.random(m) > 0.002 + 0.1 * care ** 2
        doc_id = pd.Series(self.uid[u]) + "-WJ" + pd.Series((seq + 1).astype(str)).str.zfill(5)
        df = pd.DataFrame({
            "unit_id": self.uid[u],
            "doc_id": doc_id,
            "title": title,
            "doc_number": np.where(no_no & normative | (~normative & (rng.random(m) < 0.4)), "", doc_no).astype(object),
            "written_on": _dates(np.where(no_written, np.datetime64("NaT"), written)),
            "published_on": _dates(np.where(no_pub, np.datetime64("NaT"), published)),
            "effective_on": _dates(np.where(normative, published + np.timedelta64(30, "D"), np.datetime64("NaT"))),
            "validity": np.where(no_valid, "", validity).astype(object),
            "normative": _bools(normative),
            "needs_interpretation": _bools(needs),
            "downloadable": _bools(down),
        })
        self._docs = (u, doc_id.to_numpy(dtype=object), published, needs, title.to_numpy(dtype=object))
        return df

    def interpretations(self, text_dir: Path | None) -> pd.DataFrame:
        rng = self.rng
        u_doc, doc_id, published, needs, title = self._docs
        care_doc = self.care[u_doc]
        pick = needs & (rng.random(len(needs)) > 0.005 + 0.2 * care_doc ** 2)
        u = u_doc[pick]
        m = len(u)
        care = self.care[u]
        counts = np.bincount(u, minlength=self.n)
        seq = _within(counts)
        late = rng.random(m) < 0.003 + 0.1 * care ** 2
        pub = self.wd(published[pick], np.where(late, rng.integers(4, 15, m), rng.integers(0, 4, m)))
        text = self._texts(title[pick], care)
        blank = rng.random(m) < 0.001 + 0.02 * care ** 2
        text[blank] = ""
        interp_id = pd.Series(self.uid[u]) + "-JD" + pd.Series((seq + 1).astype(str)).str.zfill(5)
        text_file = np.full(m, "", dtype=object)
        if text_dir is not None:
            # a small share keeps its text in a file beside the evidence
            in_file = ~blank & (rng.random(m) < 0.004)
            text_dir.mkdir(parents=True, exist_ok=True)
            for i in np.flatnonzero(in_file):  # a few hundred files, not a per-row pass
                name = f"{interp_id.iat[i]}.txt"
                (text_dir / name).write_text(text[i], encoding="utf-8")
                text_file[i] = f"{text_dir.name}/{name}"
            text[in_file] = ""
        return pd.DataFrame({
            "unit_id": self.uid[u],
            "interp_id": interp_id,
            "doc_id": doc_id[pick],
            "published_on": _dates(np.where(rng.random(m) < 0.01, np.datetime64("NaT"), pub)),
            "forms": FORMS[rng.choice(len(FORMS), m, p=FORMS_P)],
            "text": text,
            "text_file": text_file,
            "linked": _bools(rng.random(m) > 0.003 + 0.1 * care ** 2),
        })

    def _texts(self, titles: np.ndarray, care: np.ndarray) -> np.ndarray:
        rng = self.rng
        m = len(titles)
        filler = np.array(FILLER, dtype=object)
        text = "《" + pd.Series(titles) + "》政策解读。"
        # heading style for about 60% of interpretations, prose for the rest
        headed = rng.random(m) < 0.6
        k = 0
        for e, spellings in enumerate(ELEMENTS):
            present = rng.random(m) > 0.002 + 0.1 * care ** 2
            sp = np.array(spellings, dtype=object)[rng.integers(0, len(spellings), m)]
            body = filler[rng.integers(0, len(filler), m)]
            heading = np.where(headed, NUMERALS[k % 6] + "、" + sp + "\n", "关于" + sp + "，")
            seg = pd.Series(np.where(present, heading + body + "\n", body))
            text = text + seg
            k += 1
        return text.to_numpy(dtype=object)

    # -- catalog -------------------------------------------------------
    def catalog(self) -> pd.DataFrame:
        rng = self.rng
        parts = []
        for k, kind in enumerate(KINDS):
            us = np.flatnonzero(self.kind_i == k)
            if not len(us):
                continue
            req = REQUIRED_COLUMNS[kind]
            for name, syn in req:
                spell = np.array((name, *syn), dtype=object)
                keep = rng.random(len(us)) > 0.01 + 0.35 * self.care[us] ** 2
                sp = spell[np.where(rng.random(len(us)) < 0.3, rng.integers(0, len(spell), len(us)), 0)]
                parts.append(pd.DataFrame({"u": us[keep], "column": "主动公开目录/" + pd.Series(sp[keep]),
                                           "kind": "required"}))
            for group, names in (("dynamic", DYNAMIC_COLUMNS), ("notice", NOTICE_COLUMNS)):
                sp = np.array(names, dtype=object)[rng.integers(0, len(names), len(us))]
                parts.append(pd.DataFrame({"u": us, "column": "主动公开目录/" + pd.Series(sp), "kind": group}))
        extra_n = rng.poisson(45 * self.size)
        ue = np.repeat(np.arange(self.n), extra_n)
        area = np.array(AREAS, dtype=object)[rng.integers(0, len(AREAS), len(ue))]
        sub = np.array(AREA_SUBS, dtype=object)[rng.integers(0, len(AREA_SUBS), len(ue))]
        parts.append(pd.DataFrame({"u": ue, "column": "重点领域/" + pd.Series(area) + "/" + pd.Series(sub),
                                   "kind": "extra"}))
        df = pd.concat(parts, ignore_index=True).sort_values("u", kind="stable").reset_index(drop=True)
        u = df["u"].to_numpy()
        m = len(df)
        care = self.care[u]
        items = rng.poisson(60, m)
        items[rng.random(m) < 0.001 + 0.05 * care ** 2] = 0
        # dynamic columns (also a 重点领域 column's 工作动态) are updated weekly,
        # the others monthly; a careless unit lets them idle
        dyn = ((df["kind"] == "dynamic") | df["column"].str.endswith("动态")).to_numpy()
        idle = np.where(dyn, rng.exponential(2 + 15 * care ** 2, m), rng.exponential(15 + 150 * care ** 2, m))
        updated = AS_OF - np.ceil(idle).astype("timedelta64[D]")
        return pd.DataFrame({
            "unit_id": self.uid[u],
            "column": df["column"],
            "items": items.astype(str),
            "last_updated": _dates(np.where(items == 0, np.datetime64("NaT"), updated)),
            "url": self.host[u] + "/col/" + pd.Series(np.arange(m) % 997).astype(str).to_numpy(dtype=object) + "/",
        })

    # -- annual reports ------------------------------------------------
    def annual_reports(self) -> pd.DataFrame:
        rng = self.rng
        n = self.n
        deadline = np.where(self.kind_i == 0, np.datetime64("2026-03-31", "D"), np.datetime64("2026-01-31", "D"))
        late = rng.random(n) < 0.03 + 0.3 * self.care ** 2
        pub = deadline - rng.integers(0, 25, n).astype("timedelta64[D]") + np.where(
            late, rng.integers(5, 60, n), 0).astype("timedelta64[D]")
        has = rng.random(n) > 0.02
        prev = pub - np.timedelta64(365, "D")
        u = np.r_[np.flatnonzero(has), np.arange(n)]
        year = np.r_[np.full(has.sum(), "2025"), np.full(n, "2024")]
        d = np.r_[pub[has], prev]
        order = np.argsort(u, kind="stable")
        return pd.DataFrame({
            "unit_id": self.uid[u][order],
            "year": year[order].astype(object),
            "published_on": _dates(d[order]),
            "url": (self.host[u] + "/ndbg/" + year.astype(object) + ".html")[order],
        })

    def annual_report_cells(self) -> pd.DataFrame:
        rng = self.rng
        n = self.n
        rows = [r for r in TABLE3_ROWS if r != "本年度办理结果/其他处理"]
        leaves = [r for r in rows if r.startswith("本年度办理结果/") and r != "本年度办理结果/总计"]
        org = len(TABLE3_COLS) - 1  # 自然人 + five organisation columns
        p_leaf = np.r_[0.5, 0.15, np.full(8, 0.01), np.full(3, 0.06), np.full(5, 0.02), np.full(3, 0.02)]
        p_leaf = p_leaf / p_leaf.sum()
        lam = np.array([30, 6, 1, 1, 2, 1.5]) * self.size[:, None] / 1.2
        carry_2023 = rng.poisson(lam * 0.05)
        years = {}
        carry_in = carry_2023
        for year in (2024, 2025):
            new = rng.poisson(lam)
            avail = new + carry_in
            carry_out = rng.binomial(avail, 0.05)
            done = avail - carry_out
            leaf = rng.multinomial(done.reshape(-1), p_leaf).reshape(n, org, len(leaves))
            years[year] = (new, carry_in, leaf, done, carry_out)
            carry_in = carry_out
        frames = []
        for year, (new, carry_in, leaf, done, carry_out) in years.items():
            # values[unit, row, col] for the six applicant columns, then 总计
            vals = np.concatenate([new[:, None, :], carry_in[:, None, :], leaf.transpose(0, 2, 1),
                                   done[:, None, :], carry_out[:, None, :]], axis=1).astype(float)
            vals = np.concatenate([vals, vals.sum(axis=2, keepdims=True)], axis=2)
            # faults: a careless unit miscounts one cell; a few leave 总计 blank
            wrong = rng.random(n) < 0.02 + 0.3 * self.care ** 2
            wi = np.flatnonzero(wrong)
            vals[wi, rng.integers(0, len(rows), len(wi)), rng.integers(0, org, len(wi))] += rng.integers(1, 4, len(wi))
            blank = rng.random(n) < 0.03
            vals[np.flatnonzero(blank), :, -1] = np.nan
            frames.append(self._cells(vals, year, "3", rows, TABLE3_COLS))
        t4 = rng.poisson(0.4, (n, len(TABLE4_ROWS), len(TABLE4_COLS) - 1)).astype(float)
        t4 = np.concatenate([t4, t4.sum(axis=2, keepdims=True)], axis=2)
        frames.append(self._cells(t4, 2025, "4", TABLE4_ROWS, TABLE4_COLS))
        df = pd.concat(frames, ignore_index=True)
        return df.sort_values("unit_id", kind="stable").reset_index(drop=True)

    def _cells(self, vals: np.ndarray, year: int, table: str, rows, cols) -> pd.DataFrame:
        n, r, c = vals.shape
        flat = vals.reshape(-1)
        text = np.where(np.isnan(flat), "", np.nan_to_num(flat).astype(np.int64).astype(str)).astype(object)
        return pd.DataFrame({
            "unit_id": np.repeat(self.uid, r * c),
            "year": str(year),
            "table": table,
            "row": np.tile(np.repeat(np.array(rows, dtype=object), c), n),
            "col": np.tile(np.array(cols, dtype=object), n * r),
            "value": text,
        })

    # -- site checks and bonus -------------------------------------------
    def site_checks(self) -> pd.DataFrame:
        rng = self.rng
        n = self.n
        links = rng.poisson(40 * self.size)
        cols = rng.poisson(8, n)
        per = 1 + links + cols
        u = np.repeat(np.arange(n), per)
        m = len(u)
        pos = _within(per)
        kind = np.where(pos == 0, "home", np.where(pos <= links[u], "link", "column")).astype(object)
        care = self.care[u]
        home_down = (pos == 0) & self.veto[u] & (rng.random(m) < 0.3)
        link_bad = (kind == "link") & (rng.random(m) < 0.001 + 0.05 * care ** 2)
        status = np.where(home_down, "timeout", np.where(link_bad, np.where(rng.random(m) < 0.8, "404", "dns"), "200"))
        url = np.where(pos == 0, self.host[u] + "/zwgk/",
                       self.host[u] + "/p/" + pd.Series(pos).astype(str).to_numpy(dtype=object) + ".html")
        col_upd = AS_OF - np.ceil(rng.exponential(10 + 60 * care, m)).astype("timedelta64[D]")
        return pd.DataFrame({
            "unit_id": self.uid[u],
            "url": url,
            "kind": kind,
            "status": status.astype(object),
            "checked_on": "2026-11-18",
            "last_updated": _dates(np.where(kind == "column", col_upd, np.datetime64("NaT"))),
            "found_on": np.where(pos == 0, "", self.host[u] + "/zwgk/").astype(object),
        })

    def bonus(self) -> pd.DataFrame:
        rng = self.rng
        k = np.where(rng.random(self.n) < 0.15, rng.integers(1, 3, self.n), 0)
        u = np.repeat(np.arange(self.n), k)
        items = np.array(["政务公开工作经验被省级推广", "政府开放日活动获评优秀案例", "政策解读作品获奖"], dtype=object)
        return pd.DataFrame({
            "unit_id": self.uid[u],
            "item": items[rng.integers(0, len(items), len(u))],
            "points": rng.choice(["1", "2", "3", "0.5"], len(u)),
            "basis": "省政务公开办通报",
        })


TABLE_ORDER = ("units", "requests", "messages", "documents", "interpretations", "catalog",
               "annual_reports", "annual_report_cells", "site_checks", "bonus")


def make_batch(out: str | Path, units: int, seed: int = 1, text_files: bool = True,
               echo=None) -> dict[str, int]:
    """Write the batch into ``out`` (created); returns rows per table."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    g = Generator(units, seed)
    rows: dict[str, int] = {}
    for name in TABLE_ORDER:
        t0 = time.perf_counter()
        if name == "interpretations":
            df = g.interpretations(out / "texts" if text_files else None)
        else:
            df = getattr(g, name)()
        df.to_csv(out / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
        rows[name] = len(df)
        if echo:
            echo(f"{name}.csv: {len(df):,} 行（{time.perf_counter() - t0:.1f} 秒）")
    return rows


@click.command()
@click.argument("out", type=click.Path(file_okay=False))
@click.option("--units", "n_units", type=click.IntRange(1), default=300, show_default=True,
              help="单位数（300 / 3000 / 30000，或任意正整数）")
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子：同一种子生成相同文件")
@click.option("--no-text-files", is_flag=True, help="不生成解读正文文件（texts/）")
def main(out: str, n_units: int, seed: int, no_text_files: bool) -> None:
    """生成一个合成的全省测评底稿（每表一个 CSV 文件）。"""
    t0 = time.perf_counter()
    rows = make_batch(out, n_units, seed, not no_text_files, echo=click.echo)
    evidence = sum(v for k, v in rows.items() if k != "units")
    click.echo(f"共 {n_units} 个单位，{evidence:,} 行底稿，用时 {time.perf_counter() - t0:.1f} 秒：{out}")


if __name__ == "__main__":
    main()
