"""Loading a rubric file: line numbers, ``extends``, per-kind parameter validation.

Every problem is reported with the file, the line and the key, all at once::

    provincial-2026.yaml 第57行 「per_itme」: 未知参数，可用参数: per_item, veto_at
"""

from __future__ import annotations

import hashlib
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from scoring.rubric.model import Indicator, Rubric
from scoring.safe_yaml import LDict, LList, clip, load_positioned, short

DEFAULT_RUBRIC = "provincial-2026"

# ---------------------------------------------------------------------------
# errors


@dataclass
class RubricIssue:
    file: str
    line: int | None
    key: str | None
    message: str

    def render(self) -> str:
        where = clip(self.file, 120)
        if self.line is not None:
            where += f" 第{self.line}行"
        if self.key:
            where += f" 「{clip(str(self.key), 60)}」"
        return f"{where}: {clip(self.message, 1000)}"


class RubricError(Exception):
    """Raised with every problem of a rubric file; exit code 2."""

    def __init__(self, issues: list[RubricIssue]):
        self.issues = issues
        super().__init__("\n".join(i.render() for i in issues))


# ---------------------------------------------------------------------------
# YAML with positions


def _read_yaml(path: Path, display: str, issues: list[RubricIssue]) -> LDict | None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        issues.append(RubricIssue(display, None, None, "找不到评分细则文件"))
        return None
    except UnicodeDecodeError:
        issues.append(RubricIssue(display, None, None, "评分细则文件应为 UTF-8 编码"))
        return None
    except OSError as exc:
        issues.append(RubricIssue(display, None, None, f"无法读取评分细则文件：{exc.strerror or exc}"))
        return None
    data, problems = load_positioned(text, display)
    issues.extend(RubricIssue(display, p.line, p.key, p.message) for p in problems)
    if data is None and problems:
        return None
    if not isinstance(data, LDict):
        issues.append(RubricIssue(display, 1, None, "评分细则应为一个映射（id、version、title、indicators……）"))
        return None
    return data


# ---------------------------------------------------------------------------
# finding rubrics


def is_file(p: Path) -> bool:
    """``p.is_file()``, False for a name the system cannot even look up (too long, NUL)."""
    try:
        return p.is_file()
    except (OSError, ValueError):
        return False


def shipped_dirs() -> list[Path]:
    """Where shipped rubrics live: the installed package first, then the checkout."""
    pkg = Path(__file__).resolve().parents[1]
    return [pkg / "_rubrics", pkg.parent / "rubrics"]


def shipped_ids() -> list[str]:
    ids: set[str] = set()
    for d in shipped_dirs():
        if d.is_dir():
            ids.update(p.stem for p in d.glob("*.yaml"))
    return sorted(ids)


def resolve(ref: str | Path, relative_to: Path | None = None) -> Path:
    """A rubric path or shipped id -> the file. Raises RubricError when neither."""
    ref_s = str(ref)
    candidates: list[Path] = []
    p = Path(ref_s)
    if relative_to is not None and not p.is_absolute():
        candidates.append(relative_to / p)
    candidates.append(p)
    for c in candidates:
        if is_file(c):
            return c
    looks_like_path = ref_s.endswith((".yaml", ".yml")) or "/" in ref_s or "\\" in ref_s
    if not looks_like_path:
        for d in shipped_dirs():
            f = d / f"{ref_s}.yaml"
            if is_file(f):
                return f
    shipped = "、".join(shipped_ids()) or "（无）"
    raise RubricError([RubricIssue(clip(ref_s, 120), None, None,
                                   f"找不到评分细则：既不是文件路径，也不是随包发布的细则 id（可用：{shipped}）")])


# ---------------------------------------------------------------------------
# extends


def _merge(base: Any, child: Any) -> Any:
    if isinstance(base, LDict) and isinstance(child, LDict):
        out = LDict(base)
        out.pos = dict(base.pos)
        out.file, out.line = child.file, child.line
        for k, v in child.items():
            if k in ("indicators", "children") and isinstance(base.get(k), LList) and isinstance(v, LList):
                out[k] = _merge_by_id(base[k], v)
            elif k in base and isinstance(base[k], LDict) and isinstance(v, LDict):
                out[k] = _merge(base[k], v)
            else:
                out[k] = v
            out.pos[k] = child.pos[k]
        return out
    return child


def _merge_by_id(base: LList, child: LList) -> LList:
    out = LList()
    out.file, out.line = child.file, child.line
    index: dict[Any, int] = {}
    for item, pos in zip(base, base.pos):
        if isinstance(item, LDict) and isinstance(item.get("id"), (str, int)):
            index[item["id"]] = len(out)
        out.append(item)
        out.pos.append(pos)
    drop: set[int] = set()
    for item, pos in zip(child, child.pos):
        iid = item.get("id") if isinstance(item, LDict) else None
        if isinstance(iid, (str, int)) and iid in index:
            i = index[iid]
            if item.get("remove") is True:
                drop.add(i)
                continue
            merged = _merge(out[i], item)
            merged.pop("remove", None)
            out[i] = merged
            out.pos[i] = pos
        else:
            out.append(item)
            out.pos.append(pos)
    if drop:
        kept = LList(x for i, x in enumerate(out) if i not in drop)
        kept.pos = [p for i, p in enumerate(out.pos) if i not in drop]
        kept.file, kept.line = out.file, out.line
        out = kept
    return out


# ---------------------------------------------------------------------------
# error locations and wording


def _locate(raw: Any, loc: tuple) -> tuple[str | None, int | None, str | None]:
    """Walk a pydantic error location through the raw YAML: (file, line, key)."""
    file, line, key = getattr(raw, "file", None), getattr(raw, "line", None), None
    cur = raw
    for part in loc:
        if isinstance(cur, LDict) and part in cur:
            file, line = cur.pos[part]
            key = str(part)
            cur = cur[part]
        elif isinstance(cur, LDict) and isinstance(part, str) and part in {"pass_text": 0, "fail_text": 0}:
            alias = part.removesuffix("_text")
            if alias in cur:
                file, line = cur.pos[alias]
                key = alias
                cur = cur[alias]
        elif isinstance(cur, LList) and isinstance(part, int) and 0 <= part < len(cur):
            file, line = cur.pos[part]
            cur = cur[part]
            if isinstance(cur, LDict) and "id" in cur:
                key = f"id: {short(cur['id']) if not isinstance(cur['id'], str) else clip(cur['id'], 60)}"
        # other parts (union tags, validator names) do not move
    return file, line, key


def _unwrap(tp: Any) -> Any:
    """The model class inside list[...] / tuple[..., ...] / X | None / dict[str, X]."""
    while True:
        origin = typing.get_origin(tp)
        if origin is None:
            return tp
        args = [a for a in typing.get_args(tp) if a is not type(None) and a is not Ellipsis]
        if not args:
            return tp
        tp = args[-1]


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    cur: Any = model
    for part in loc:
        if isinstance(cur, type) and issubclass(cur, BaseModel) and isinstance(part, str):
            fld = cur.model_fields.get(part) or next(
                (f for f in cur.model_fields.values() if f.alias == part), None)
            if fld is None:
                return None
            cur = _unwrap(fld.annotation)
    return cur if isinstance(cur, type) and issubclass(cur, BaseModel) else None


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


_TYPE_WORDS = {
    "int": "整数", "decimal": "数值", "float": "数值", "bool": "是否值（true/false）", "string": "文本",
    "str": "文本", "list": "列表", "tuple": "列表", "dict": "映射", "date": "日期（如 2026-01-01）",
    "model": "映射", "model_attributes": "映射", "literal": "所列取值之一",
}


def _message(err: dict, model: type[BaseModel] | None, params: bool) -> str:
    t = err["type"]
    ctx = err.get("ctx") or {}
    if t == "extra_forbidden":
        what = "参数" if params else "键"
        keys = ", ".join(_keys_of(model)) if model is not None else ""
        return f"未知{what}，可用{what}: {keys}" if keys else f"未知{what}"
    if t == "missing":
        return "缺少必填项"
    if t in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[t]
        bound = next(iter(ctx.values()), "")
        return f"取值应{op} {bound}（值：{short(err.get('input'))}）"
    if t == "literal_error":
        return f"取值应为 {ctx.get('expected', '')} 之一（值：{short(err.get('input'))}）"
    if t == "string_pattern_mismatch":
        return f"格式不对，应由字母、数字、. _ - 组成（值：{short(err.get('input'))}）"
    if t in ("too_short", "string_too_short"):
        return "不能为空"
    if t == "finite_number":
        return f"应为有限的数值（值：{short(err.get('input'))}）"
    if t in ("decimal_max_places", "decimal_max_digits", "decimal_whole_digits"):
        return f"小数位数过多，至多 {ctx.get('decimal_places', 6)} 位（值：{short(err.get('input'))}）"
    if t in ("value_error", "assertion_error"):
        msg = err["msg"]
        return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    for prefix, word in _TYPE_WORDS.items():
        if t.startswith(prefix + "_") or t == prefix + "_type":
            return f"应为{word}（值：{short(err.get('input'))}）"
    return f"取值无效：{err['msg']}（值：{short(err.get('input'))}）"


def _issues_from(exc: ValidationError, raw: Any, model: type[BaseModel], params: bool,
                 prefix_key: str | None = None,
                 where: tuple[str | None, int | None] = (None, None)) -> list[RubricIssue]:
    """One issue per validation error, at the key's file and line (else at ``where``)."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        file, line, key = _locate(raw, loc)
        if not file:   # a key that is not in the file at all (e.g. params left out): the node's place
            file, line = where
        at_model = _model_at(model, loc[:-1]) if err["type"] == "extra_forbidden" else None
        if err["type"] == "extra_forbidden" and at_model is None:
            at_model = model if len([p for p in loc if isinstance(p, str)]) <= 1 else None
        if err["type"] == "missing" and loc:
            key = str(loc[-1])
        elif key is None:
            key = prefix_key
        out.append(RubricIssue(file or "?", line, key, _message(err, at_model, params)))
    return out


# ---------------------------------------------------------------------------
# the registry


def _plugin_problems() -> str:
    from scoring.rules.plugins import PLUGIN_PROBLEMS

    return "".join(f"；{p}" for p in PLUGIN_PROBLEMS)


def load_registry() -> dict:
    """The rule kinds (importing scoring.rules registers every shipped kind)."""
    import scoring.rules  # noqa: F401
    from scoring.rules.base import REGISTRY

    return REGISTRY


# ---------------------------------------------------------------------------
# the loaded rubric


@dataclass
class LoadedRubric:
    model: Rubric
    path: Path
    sha256: str
    #: files extended, nearest first: (path, sha256)
    extends: list[tuple[Path, str]] = field(default_factory=list)
    #: leaf id -> validated params model of its rule kind
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.model.id

    def calendar_path(self) -> Path | None:
        if not self.model.calendar:
            return None
        p = Path(self.model.calendar)
        return p if p.is_absolute() else self.path.parent / p


def _read_chain(path: Path, issues: list[RubricIssue]) -> tuple[LDict | None, list[tuple[Path, str]]]:
    """Read a file and its extends chain; returns the merged raw tree and the files (first = path)."""
    chain: list[tuple[Path, str, LDict]] = []
    seen: set[Path] = set()
    cur: Path | None = path
    while cur is not None:
        real = cur.resolve()
        display = cur.name
        if real in seen:
            issues.append(RubricIssue(display, None, "extends", "extends 形成循环"))
            return None, []
        seen.add(real)
        raw = _read_yaml(cur, display, issues)
        if raw is None:
            return None, []
        chain.append((cur, hashlib.sha256(cur.read_bytes()).hexdigest(), raw))
        ext = raw.get("extends")
        if ext is None:
            cur = None
        elif not isinstance(ext, str) or not ext.strip():
            issues.append(RubricIssue(display, raw.pos["extends"][1], "extends",
                                      "extends 应为一个细则 id 或文件路径（至多一个）"))
            return None, []
        else:
            try:
                cur = resolve(ext, relative_to=cur.parent)
            except RubricError as exc:
                issues.append(RubricIssue(display, raw.pos["extends"][1], "extends", exc.issues[0].message))
                return None, []
    merged = chain[-1][2]
    for _, _, raw in reversed(chain[:-1]):
        merged = _merge(merged, raw)
    if len(chain) > 1:
        merged["extends"] = chain[0][2]["extends"]
    return merged, [(p, s) for p, s, _ in chain]


def _raw_leaves(raw: Any):
    """(raw node) of every indicator, in tree order (parallel to Rubric.walk())."""
    tops = raw.get("indicators") if isinstance(raw, LDict) else None
    for item in tops if isinstance(tops, list) else []:
        yield from _raw_walk(item)


def _raw_walk(node: Any):
    yield node
    children = node.get("children") if isinstance(node, LDict) else None
    for c in children if isinstance(children, list) else []:
        yield from _raw_walk(c)


def load_rubric(ref: str | Path = DEFAULT_RUBRIC) -> LoadedRubric:
    """Load and validate a rubric (path or shipped id). Raises RubricError with every problem."""
    path = resolve(ref)
    issues: list[RubricIssue] = []
    raw, files = _read_chain(path, issues)
    if raw is None:
        raise RubricError(issues)
    display = path.name
    try:
        model = Rubric.model_validate(raw)
    except ValidationError as exc:
        issues.extend(_issues_from(exc, raw, Rubric, params=False))
        model = None
    registry = load_registry()
    params: dict[str, Any] = {}
    # per-leaf rule kinds and parameters (checked on the raw tree, so they are
    # reported even when another part of the file has errors)
    for node in _raw_leaves(raw):
        if not isinstance(node, LDict) or node.get("children"):
            continue
        kind = node.get("rule")
        if not isinstance(kind, str):
            continue
        file, line = node.pos.get("rule", (display, node.line))
        if kind not in registry:
            avail = ", ".join(sorted(registry))
            issues.append(RubricIssue(file, line, "rule", f"未知规则类型「{kind}」，可用类型: {avail}"
                                      + _plugin_problems()))
            continue
        pmodel = registry[kind].params
        p_raw = node.get("params", LDict())
        if p_raw is None:
            p_raw = LDict()
        if not isinstance(p_raw, dict):
            f2, l2 = node.pos.get("params", (file, line))
            issues.append(RubricIssue(f2, l2, "params", "params 应为映射（参数名: 值）"))
            continue
        try:
            params[str(node.get("id"))] = pmodel.model_validate(dict(p_raw))
        except ValidationError as exc:
            issues.extend(_issues_from(exc, p_raw, pmodel, params=True, prefix_key="params",
                                       where=node.pos.get("params", (file, line))))
    if model is not None and model.calendar:
        cal = Path(model.calendar)
        cal = cal if cal.is_absolute() else path.parent / cal
        if not is_file(cal):
            f, line = raw.pos.get("calendar", (display, None))
            issues.append(RubricIssue(f, line, "calendar", f"找不到日历文件 {clip(str(cal), 200)}"))
    if issues or model is None:
        raise RubricError(_dedupe(issues))
    return LoadedRubric(model=model, path=path, sha256=files[0][1], extends=files[1:], params=params)


def _dedupe(issues: list[RubricIssue]) -> list[RubricIssue]:
    seen: set[tuple] = set()
    out = []
    for i in issues:
        k = (i.file, i.line, i.key, i.message)
        if k not in seen:
            seen.add(k)
            out.append(i)
    return out


def leaf_params(rubric: LoadedRubric, leaf: Indicator) -> Any:
    return rubric.params[leaf.id]


__all__ = ["DEFAULT_RUBRIC", "LoadedRubric", "RubricError", "RubricIssue", "load_rubric", "resolve",
           "shipped_ids", "Decimal"]
