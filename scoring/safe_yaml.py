"""Reading a user's YAML file (rubric, calendar) safely: positions kept, size bounded, echo bounded.

``load_positioned(text)`` parses with PyYAML's SafeLoader into :class:`LDict` /
:class:`LList`, which remember the line of every key and item, and returns the
problems it found as :class:`YamlIssue` (line, key, message), never raising for
bad input:

- nesting deeper than :data:`MAX_DEPTH` is refused before it is parsed (PyYAML's
  composer would run out of Python stack);
- aliases (``*a``) are refused when the document they expand to has more than
  :data:`MAX_NODES` nodes (a "billion laughs" file) or when an alias refers to
  itself;
- a mapping or list used as a key, a date that does not exist (2026-02-30) and
  a number too long to convert are problems at their line, not exceptions.

:func:`short` bounds what a message may echo of a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

#: the deepest nesting of mappings and lists accepted (a rubric needs about 8)
MAX_DEPTH = 40
#: the most nodes a document may have once its aliases are expanded
MAX_NODES = 100_000
#: the most characters of a value echoed in a message
ECHO_MAX = 60


@dataclass
class YamlIssue:
    line: int | None
    key: str | None
    message: str


def clip(text: str, limit: int = 200) -> str:
    """Plain text cut to ``limit`` characters, saying how long it was."""
    return text if len(text) <= limit else text[:limit] + f"…（共 {len(text)} 个字符）"


def short(value: Any, limit: int = ECHO_MAX) -> str:
    """``repr(value)`` of at most about ``limit`` characters (an error message never echoes a huge value)."""
    if isinstance(value, str):
        return repr(value) if len(value) <= limit else repr(value[:limit]) + f"…（共 {len(value)} 个字符）"
    if isinstance(value, (dict, list, tuple, set)):
        return f"<{'映射' if isinstance(value, dict) else '列表'}，{len(value)} 项>"
    try:
        return clip(repr(value), limit)
    except (RecursionError, ValueError):
        return f"<{type(value).__name__}>"


class LDict(dict):
    """A mapping that remembers where each key was written."""

    file: str = ""
    line: int | None = None

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.pos: dict[Any, tuple[str, int]] = {}


class LList(list):
    file: str = ""
    line: int | None = None

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.pos: list[tuple[str, int]] = []


_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
         yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _too_deep(text: str) -> int | None:
    """The line where nesting first exceeds MAX_DEPTH (scanning tokens: no recursion), else None."""
    depth = 0
    for tok in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(tok, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                return tok.start_mark.line + 1
        elif isinstance(tok, _CLOSE):
            depth -= 1
    return None


def _expanded_size(root: yaml.Node) -> int | None:
    """Nodes of the document with every alias expanded (stops counting past MAX_NODES); None: a cycle."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            total = 1 + sum(size[id(c)] for c in _children(node))
            size[key] = min(total, MAX_NODES + 1)
            continue
        if key in size:
            continue
        if key in on_path:
            return None
        on_path.add(key)
        stack.append((node, True))
        for c in _children(node):
            if id(c) in on_path:
                return None
            if id(c) not in size:
                stack.append((c, False))
    return size[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _loader_class(display: str, issues: list[YamlIssue]):
    class Loader(yaml.SafeLoader):
        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep=deep)
            except yaml.MarkedYAMLError:
                raise
            except (ValueError, OverflowError, TypeError) as exc:   # 2026-02-30; an int of 10^5 digits
                line = node.start_mark.line + 1
                what = "日期不存在" if node.tag.endswith(":timestamp") else "无法读取该值"
                issues.append(YamlIssue(line, None, f"{what}（{short(node.value)}；{clip(str(exc), 80)}）"))
                self.recursive_objects.pop(node, None)
                self.constructed_objects[node] = None
                return None

    def mapping(loader, node: yaml.MappingNode) -> LDict:
        loader.flatten_mapping(node)
        d = LDict()
        d.file, d.line = display, node.start_mark.line + 1
        for k_node, v_node in node.value:
            key = loader.construct_object(k_node, deep=True)
            line = k_node.start_mark.line + 1
            try:
                hash(key)
            except TypeError:
                issues.append(YamlIssue(line, None, "键应为文字或数字，不能是映射或列表"))
                continue
            if key in d:
                issues.append(YamlIssue(line, clip(str(key), 60), f"键重复（第{d.pos[key][1]}行已有同名键）"))
            d[key] = loader.construct_object(v_node, deep=True)
            d.pos[key] = (display, line)
        return d

    def sequence(loader, node: yaml.SequenceNode) -> LList:
        out = LList()
        out.file, out.line = display, node.start_mark.line + 1
        for item in node.value:
            out.append(loader.construct_object(item, deep=True))
            out.pos.append((display, item.start_mark.line + 1))
        return out

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    return Loader


def load_positioned(text: str, display: str) -> tuple[Any, list[YamlIssue]]:
    """(data, problems). ``data`` is None when the text could not be read at all (problems say why)."""
    issues: list[YamlIssue] = []
    try:
        deep = _too_deep(text)
        if deep is not None:
            return None, [YamlIssue(deep, None, f"嵌套超过 {MAX_DEPTH} 层，拒绝读取")]
        loader = _loader_class(display, issues)(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, issues
            size = _expanded_size(node)
            if size is None:
                return None, [YamlIssue(None, None, "别名（*引用）指向包含它自身的内容，形成循环，拒绝读取")]
            if size > MAX_NODES:
                return None, [YamlIssue(None, None, f"别名（&锚点 / *引用）展开后超过 {MAX_NODES} 个值，拒绝读取")]
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return None, issues + [YamlIssue(line, None, f"YAML 格式错误：{clip(str(exc.problem or exc.context))}")]
    except yaml.YAMLError as exc:
        return None, issues + [YamlIssue(None, None, f"YAML 格式错误：{clip(str(exc))}")]
    return data, issues
