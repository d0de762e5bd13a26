"""Reading a unit folder's ``unit.yaml``: every value is the text the user wrote.

``yaml.safe_load`` applies YAML 1.1's implicit types: ``unit_id: 0101``
becomes the octal 65, ``12:30`` the sexagesimal 750, ``yes`` True and
``1.10`` the float 1.1, so a unit's identity would change without a word.
Here no implicit type is resolved (every plain scalar is a string); an
explicit tag other than ``!!str`` (``!!int``, ``!!python/object`` ...) is an
error. An empty value (or ``~`` / ``null``) is blank.

YAML aliases are expanded by this reader, not by PyYAML's constructor, with a
budget: ``&a [x, x, ...]`` nested a few levels expands to millions of nodes
(and an error message quoting it ran to megabytes). A unit.yaml is a handful
of keys, so more than :data:`NODE_BUDGET` nodes is an error.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from scoring.evidence import charset

#: the most nodes a unit.yaml may expand to (aliases counted each time they are used)
NODE_BUDGET = 10_000
#: the largest unit.yaml read
MAX_BYTES = 1 << 20
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_BLANK = ("", "~", "null", "Null", "NULL")


class UnitYamlError(ValueError):
    """unit.yaml cannot be read; ``problems`` are ``(key or None, Chinese message)``."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__("；".join(m for _, m in problems))
        self.problems = problems


class _TextLoader(yaml.SafeLoader):
    """SafeLoader without implicit types: every plain scalar resolves to str."""


_TextLoader.yaml_implicit_resolvers = {}


def read_unit_yaml(path: Path) -> dict[str, object]:
    """The mapping in ``path``: keys and scalar values as written (stripped keys), blank -> None."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnitYamlError([(None, f"无法读取：{exc.strerror or exc}")]) from None
    if len(data) > MAX_BYTES:
        raise UnitYamlError([(None, f"文件有 {len(data):,} 字节，单位信息不应超过 {MAX_BYTES:,} 字节")])
    try:
        text = charset.decode_text(data)
    except charset.CharsetError as exc:
        raise UnitYamlError([(None, str(exc))]) from None
    try:
        root = yaml.compose(text, Loader=_TextLoader)
    except yaml.YAMLError as exc:
        raise UnitYamlError([(None, f"不是有效的 YAML：{charset.printable(str(exc), 300)}")]) from None
    if not isinstance(root, yaml.MappingNode) or root.tag != _MAP:
        raise UnitYamlError([(None, "应为单位信息的映射，例如 unit_id: QC-XQ-01、name: …、kind: 县区政府")])
    return _Walk().mapping(root)


class _Walk:
    """Turns composed nodes into Python values, counting every node visited."""

    def __init__(self) -> None:
        self.left = NODE_BUDGET

    def value(self, node: yaml.Node, key: str) -> object:
        self.left -= 1
        if self.left < 0:
            raise UnitYamlError([(None, f"展开后超过 {NODE_BUDGET:,} 个节点（别名 &/* 嵌套展开过多），"
                                        "单位信息应是几行「键: 值」")])
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, key)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            return [self.value(n, key) for n in node.value]
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            return self.mapping(node)
        raise UnitYamlError([(key, f"「{key}」用了不支持的 YAML 标签 {charset.printable(node.tag, 60)}；"
                                   "值请直接写成文本")])

    def scalar(self, node: yaml.ScalarNode, key: str) -> str | None:
        if node.tag != _STR:
            raise UnitYamlError([(key, f"「{key}」用了不支持的 YAML 标签 {charset.printable(node.tag, 60)}；"
                                       "值请直接写成文本（unit.yaml 的值一律按文本读取）")])
        if node.style is None and node.value.strip() in _BLANK:
            return None
        why = charset.forbidden_message(node.value)
        if why:
            raise UnitYamlError([(key, f"「{key}」{why}")])
        return node.value

    def mapping(self, node: yaml.MappingNode) -> dict[str, object]:
        out: dict[str, object] = {}
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode) or k.tag != _STR:
                raise UnitYamlError([(None, "键应为文本（如 unit_id、name、kind 或 单位编码、单位名称、单位类型）")])
            key = charset.printable(k.value.strip(), 80)
            if key in out:
                raise UnitYamlError([(key, f"键「{key}」出现了两次，只能写一次")])
            out[key] = self.value(v, key)
        return out
