"""A made-up Jiangsu department, printed to PDF by Chromium: a document the reader has never seen.

The generator draws consistent random budgets (every relation of the layout holds by
construction), writes the 12 tables in a shuffled order with the heading styles seen in the
wild ("公开05表", "公开表五", "五、2020年度…表", or the title alone, numbered only in the
table of contents), optionally on landscape pages that lie sideways (rotate_pages), narrow
label columns that wrap, long tables that run onto the next page (Chromium repeats the
header), a narrative with one deliberately wrong figure, and a glossary. The truth is
returned beside the HTML, so tests compare the extraction with what was printed, not with
numbers remembered from a real file.
"""

import ctypes
import random
from dataclasses import dataclass, field
from decimal import Decimal

import pypdfium2 as pdfium
import pypdfium2.raw as raw

CLASSES = [
    ("201", "一般公共服务支出"), ("203", "国防支出"), ("204", "公共安全支出"), ("205", "教育支出"),
    ("206", "科学技术支出"), ("208", "社会保障和就业支出"), ("210", "卫生健康支出"), ("221", "住房保障支出"),
]  # fmt: skip
SUMMARY_CLASSES = [
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出",
    "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出",
    "资源勘探信息等支出", "商业服务业等支出", "金融支出", "自然资源海洋气象等支出", "住房保障支出",
    "粮油物资储备支出", "灾害防治及应急管理支出", "其他支出",
]  # fmt: skip
CN = "一二三四五六七八九十"
ECONOMIC = {
    "301": (
        "工资福利支出",
        [
            ("30101", "基本工资"),
            ("30102", "津贴补贴"),
            ("30103", "奖金"),
            ("30108", "机关事业单位基本养老保险缴费"),
            ("30113", "住房公积金"),
        ],
    ),
    "302": (
        "商品和服务支出",
        [
            ("30201", "办公费"),
            ("30205", "水费"),
            ("30211", "差旅费"),
            ("30215", "会议费"),
            ("30216", "培训费"),
            ("30217", "公务接待费"),
            ("30231", "公务用车运行维护费"),
        ],
    ),
    "303": ("对个人和家庭的补助", [("30301", "离休费"), ("30302", "退休费")]),
}


def cn(n: int) -> str:
    if n <= 10:
        return CN[n - 1]
    return ("" if n < 20 else CN[n // 10 - 1]) + "十" + (CN[n % 10 - 1] if n % 10 else "")


def money(v: Decimal | None) -> str:
    return "" if v is None else f"{v:,.2f}"


@dataclass
class Department:
    name: str
    year: int
    rng: random.Random
    classes: dict = field(default_factory=dict)  # class code -> {category code -> {item code: amount}}
    names: dict = field(default_factory=dict)  # function code -> name
    economic: dict = field(default_factory=dict)  # economic item code -> amount (basic spending)
    other_funds: Decimal = Decimal("0")
    reserve: Decimal = Decimal("0")
    procurement: list = field(default_factory=list)  # (category, project, economic, item, method, amount)
    three_public: dict = field(default_factory=dict)

    def amount(self, low: int, high: int) -> Decimal:
        return Decimal(self.rng.randint(low * 100, high * 100)) / 100

    # ------------------------------------------------------------------ totals
    def function_items(self):
        for cls in sorted(self.classes):
            for cat in sorted(self.classes[cls]):
                yield from sorted(self.classes[cls][cat].items())

    @property
    def appropriation(self) -> Decimal:
        return sum((v for _, v in self.function_items()), Decimal(0))

    @property
    def basic(self) -> Decimal:
        return sum(self.economic.values(), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.appropriation + self.other_funds

    @property
    def project(self) -> Decimal:
        return self.total - self.basic - self.reserve

    def class_total(self, cls: str) -> Decimal:
        return sum((v for cat in self.classes[cls].values() for v in cat.values()), Decimal(0))


def draw(seed: int, year: int = 2020, name: str = "江苏省测试厅") -> Department:
    rng = random.Random(seed)
    d = Department(name, year, rng)
    for code, cname in rng.sample(CLASSES, 3):
        d.names[code] = cname
        d.classes[code] = {}
        for c in range(1, rng.randint(2, 3) + 1):
            cat = f"{code}{c:02d}"
            d.names[cat] = f"{cname[:2]}事务{cn(c)}"
            items = {}
            for i in range(1, rng.randint(4, 9) + 1):
                item = f"{cat}{i:02d}"
                d.names[item] = rng.choice(
                    ["行政运行", "一般行政管理事务", "机关服务", "事业运行", "信息化建设", "专项业务"]
                ) + cn(i)
                items[item] = d.amount(50, 4000)
            d.classes[code][cat] = items
    for _cls, (_cname, items) in ECONOMIC.items():
        for code, _ in items:
            d.economic[code] = d.amount(10, 900)
    d.reserve = d.amount(10, 300)
    d.other_funds = d.amount(1, 50) if rng.random() < 0.5 else Decimal(0)
    assert d.project > 0, "seed gives a negative project total; choose another seed"
    for k, category in enumerate(["货物A", "工程B", "服务C"], start=1):
        for p in range(rng.randint(1, 2)):
            project = rng.choice(["信息网络建设费", "设备购置费", "物业管理费", "交通运行费"]) + cn(p + 1)
            economic = rng.choice(["办公设备购置", "维修（护）费", "租赁费"])
            for i in range(rng.randint(1, 3)):
                d.procurement.append(
                    (
                        f"{cn(k)}、{category}",
                        project,
                        economic,
                        f"采购品目{cn(i + 1)}",
                        rng.choice(["政府集中采购", "分散自行组织"]),
                        d.amount(1, 300),
                    )
                )
    overseas, purchase, operation, reception = d.amount(0, 80), Decimal(0), d.economic["30231"], d.economic["30217"]
    d.three_public = {
        "overseas_travel": overseas, "vehicle_purchase": purchase, "vehicle_operation": operation,
        "official_reception": reception,
        "vehicle": purchase + operation, "three_public": overseas + purchase + operation + reception,
        "meeting": d.economic["30215"], "training": d.economic["30216"],
    }  # fmt: skip
    d.three_public["total"] = d.three_public["three_public"] + d.three_public["meeting"] + d.three_public["training"]
    return d


# ---------------------------------------------------------------------- HTML
CSS = """
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; font-size: 10.5px; margin: 0 12mm; }
table { border-collapse: collapse; width: 100%; margin-bottom: 6px; }
td, th { border: 0.8px solid #000; padding: 2px 3px; font-weight: normal; }
td.num { text-align: right; white-space: nowrap; }
.label { width: 7.5em; }
h2 { font-size: 15px; text-align: center; margin: 8px 0 2px; }
p.meta { display: flex; justify-content: space-between; margin: 2px 0; }
.section { break-before: page; }
"""


def _table(head: list[str], rows: list[list], widths: dict | None = None) -> str:
    thead = "".join(f"<tr>{r}</tr>" for r in head)
    body = ""
    for row in rows:
        cells = ""
        for cell in row:
            if isinstance(cell, tuple):  # (text, attributes)
                text, attrs = cell
                cells += f"<td {attrs}>{text}</td>"
            elif isinstance(cell, Decimal) or cell is None:
                cells += f'<td class="num">{money(cell)}</td>'
            else:
                cells += f"<td>{cell}</td>"
        body += f"<tr>{cells}</tr>"
    return f"<table><thead>{thead}</thead><tbody>{body}</tbody></table>"


def _heading(style: str, number: int, title: str, d: Department) -> str:
    """The heading above a table, in one of the forms departments print.

    ``label``: 公开05表 over the bare title; ``cn_label``: 公开表五 (a Chinese ordinal);
    ``ordinal``: 五、2020年度<department><title>; ``bare``: the title only, the table being
    numbered nowhere but in the table of contents."""
    if style == "label":
        head = f"<p>公开{number:02d}表</p><h2>{title}</h2>"
    elif style == "cn_label":
        head = f"<p>公开表{cn(number)}</p><h2>{title}</h2>"
    elif style == "bare":
        head = f"<h2>{d.year}年度{d.name}{title}</h2>"
    else:
        head = f"<h2>{cn(number)}、{d.year}年度{d.name}{title}</h2>"
    return head + f'<p class="meta"><span>部门名称：{d.name}</span><span>单位：万元</span></p>'


def tables(d: Department) -> dict[int, tuple[str, str]]:
    """Layout number -> (title, table HTML)."""
    T = d.total
    function_amounts = {d.names[c]: d.class_total(c) for c in d.classes}
    income = [
        ("一、财政拨款", d.appropriation),
        ("1.一般公共预算", d.appropriation),
        ("2.政府性基金预算", None),
        ("二、财政专户管理资金", None),
        ("三、其他资金", d.other_funds or None),
    ]
    functions = [(f"{cn(i)}、{n}", function_amounts.get(n)) for i, n in enumerate(SUMMARY_CLASSES, start=1)]
    uses = [("一、基本支出", d.basic), ("二、项目支出", d.project), ("三、单位预留机动经费", d.reserve)]
    rows = []
    for i in range(len(functions)):
        inc = income[i] if i < len(income) else ("", None)
        use = uses[i] if i < len(uses) else ("", None)
        rows.append(
            [(inc[0], 'class="label"'), inc[1], functions[i][0], functions[i][1], (use[0], 'class="label"'), use[1]]
        )
    rows += [
        ["当年收入小计", T, ("当年支出小计", 'colspan="3"'), T],
        ["上年结转资金", None, ("结转下年资金", 'colspan="3"'), None],
        ["收入合计", T, ("支出合计", 'colspan="3"'), T],
    ]
    t01 = _table(
        [
            '<th colspan="2">收入</th><th colspan="4">支出</th>',
            '<th rowspan="2">项目名称</th><th rowspan="2">金额</th><th colspan="2">功能分类</th><th '
            'colspan="2">支出用途</th>',
            "<th>功能科目名称</th><th>金额</th><th>项目名称</th><th>金额</th>",
        ],
        rows,
    )

    t02 = _table(['<th colspan="2">项目名称</th><th>金额</th>'], [
        [("收入总计", 'colspan="2"'), T],
        [("一般公共预算资金", 'rowspan="3"'), "小计", d.appropriation], ["公共财政拨款（补助）资金", d.appropriation],
        ["专项收入", None],
        ["政府性基金", "小计", None],
        [("其他资金", 'rowspan="2"'), "小计", d.other_funds or None], ["其他收入", d.other_funds or None],
    ])  # fmt: skip
    t03 = _table(
        ["<th>合计</th><th>基本支出</th><th>项目支出</th><th>单位预留机动经费</th><th>结转下年资金</th>"],
        [[T, d.basic, d.project, d.reserve, None]],
    )
    t04 = _table([
        '<th colspan="2">收入</th><th colspan="2">支出</th>',
        "<th>项目名称</th><th>金额</th><th>项目名称</th><th>金额</th>",
    ], [
        ["一、一般公共预算", d.appropriation, "一、基本支出", d.basic],
        ["二、政府性基金预算", None, "二、项目支出", d.appropriation - d.basic - d.reserve],
        ["", None, "三、单位预留机动经费", d.reserve],
        ["收入合计", d.appropriation, "支出合计", d.appropriation],
    ])  # fmt: skip

    def functional() -> str:
        rows = [["", "合计", d.appropriation]]
        for cls in sorted(d.classes):
            rows.append([cls, d.names[cls], d.class_total(cls)])
            for cat in sorted(d.classes[cls]):
                rows.append([cat, d.names[cat], sum(d.classes[cls][cat].values(), Decimal(0))])
                rows += [[item, d.names[item], v] for item, v in sorted(d.classes[cls][cat].items())]
        return _table(["<th>功能科目编码</th><th>功能科目名称</th><th>金额</th>"], rows)

    def economic(codes=("301", "302", "303"), header="金额") -> str:
        total = sum((d.economic[c] for cls in codes for c, _ in ECONOMIC[cls][1]), Decimal(0))
        rows = [["合计", "", total]]
        for cls in codes:
            cname, items = ECONOMIC[cls]
            rows.append([cls, cname, sum((d.economic[c] for c, _ in items), Decimal(0))])
            rows += [[c, n, d.economic[c]] for c, n in items]
        return _table([f"<th>科目编码</th><th>科目名称</th><th>{header}</th>"], rows)

    tp = d.three_public
    t09 = _table([
        '<th rowspan="3">合计</th><th colspan="6">“三公”经费</th><th rowspan="3">会议费</th><th '
        'rowspan="3">培训费</th>',
        '<th rowspan="2">小计</th><th rowspan="2">因公出国（境）费</th><th '
        'colspan="3">公务用车购置及运行维护费</th><th rowspan="2">公务接待费</th>',
        "<th>小计</th><th>公务用车购置费</th><th>公务用车运行维护费</th>",
    ], [[tp["total"], tp["three_public"], tp["overseas_travel"], tp["vehicle"], tp["vehicle_purchase"] or None,
         tp["vehicle_operation"], tp["official_reception"], tp["meeting"], tp["training"]]])  # fmt: skip
    t10 = _table(["<th>功能科目编码</th><th>功能科目名称</th><th>金额</th>"], [["", "合计", None]])

    total12 = sum((r[5] for r in d.procurement), Decimal(0))
    rows12 = [["合计", "", "", "", "", total12]]
    for category in dict.fromkeys(r[0] for r in d.procurement):
        group = [r for r in d.procurement if r[0] == category]
        rows12.append([category, "", "", "", "", sum((r[5] for r in group), Decimal(0))])
        for key in dict.fromkeys((r[1], r[2]) for r in group):
            sub = [r for r in group if (r[1], r[2]) == key]
            rows12.append(["", key[0], key[1], "", "", sum((r[5] for r in sub), Decimal(0))])
            rows12 += [["", "", "", r[3], r[4], r[5]] for r in sub]
    t12 = _table(
        [
            "<th>采购品目大类</th><th>专项名称</th><th>经济科目</th><th>采购物品名称</th><th>采购组织形式</th><th>总计</th>"
        ],
        rows12,
    )
    return {
        1: ("收支预算总表", t01), 2: ("收入预算总表", t02), 3: ("支出预算总表", t03), 4: ("财政拨款收支预算总表", t04),
        5: ("财政拨款支出预算表（功能科目）", functional()), 6: ("财政拨款基本支出预算表（经济科目）", economic()),
        7: ("一般公共预算支出预算表（功能科目）", functional()),
        8: ("一般公共预算基本支出预算表（经济科目）", economic(header="基本支出")),
        9: ("一般公共预算“三公”经费、会议费、培训费支出预算表", t09), 10: ("政府性基金预算财政拨款支出预算表", t10),
        11: ("一般公共预算机关运行经费支出预算表", economic(("302",), "机关运行经费支出")),
        12: ("政府采购支出预算表", t12),
    }  # fmt: skip


WRONG_PROJECT_DELTA = Decimal("1.00")  # the narrative misstates project spending by this much
WRONG_TOTAL_CHANGE_DELTA = Decimal("0.10")  # and the change of the total against the previous year


def change_sentence(label: str, now: Decimal, before: Decimal, misstate: Decimal = Decimal(0)) -> str:
    """ "基本支出预算数为X万元，与上年相比增加Y万元，增长Z%。" computed from the two years."""
    change = now - before
    word, grow = ("增加", "增长") if change >= 0 else ("减少", "减少")
    pct = (abs(change) / before * 100).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    return f"{label}{now}万元，与上年相比{word}{abs(change) + misstate}万元，{grow}{pct}%。"


RULES = {
    "ruled": "",
    # top, header and bottom rules only: a "three-line" table
    "three-line": (
        "td, th { border: none; } table { border-top: 1.2px solid #000; border-bottom: 1.2px solid #000; } "
        "thead tr:last-child td { border-bottom: 0.8px solid #000; }"
    ),
    # no rules at all: columns only by alignment
    "none": "td, th { border: none; }",
}


def html(
    d: Department,
    seed: int,
    previous: Department | None = None,
    styles: tuple[str, str] = ("label", "ordinal"),
    rules: str = "ruled",
) -> str:
    """The whole document. Each table's heading takes the first or the second of ``styles`` at
    random (the default pair is the two forms of the departments the layout was written from);
    ``rules`` draws the tables with all their rules, as three-line tables, or with none."""
    rng = random.Random(seed + 1)
    ts = tables(d)
    order = [1, 2, 3, 4] + rng.sample(range(5, 13), 8)  # the summary tables first, then any order
    toc = "".join(f"<p>{cn(i)}、{ts[n][0]}</p>" for i, n in enumerate(order, start=1))
    parts = [
        f"<h1>{d.name}</h1><p>{d.year}年度部门预算公开</p><p>目　录</p><p>第一部分 部门概况</p><p>第二部分 "
        f"{d.year}年度部门预算表</p>{toc}<p>第三部分 {d.year}年度部门预算情况说明</p><p>第四部分 名词解释</p>"
    ]
    parts.append(f'<div class="section"><h2>第二部分 {d.year}年度部门预算表</h2>')
    for i, n in enumerate(order, start=1):
        style = styles[0] if rng.random() < 0.5 else styles[1]
        title, body = ts[n]
        parts.append(_heading(style, n if style.endswith("label") else i, title, d) + body)
    parts.append("</div>")
    stated_project = d.project + WRONG_PROJECT_DELTA
    narrative = [
        f"{d.name}{d.year}年度收入、支出预算总计{d.total}万元。",
        f"基本支出预算数为{d.basic}万元。",
        f"项目支出预算数为{stated_project}万元。",
        f"单位预留机动经费预算数为{d.reserve}万元。",
        f"{d.year}年度一般公共预算拨款安排的“三公”经费预算支出中，公务接待费支出{d.three_public['official_reception']}万元。",
        f"{d.year}年政府采购预算总金额为{sum((r[5] for r in d.procurement), Decimal(0))}万元。",
    ]
    if previous is not None:  # year-on-year statements: one right, one misstated
        narrative[1] = change_sentence("基本支出预算数为", d.basic, previous.basic)
        narrative.append(
            change_sentence(
                f"{d.name}{d.year}年度收入、支出预算总计", d.total, previous.total, WRONG_TOTAL_CHANGE_DELTA
            )
        )
    parts.append(
        f'<div class="section"><h2>第三部分 {d.year}年度部门预算情况说明</h2>'
        + "".join(f"<p>{s}</p>" for s in narrative)
        + "</div>"
    )
    parts.append(
        "<h2>第四部分 名词解释</h2><p>一、财政拨款：指一般公共预算财政拨款和政府性基金预算财政拨款。</p><p>二、"
        "基本支出：指为保障机构正常运转而发生的支出。</p>"
    )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta '
        f'charset="utf-8"><style>{CSS}{RULES[rules]}</style></head><body>{"".join(parts)}</body></html>'
    )


def rotate_pages(pdf_path, out_path, declare: bool = True) -> None:
    """Every page of ``pdf_path`` turned into a landscape sheet whose content lies sideways.

    With ``declare`` the page's /Rotate turns it back upright, as WPS exports landscape tables;
    without it the page is shown sideways and only the direction of its text tells how to read it.
    Either way, characters taken in the sheet's own coordinates come out in reverse order."""
    pdf = pdfium.PdfDocument(pdf_path)
    for page in pdf:
        width, height = page.get_size()
        # (x, y) -> (height - y, x): the content turned 90° counter-clockwise onto a height x width sheet
        matrix = raw.FS_MATRIX(0, 1, -1, 0, height, 0)
        raw.FPDFPage_TransFormWithClip(page.raw, ctypes.byref(matrix), None)
        page.set_mediabox(0, 0, height, width)
        page.set_cropbox(0, 0, height, width)
        if declare:
            page.set_rotation(90)
    pdf.save(out_path)
