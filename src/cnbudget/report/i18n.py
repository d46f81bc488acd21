"""Report wording in Chinese (default) and English; official names stay in Chinese."""

TEXT = {
    "zh": {
        "title": "{title}：数据、核对与说明",
        "summary": "一页摘要",
        "total": "收支总预算",
        "income_sources": "收入来源",
        "by_class": "按功能分类（类）的支出",
        "basic_project": "基本支出与项目支出",
        "personnel_public": "人员经费与公用经费",
        "basic": "基本支出",
        "project": "项目支出",
        "personnel": "人员经费",
        "public": "公用经费",
        "reserve": "单位预留机动经费",
        "change": "与上年比较（说明中所述）",
        "headline": "核对结论",
        "missing_banner": "文件中没有以下表：{tables}。需要这些表的 {n} 项核对未能进行（列为“未核对”，不算作不一致）。",
        "headline_text": (
            "共核对 {total} 项关系：{passed} 项成立，{failed} 项不一致（其中实质性 {material} 项，轻微 {minor} 项）；"
            "{rounding} 项差异在舍入允许范围内；{linked} 项由错误单元格连带造成（列在该单元格之下）；{notes} 项提示。"
        ),
        "spending": "支出说明",
        "functional": "功能分类：类、款、项",
        "economic": "经济分类（基本支出）",
        "projects": "项目支出（按金额排序）",
        "procurement": "政府采购",
        "three_public": "“三公”经费",
        "findings": "核对发现",
        "findings_intro": (
            "下列每一项都是表格之间、或表格与文字说明之间不一致之处。“实质性”表示差异超出舍入允许范围；"
            "“轻微”表示不影响金额的数据质量问题；“提示”表示数字与文件自己的另一种说法相符，值得读者留意。"
        ),
        "passed": "已通过的核对",
        "passed_intro": "以下关系均已核对且成立（按关系归类；括号内为实例数）。",
        "unchecked": "文字说明中无法用表格核对的数字",
        "teaching": "教学说明",
        "glossary": "名词解释（文件原文）",
        "codes": "本文件出现的科目编码",
        "how_tables_relate": "各表之间的关系",
        "provenance": "来源与可复现性",
        "amount": "金额（万元）",
        "share": "占比",
        "code": "编码",
        "name": "名称",
        "level": "层级",
        "severity": {"material": "实质性", "minor": "轻微", "rounding": "舍入", "note": "提示", "linked": "连带"},
        "linked_intro": "以下关系因这一单元格而不一致，不另计为金额差异：",
        "tables": "表",
        "page_n": "第{n}页",
        "line_n": "第{n}行",
        "narrative_agrees": "说明中的数字与表格一致",
        "not_evaluated": "未能核对的关系",
        "not_evaluated_intro": "以下关系所需的表、行或列未能从文件中读出，因此没有核对（不计为通过，也不计为不一致）。",
        "kind": {
            "structure": "表格结构",
            "within_table": "表内",
            "hierarchy": "层级汇总",
            "cross_table": "跨表",
            "narrative": "文字说明",
            "data_quality": "数据质量",
        },
        "where": "位置",
        "difference": "差额",
        "left": "一方",
        "right": "另一方",
        "check": "核对",
        "count": "实例数",
        "indicators": "绩效指标数",
        "target": "绩效目标（摘要）",
        "chart_class": "按功能分类（类）的支出（万元）",
        "chart_economic": "基本支出的主要经济科目（万元）",
        "chart_projects": "项目支出前十名（万元）",
        "chart_basic_project": "基本支出与项目支出（万元）",
        "none": "无",
        "yuan": "元",
        "reason": "原因",
        "tables_read": "读取的表格",
        "unchecked_more": "以上为前 {shown} 项（共 {total} 项）；全部列在 checks.json 的 unchecked_narrative 中。",
        "projects_more": "以上为金额最大的 {shown} 个项目（共 {total} 个）；全部项目及其绩效指标见数据文件 {file}。",
        "tables_read_intro": "文件中每一张表：读出的行数、印有数字的金额单元格数，以及识别出的科目编码列。",
        "table_title": "标题",
        "unit": "单位",
        "rows": "行数",
        "amount_cells": "金额单元格",
        "code_columns": "科目编码列",
        "status": "状态",
        "table_status": {"read": "已读取", "empty": "空表", "missing": "文件中没有", "unparsed": "未能读取"},
        "generic_note": (
            "本文件没有对应的版式，按通用方式读取（--layout generic）：逐表读取表头、科目编码、名称与金额，"
            "只核对任何预算表都成立的关系（合计等于明细之和、类等于所属款之和、款等于所属项之和、两表同一科目金额一致、"
            "收入总计等于支出总计）。各表的含义与表间关系未经版式确认，因此没有分类汇总。"
        ),
    },
    "en": {
        "title": "{title}: data, checks and notes",
        "summary": "Summary",
        "total": "Total budget (收支总预算)",
        "income_sources": "Sources of income (收入来源)",
        "by_class": "Spending by functional class (类)",
        "basic_project": "Basic vs project spending (基本支出 / 项目支出)",
        "personnel_public": "Personnel vs public costs (人员经费 / 公用经费)",
        "basic": "Basic spending (基本支出)",
        "project": "Project spending (项目支出)",
        "personnel": "Personnel (人员经费)",
        "public": "Public costs (公用经费)",
        "reserve": "Reserve (单位预留机动经费)",
        "change": "Change from the previous year (as stated in the narrative)",
        "headline": "What the checks found",
        "missing_banner": (
            "The document does not contain these tables: {tables}. {n} checks that need them were not evaluated "
            "(listed as not evaluated, never as disagreements)."
        ),
        "headline_text": (
            "{total} relations checked: {passed} hold, {failed} disagree ({material} material, {minor} minor); "
            "{rounding} differ within the rounding allowance; {linked} follow from a malformed cell (listed under it); "
            "{notes} notes."
        ),
        "spending": "Spending explained",
        "functional": "Functional classification: class, category, item (类/款/项)",
        "economic": "Economic classification of basic spending (经济分类)",
        "projects": "Projects ranked by amount (项目支出)",
        "procurement": "Government procurement (政府采购)",
        "three_public": "“Three public” expenses (“三公”经费)",
        "findings": "Findings",
        "findings_intro": (
            "Each item below is a disagreement between tables, or between a table and the narrative. “Material” "
            "means the difference exceeds the rounding allowance; “minor” is a data-quality issue that does not "
            "change an amount; a “note” is a figure that fits a narrower reading the document itself supports."
        ),
        "passed": "Checks that passed",
        "passed_intro": (
            "All relations below were checked and hold (grouped by relation; instance counts in the last column)."
        ),
        "unchecked": "Narrative figures that the tables cannot confirm",
        "teaching": "For teaching",
        "glossary": "Glossary (the document's own 名词解释)",
        "codes": "Classification codes in this document",
        "how_tables_relate": "How the tables relate",
        "provenance": "Provenance and reproducibility",
        "amount": "Amount (10k yuan, 万元)",
        "share": "Share",
        "code": "Code",
        "name": "Name",
        "level": "Level",
        "severity": {
            "material": "material",
            "minor": "minor",
            "rounding": "rounding",
            "note": "note",
            "linked": "linked",
        },
        "linked_intro": "These relations disagree because of this cell; they are not counted as separate money gaps:",
        "tables": "tables",
        "page_n": "page {n}",
        "line_n": "line {n}",
        "narrative_agrees": "the narrative's figures agree with the tables",
        "not_evaluated": "Relations not evaluated",
        "not_evaluated_intro": (
            "The tables, rows or columns these relations need could not be read from the document, so they were "
            "not checked (counted neither as holding nor as disagreeing)."
        ),
        "kind": {
            "structure": "table structure",
            "within_table": "within a table",
            "hierarchy": "hierarchy",
            "cross_table": "across tables",
            "narrative": "narrative",
            "data_quality": "data quality",
        },
        "where": "Where",
        "difference": "Difference",
        "left": "One side",
        "right": "Other side",
        "check": "Check",
        "count": "Instances",
        "indicators": "Indicators",
        "target": "Performance target (abridged)",
        "chart_class": "Spending by functional class (万元, 10k yuan)",
        "chart_economic": "Main economic items of basic spending (万元, 10k yuan)",
        "chart_projects": "Ten largest projects (万元, 10k yuan)",
        "chart_basic_project": "Basic vs project spending (万元, 10k yuan)",
        "none": "none",
        "yuan": "yuan (元)",
        "reason": "Reason",
        "tables_read": "Tables read",
        "unchecked_more": "The first {shown} of {total}; checks.json lists them all under unchecked_narrative.",
        "projects_more": (
            "The {shown} largest of {total} projects; all of them, with their indicators, are in the data file {file}."
        ),
        "tables_read_intro": (
            "Every table of the document: the rows read, the amount cells that print a figure, and the "
            "classification code columns recognised."
        ),
        "table_title": "Title",
        "unit": "Unit",
        "rows": "Rows",
        "amount_cells": "Amount cells",
        "code_columns": "Code columns",
        "status": "Status",
        "table_status": {"read": "read", "empty": "empty", "missing": "not in the document", "unparsed": "not read"},
        "generic_note": (
            "No layout fits this document, so it was read generically (--layout generic): each table's header, "
            "codes, names and amounts, checked only against relations that hold in any budget table (合计 equals "
            "the sum of its rows, each 类 the sum of its 款 and each 款 the sum of its 项, the same code the same "
            "amount in two tables, 收入总计 equals 支出总计). What each table means and how the tables relate is "
            "not confirmed by a layout, so no spending breakdown is shown."
        ),
    },
}

# the batch's index page (cnbudget batch)
INDEX = {
    "zh": {
        "title": "批量运行：文件索引",
        "documents": "个文件",
        "head": ["地区", "部门", "年度", "布局", "状态", "核对结果与主要发现", "报告"],
        "chead": ["部门", "年度", "说明中的同比变化", "比较报告"],
        "done": "已完成",
        "failed": "失败",
        "checks": "{total} 项 · {failed} 项不一致 (实质性 {material}, 轻微 {minor})",
        "no_material": "无实质性不一致",
        "compared": "{checked} 项说明中的同比变化已核对, {disagree} 项不一致 (实质性 {material}, 轻微 {minor})",
        "year_over_year": "逐年比较",
        "no_pairs": "没有同一部门的相邻年度",
        "panel": "面板数据（所有文件的全部金额，长格式）",
    },
    "en": {
        "title": "Batch run: index of documents",
        "documents": "documents",
        "head": ["Region", "Department", "Year", "Layout", "Status", "Checks and headline findings", "Report"],
        "chead": ["Department", "Years", "Stated year-on-year changes", "Comparison"],
        "done": "done",
        "failed": "failed",
        "checks": "{total} checks · {failed} disagree (material {material}, minor {minor})",
        "no_material": "no material disagreement",
        "compared": "{checked} stated changes checked, {disagree} disagree (material {material}, minor {minor})",
        "year_over_year": "Year over year",
        "no_pairs": "no department with consecutive years",
        "panel": "Panel dataset (every amount of every document, long format)",
    },
}
