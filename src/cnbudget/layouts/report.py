"""The schema of ``report.toml``: what the report shows for a layout. A section left out is not shown."""

from pydantic import BaseModel, ConfigDict

from .selectors import Selector, Where


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SplitItem(_Section):
    text: str  # a key of the report's wording (basic, project, personnel, …)
    figure: Selector


class SummarySpec(_Section):
    total: Selector | None = None
    income: Selector | None = None
    classes: Selector | None = None
    split: tuple[SplitItem, ...] = ()


class FunctionalSpec(_Section):
    table: str
    amount: str
    where: Where | None = None
    class_names: Selector | None = None


class EconomicSpec(_Section):
    table: str
    amount: str
    where: Where | None = None
    columns: tuple[str, ...] | None = None


class ProjectsSpec(_Section):
    table: str
    amount: str
    frame: str = ""  # the table's frame that lists the projects ("projects" of a performance table)
    name: str = "project"  # the column naming each project
    performance: str | None = None


class ProcurementSpec(_Section):
    table: str
    label: str
    amount: str
    where: Where | None = None
    where_any: tuple[Where, ...] | None = None


class ThreePublicSpec(_Section):
    table: str


class Paragraphs(_Section):
    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()


class ReportSpec(_Section):
    """``report.toml``."""

    summary: SummarySpec = SummarySpec()
    functional: FunctionalSpec | None = None
    economic: EconomicSpec | None = None
    projects: ProjectsSpec | None = None
    procurement: ProcurementSpec | None = None
    three_public: ThreePublicSpec | None = None
    how_tables_relate: Paragraphs = Paragraphs()
