"""The schema of ``relations.toml``: the relation catalogue, the narrative rules, data-quality settings.

Each relation type has its own fields; ``checks.relations`` holds one runner per type.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from .selectors import Selector, Where

Kind = Literal["within_table", "hierarchy", "cross_table"]


class AppliesWhen(BaseModel):
    """A relation that holds only under a condition the document may or may not meet: two figures
    that must be equal (all spending is 一般公共预算 spending, say). Otherwise it is not evaluated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    equal: tuple[Selector, Selector] | None = None  # two figures that must be equal
    printed: Selector | None = None  # rows the document must print (a column some tables have)
    because: str  # the condition in words ("全部支出均为一般公共预算财政拨款支出")
    because_en: str = ""  # the same in English


class _Relation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: Kind
    description: str  # what holds, in the words a reader of the document uses (Chinese)
    description_en: str = ""  # the same in English (names quoted from the document may stay Chinese)
    unit: str = "万元"
    applies_when: AppliesWhen | None = None


class EqualRelation(_Relation):
    """The same figure stated in several places."""

    type: Literal["equal"]
    figures: tuple[Selector, ...]


class SumRelation(_Relation):
    """A stated total against the sum of its printed parts."""

    type: Literal["sum"]
    total: Selector
    parts: tuple[Selector, ...]


class ColumnSumsRelation(_Relation):
    """Each amount column's 合计 row against the sum of the detail rows."""

    type: Literal["column_sums"]
    table: str
    frame: str = ""
    columns: tuple[str, ...] | None = None
    total_where: Where | None = None
    detail_where: Where | None = None


class RowSumsRelation(_Relation):
    """In every row, a total column against the sum of part columns."""

    type: Literal["row_sums"]
    table: str
    frame: str = ""
    total: str
    parts: tuple[str, ...]
    label: str | None = None
    where: Where | None = None  # only the rows these conditions keep (one side of a summary table)
    minus: tuple[str, ...] = ()  # columns subtracted from the parts (年末 = 年初 + 收入 − 支出)
    optional: tuple[str, ...] = ()  # parts some documents do not print at all (then nothing to add)


class GroupEqualRelation(_Relation):
    """Two tables (or sums of tables) grouped by the same key must agree key by key."""

    type: Literal["group_equal"]
    left: Selector | tuple[Selector, ...]
    right: Selector | tuple[Selector, ...]
    common_keys_only: bool = False


class ActivitiesRelation(_Relation):
    """The overall performance table's activities against the projects, grouped as the document
    groups them: each project activity states how many projects it covers (a 数量指标 in 项) and
    their cost (a 经济成本指标); the projects no activity covers belong to the operating activity
    (单位运转), whose cost is basic spending plus theirs. The document does not name them: they are
    the only set of that many projects whose amounts make up the difference, or the relation fails."""

    type: Literal["activities"]
    indicators: Selector  # the activity indicator rows (activity, level2, measure_unit, value, amount)
    cost: Where  # the rows that state an activity's cost (amount column)
    count: Where  # the rows that state how many projects an activity covers (value column)
    operation: str  # the activity that holds basic spending
    projects: Selector  # every project with its amount (name = the project's name column)
    basic: Selector


class ProjectMatchRelation(_Relation):
    """Each project's amount in two tables, paired by name."""

    type: Literal["project_match"]
    left: Selector
    right: Selector


Relation = Annotated[
    EqualRelation
    | SumRelation
    | ColumnSumsRelation
    | RowSumsRelation
    | GroupEqualRelation
    | ProjectMatchRelation
    | ActivitiesRelation,
    Field(discriminator="type"),
]


class NarrativeRule(BaseModel):
    """A narrative figure whose label matches ``label`` (a regex) restates ``figure``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    figure: Selector
    # the same words may name another measure ("基本支出" of all funds, or of the 一般公共预算 only,
    # when the sentence says "其中"): a figure that agrees with one of these agrees with the tables
    also: tuple[Selector, ...] = ()
    kind: Literal["amount", "count"] = "amount"
    section: str | None = None  # only figures under a heading this regex finds
    # a regex found in the figure's heading whose groups name the item too ("预算安排25.77万元" under
    # the heading "1.“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”…")
    section_label: str | None = None


class NarrativeDefinition(BaseModel):
    """A term the narrative defines in words and then gives a figure for ("运行经费指各部门的公用经费，
    包括办公及印刷费、…及其他费用。…运行经费预算1121703.54元"). Where the paragraph of the figure
    says ``defines``, the figure is checked against ``figure`` (what the definition equates it to).
    When it disagrees but equals ``narrower`` (the items the definition itself lists), the finding is
    a note that says so, not an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str  # regex on the figure's label ("运行经费")
    defines: str  # regex the figure's paragraph must contain ("运行经费指[^。]*公用经费")
    term: str  # what the definition equates it to, in the document's words ("公用经费")
    term_en: str
    figure: Selector
    narrower: Selector | None = None
    narrower_words: str = ""  # the narrower reading, in words ("说明所列举的各项…")
    narrower_words_en: str = ""


class NarrativeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    percent_of: Selector | None = None
    rule: tuple[NarrativeRule, ...] = ()
    definition: tuple[NarrativeDefinition, ...] = ()


class DataQualitySpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code_names: tuple[str, ...] = ()  # classifications whose code -> name mapping must be one-to-one


class RelationsSpec(BaseModel):
    """``relations.toml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    relation: tuple[Relation, ...] = ()
    narrative: NarrativeSpec = NarrativeSpec()
    data_quality: DataQualitySpec = DataQualitySpec()
