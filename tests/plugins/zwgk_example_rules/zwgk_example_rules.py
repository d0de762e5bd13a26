"""A local rule kind shipped as its own package: catalog columns named 「其他」.

Some provinces deduct for a catalog column called 其他/其它 (information filed
where nobody looks for it). The kind is registered like the built-in ones and a
rubric uses it with ``rule: catalog_misc_columns``.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.rules import RuleContext, RuleKind, RuleOutput, RuleParams, register
from scoring.rules.common import Points, make_findings


class CatalogMiscColumnsParams(RuleParams):
    #: deduction per column named like one of ``names``
    per_item: Points = Decimal(1)
    #: the last level of a column's name that counts as "miscellaneous"
    names: tuple[str, ...] = ("其他", "其它")


@register
class CatalogMiscColumns(RuleKind):
    """目录中设置「其他」栏目（本地规则）

    什么：目录栏目（catalog）中，最末一级名称为 `names` 之一（默认 其他、其它）的栏目，每个扣 `per_item` 分。
    为什么：信息归入「其他」栏目，公众按目录找不到。
    通过示例：栏目「政策文件/规范性文件」。
    不通过示例：栏目「政策文件/其他」→ 扣 1 分。
    """

    name = "catalog_misc_columns"
    params = CatalogMiscColumnsParams
    needs = ("catalog",)

    def run(self, ctx: RuleContext) -> RuleOutput:
        p: CatalogMiscColumnsParams = ctx.params
        catalog = ctx.table("catalog")
        last_level = catalog["column"].astype("string").str.split("/").str[-1].str.strip()
        misc = catalog[last_level.isin(p.names).fillna(False).astype(bool)]
        message = "目录中设置了「" + misc["column"].astype(str) + "」栏目，信息归类不清"
        return RuleOutput(findings=make_findings(misc, table="catalog", ref=misc["column"],
                                                 message=message.astype(object), deduction=p.per_item))
