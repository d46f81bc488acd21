"""Published PDFs: the Jiangsu layout cell by cell, ruled-grid reconstruction, bad PDFs."""

import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from paths import raw

from cnbudget.cli import main
from cnbudget.errors import LayoutError, SourceError
from cnbudget.layouts import load_layout
from cnbudget.money import parse_amount
from cnbudget.read.pdf_grid import build_grid
from cnbudget.read.pdf_page import Char, Page
from cnbudget.tables.extract import extract
from cnbudget.textnorm import norm

EXPECTED = tomllib.loads((Path(__file__).parent / "data" / "jiangsu_summary_expected.toml").read_text(encoding="utf-8"))
JIANGSU = sorted(EXPECTED)


def pdf_of(key: str) -> Path:
    return raw(key)


@pytest.fixture(scope="module")
def extractions():
    return {key: extract(pdf_of(key)) for key in JIANGSU}


def test_six_pdfs_are_registered_and_verified():
    assert len(JIANGSU) == 6
    for key in JIANGSU:
        ex = extract(pdf_of(key))  # raises IntegrityError if the bytes differ from the sidecar
        assert ex.source.registered and ex.source.kind == "pdf"


@pytest.mark.parametrize("key", JIANGSU)
def test_summary_table_cell_by_cell(extractions, key):
    """公开01表 as read from the PDF by hand: every row of every side, in order, with its amount."""
    ex = extractions[key]
    assert ex.layout.name == "jiangsu-2019"
    frame = ex.frame("01")
    for side in ("income", "function", "use"):
        got = [(norm(r.item), r.amount) for r in frame[frame["side"] == side].itertuples()]
        want = [(norm(item), parse_amount(amount)[1]) for item, amount in EXPECTED[key][side]]
        assert got == want, f"{key} {side}"


@pytest.mark.parametrize("key", JIANGSU)
def test_summary_table_balances(extractions, key):
    """Totals computed from the extracted cells: each side adds up, income equals spending."""
    frame = extractions[key].frame("01")

    def item(side, name):
        rows = frame[(frame["side"] == side) & (frame["item_key"] == name)]
        assert len(rows) == 1, (side, name)
        return rows["amount"].iloc[0] or Decimal(0)

    def level1(side):
        rows = frame[(frame["side"] == side) & (frame["item_level"] == 1)]
        return sum((v for v in rows["amount"] if v is not None), Decimal(0))

    current = item("income", "当年收入小计")
    assert level1("income") == current
    assert level1("function") == item("function", "当年支出小计") == current
    assert level1("use") == current
    assert item("income", "收入合计") == current + item("income", "上年结转资金")
    assert item("income", "收入合计") == item("function", "支出合计")


@pytest.mark.parametrize("key", JIANGSU)
def test_every_table_found_by_title(extractions, key):
    ex = extractions[key]
    assert ex.missing == []
    assert sorted(ex.frame_tables.values()) == [t.id for t in load_layout("jiangsu-2019").tables]


def test_titles_in_a_different_order_map_to_the_same_table(extractions):
    """2017 prints 政府性基金 seventh, 2019 tenth: both land in table 10 by title."""
    for key in ("jiangsu/2017/high-court", "jiangsu/2019/high-court"):
        ex = extractions[key]
        assert ex.frame("10")["row_type"].tolist()[:1] == ["total"]
        assert ex.frame("07")["function_code"].dropna().str.len().max() == 7


def test_wrapped_label_keeps_its_own_amount(extractions):
    """'九、医疗卫生与计划生育支\\n出' wraps in 2017; its cell is blank and the next row keeps 2,347.13."""
    frame = extractions["jiangsu/2017/high-court"].frame("01")
    fn = frame[frame["side"] == "function"].set_index("item_key")["amount"]
    assert fn["医疗卫生与计划生育支出"] is None
    assert fn["社会保障和就业支出"] == Decimal("2347.13")


def test_row_split_by_a_page_break_is_kept(extractions):
    """hc2017 01: the row 二、财政专户管理资金 / 四、公共安全支出 starts on page 11 and ends on 12."""
    frame = extractions["jiangsu/2017/high-court"].frame("01")
    row = frame[frame["item_key"] == "公共安全支出"]
    assert row["amount"].iloc[0] == Decimal("23513.11") and row["page"].iloc[0] == 12


def test_cell_wrapped_across_pages_is_joined(extractions):
    """p2018 01: '十七、国土海洋气象等支' ends page 13, '出' starts page 14."""
    ex = extractions["jiangsu/2018/procuratorate"]
    items = ex.frame("01")["item_key"].tolist()
    assert "国土海洋气象等支出" in items and "出" not in items


def test_merged_cells_filled_down(extractions):
    frame = extractions["jiangsu/2019/high-court"].frame("02")
    general = frame[frame["category"] == "一般公共预算资金"]
    assert general["item"].tolist() == ["小计", "公共财政拨款（补助）资金", "专项收入"]
    procurement = extractions["jiangsu/2019/high-court"].frame("12")
    items = procurement[procurement["level"] == "item"]
    assert items["economic"].ne("").all() and items["category"].ne("").all()


def test_checks_run_on_every_pdf(extractions):
    from cnbudget.checks.run import compute_rows

    for key, ex in extractions.items():
        rows, _ = compute_rows(ex)
        relations = [r for r in rows if r.kind in ("within_table", "hierarchy", "cross_table")]
        printed = ex.amounts[(ex.amounts["status"] == "value") & (ex.amounts["amount"] != 0)]
        empty = {t.id for t in ex.layout.tables} - set(printed["table"])  # tables that print no amount but 0
        # every relation ran, but the sums of a table printed empty (a blank 合计, nothing under it)
        catalogue = [r.id for r in ex.layout.relations.relation if not (r.type == "column_sums" and r.table in empty)]
        assert sorted({r.relation for r in relations}) == sorted(catalogue), key
        assert all(r.left is not None and r.right is not None for r in relations), key  # found both sides


# ---------------------------------------------------------------- grid reconstruction
def _chars(text: str, x: float, top: float, size: float = 10.0) -> list[Char]:
    return [Char(ch, x + i * size, top, x + (i + 1) * size, top + size) for i, ch in enumerate(text)]


def _box_rules(xs, ys, skip_h=(), skip_v=()):
    """Full ruled grid; skip_h = [(row boundary index, column)] not drawn, same for skip_v."""
    h = [(y, xs[j], xs[j + 1]) for i, y in enumerate(ys) for j in range(len(xs) - 1) if (i, j) not in skip_h]
    v = [(x, ys[i], ys[i + 1]) for j, x in enumerate(xs) for i in range(len(ys) - 1) if (j, i) not in skip_v]
    return h, v


def test_grid_wrapped_label_and_merged_cells():
    xs, ys = [0, 100, 160], [0, 30, 60, 90]
    # row 1: a label wrapped on two text lines, its amount centred between them;
    # rows 2-3 of column 0 merged (no rule between them), text centred on the boundary.
    h, v = _box_rules(xs, ys, skip_h=[(2, 0)])
    chars = _chars("行政事业单位", 2, 3) + _chars("离退休", 2, 16) + _chars("1.50", 110, 10)
    chars += _chars("合并", 2, 55) + _chars("2.00", 110, 40) + _chars("3.00", 110, 70)
    grid = build_grid(Page(1, chars, h, v), 0, 90, h, v, chars)
    assert grid.rows == [["行政事业单位离退休", "1.50"], ["合并", "2.00"], ["", "3.00"]]


def test_grid_open_row_at_a_page_break_is_closed():
    """Vertical rules running above the first horizontal rule: the row begun on the previous page."""
    xs = [0, 100, 160]
    h = [(40, 0, 160), (70, 0, 160)]
    v = [(x, 10, 70) for x in xs]
    chars = _chars("续行", 2, 20) + _chars("9.99", 110, 20) + _chars("下一行", 2, 50)
    grid = build_grid(Page(2, chars, h, v), 10, 70, h, v, chars)
    assert grid.rows == [["续行", "9.99"], ["下一行", ""]]


# ---------------------------------------------------------------- bad PDFs
@pytest.fixture
def bad_pdfs(tmp_path):
    from PIL import Image

    data = pdf_of("jiangsu/2019/high-court").read_bytes()
    files = {
        "truncated": tmp_path / "truncated.pdf",
        "scan": tmp_path / "scan.pdf",
        "html": tmp_path / "download.pdf",
        "other": tmp_path / "other.pdf",
    }
    files["truncated"].write_bytes(data[: len(data) // 3])
    Image.new("RGB", (600, 800), "white").save(files["scan"])
    files["html"].write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>", encoding="utf-8")
    doc = pdfium.PdfDocument(data)  # a PDF of something else: the department's narrative pages only
    part = pdfium.PdfDocument.new()
    part.import_pages(doc, list(range(16, len(doc))))
    part.save(files["other"])
    return files


def test_truncated_pdf(bad_pdfs, capsys):
    f = bad_pdfs["truncated"]
    with pytest.raises(SourceError) as err:
        extract(f)
    assert (
        str(err.value) == f"{f}: not a readable PDF (Failed to load document (PDFium: Data format error)); "
        "the file may be truncated or damaged: download it again"
    )
    assert main(["extract", str(f), "--out", str(f.parent / "o")]) == 2
    assert capsys.readouterr().err.strip() == f"cnbudget: error: {err.value}"


def _minimal_pdf(objs: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF file of the given objects (1 = catalog), with its cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objs) + 1, trailer)
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)


def _password_protected_pdf() -> bytes:
    """A one-page PDF with a Standard security handler whose user password is not empty."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>",
    ]
    return _minimal_pdf(objs, b" /Encrypt 4 0 R /ID [<%s> <%s>]" % (b"33" * 16, b"33" * 16))


def test_encrypted_pdf(tmp_path):
    f = tmp_path / "locked.pdf"
    f.write_bytes(_password_protected_pdf())
    with pytest.raises(SourceError) as err:
        extract(f)
    assert (
        str(err.value) == f"{f}: the PDF is encrypted (password-protected); save an unprotected copy and register that"
    )


def test_pdf_without_text_layer(bad_pdfs):
    f = bad_pdfs["scan"]
    with pytest.raises(SourceError) as err:
        extract(f)
    assert (
        str(err.value) == f"{f}: the PDF has no text layer (1 page, no characters): "
        "it is a scan or an image; run OCR (for example ocrmypdf) first"
    )


def test_html_saved_as_pdf(bad_pdfs):
    f = bad_pdfs["html"]
    with pytest.raises(SourceError) as err:
        extract(f)
    assert str(err.value) == f"{f}: not a PDF (the file does not start with %PDF-); it looks like an HTML page"


def test_pdf_with_no_budget_table(bad_pdfs):
    f = bad_pdfs["other"]
    with pytest.raises(SourceError) as err:
        extract(f)
    assert str(err.value) == (
        f"{f}: no budget tables found (no ruled table under a title ending in 表); is this a budget disclosure? "
        "A narrative file (文件) needs its tables file (表格) beside it"
    )


def test_two_files_one_disclosure(tmp_path):
    """A tables file and a narrative file: tables from one, narrative from the other."""
    whole = extract(pdf_of("jiangsu/2019/high-court"))
    doc = pdfium.PdfDocument(pdf_of("jiangsu/2019/high-court").read_bytes())
    tables, narrative = pdfium.PdfDocument.new(), pdfium.PdfDocument.new()
    tables.import_pages(doc, list(range(0, 16)))
    narrative.import_pages(doc, list(range(16, len(doc))))
    tables.save(tmp_path / "表格.pdf")
    narrative.save(tmp_path / "文件.pdf")
    alone = extract(tmp_path / "表格.pdf")
    assert alone.narrative.empty
    ex = extract([tmp_path / "文件.pdf", tmp_path / "表格.pdf"])
    assert sorted(ex.frames) == sorted(whole.frames)
    assert ex.narrative["value_raw"].tolist() == whole.narrative["value_raw"].tolist()
    assert len(ex.glossary) == len(whole.glossary) > 0
    assert ex.extra_files == [str(tmp_path / "文件.pdf")]
    from cnbudget.tables.outputs import write_outputs

    write_outputs(ex, tmp_path / "out")
    narrative_text = (tmp_path / "out" / "source-文件.txt").read_text(encoding="utf-8").splitlines()
    first = ex.narrative.iloc[0]
    assert first["value_raw"] in narrative_text[first["line"] - 1].replace(",", "")


def test_unknown_layout_lists_the_titles_found(tmp_path):
    doc = tmp_path / "other-region.txt"
    doc.write_text("预算01表 某某区部门收支情况一览\n项目\t金额\n合计\t1.00\n", encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        extract(doc)
    message = str(err.value)
    assert message.startswith("no known layout fits this document. Tables found: 某某区部门收支情况一览. By layout: ")
    assert "beijing-2024: 0 of 14 tables found (none)" in message and "jiangsu-2019: 0 of 12 tables found" in message
    assert "--layout generic" in message and "see README, 'Adding a layout'" in message


def test_forced_layout_that_does_not_fit():
    """Forcing beijing-2024 on a Jiangsu PDF: tables with other titles are not taken, and the titles
    both layouts share but over other columns are reported with what their header lacks, never read."""
    ex = extract(pdf_of("jiangsu/2019/high-court"), layout_name="beijing-2024")
    unmatched = [a.message for a in ex.anomalies if a.kind == "unmatched_columns"]
    assert unmatched == [
        "第208行: 表“支出预算总表”的标题与布局 beijing-2024 的表03 支出预算总表相同，但表头缺少 支出功能分类科目、"
        "部门支出经济分类科目，不是同一种表，未提取",
        "第216行: 表“财政拨款收支预算总表”的标题与布局 beijing-2024 的表06 财政拨款收支预算总表相同，"
        "但表头缺少 预算数，不是同一种表，未提取",
    ]
    assert sum(a.kind == "unknown_table" for a in ex.anomalies) == 10
    assert ex.frames == {} and len(ex.missing) == 14


def test_table_that_does_not_fit_does_not_stop_the_others(tmp_path, reference):
    """A text document whose table 05 lost its header word: 05 is reported, the 13 others are extracted."""
    text = reference.read_text(encoding="utf-8").replace("采购类别\t金额", "类别\t金额", 1)
    doc = tmp_path / "doc.txt"
    doc.write_text(text, encoding="utf-8")
    ex = extract(doc)
    assert [s.id for s in ex.missing] == ["05"]
    assert [a.kind for a in ex.anomalies if a.table == "05"] == ["unmatched_columns"]
    assert len(ex.frame_tables) > 13


def test_font_names_with_raw_gbk_bytes_are_read(extractions):
    """The high-court PDFs name their fonts in raw GBK bytes (方正小标宋简体, 宋体, 仿宋_GB2312):
    the reader must read them; the titles set in those fonts come out as text."""
    import re

    data = pdf_of("jiangsu/2019/high-court").read_bytes()
    names = re.findall(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", data)
    gbk = [n.split(b"+")[-1].decode("gbk") for n in names if any(b > 127 for b in n)]
    assert "宋体" in gbk and "方正小标宋简体" in gbk
    ex = extractions["jiangsu/2019/high-court"]
    assert "第二部分 2019年度部门预算表" in ex.rendering and len(ex.frames) == 12


def _pdf_with_stroked_tables() -> bytes:
    """One page, two tables drawn with stroked paths instead of filled bars: the first as one path
    of several sub-paths (outline + inner rules), the second with 're' rectangles per cell."""
    text = b"BT /F1 10 Tf 20 175 Td (A) Tj 100 0 Td (1.00) Tj -100 -20 Td (B) Tj 100 0 Td (2.00) Tj ET\n"
    text += b"BT /F1 10 Tf 20 75 Td (C) Tj 100 0 Td (3.00) Tj ET\n"
    grid1 = b"0 0 0 RG 1 w 10 150 m 190 150 l 190 190 l 10 190 l h 10 170 m 190 170 l 100 150 m 100 190 l S\n"
    grid2 = b"0 0 0 RG 0.5 w 10 70 90 20 re 100 70 90 20 re S\n"
    stream = text + grid1 + grid2
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _minimal_pdf(objs)


def test_tables_drawn_with_stroked_paths():
    from cnbudget.read.pdf_grid import page_items
    from cnbudget.read.pdf_page import Grid, read_page

    doc = pdfium.PdfDocument(_pdf_with_stroked_tables())
    grids = [item for item in page_items(read_page(doc[0], 1)) if isinstance(item, Grid)]
    assert [g.rows for g in grids] == [[["A", "1.00"], ["B", "2.00"]], [["C", "3.00"]]]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["第二部分", "公开01表", "收支预算总表", "部门名称：某部门", "单位:万元"],
            ("01", "收支预算总表", "某部门", "万元"),
        ),
        (
            ["公开 09 表：一般公共预算“三公”经费、会议费、培训费", "支出预算表", "部门：", "某部门", "单位：万元"],
            ("09", "一般公共预算“三公”经费、会议费、培训费支出预算表", "某部门", "万元"),
        ),
        (
            ["十一、一般公共预算“三公”经费、会议费、培训费支出预", "算表（功能科目）", "单位：万元"],
            ("11", "一般公共预算“三公”经费、会议费、培训费支出预算表(功能科目)", None, "万元"),
        ),
        # a title with neither label nor ordinal, after a table of contents that has ordinals
        (
            ["目录", "一、收支预算总表", "十二、政府采购支出预算表", "2019年度某部门收支预算总表", "单位：万元"],
            ("--", "2019年度某部门收支预算总表", None, "万元"),
        ),
        (["注：“科目编码”和“科目名称”为必填项。", "12"], (None, None, None, None)),
    ],
)
def test_heading_above_a_grid(lines, expected):
    from cnbudget.read.pdf_headings import find_heading

    h = find_heading(lines)
    assert (h.number, h.title, h.department, h.unit) == expected


def test_checks_name_the_pdf_pages_where_their_figures_are(extractions):
    """Each cross-table check of a PDF lists pages; both compared figures are printed on them."""
    from cnbudget.checks.run import compute_rows

    ex = extractions["jiangsu/2019/high-court"]
    doc = pdfium.PdfDocument(pdf_of("jiangsu/2019/high-court").read_bytes())
    text = {
        n: doc[n - 1].get_textpage().get_text_range().replace("\r\n", "").replace(" ", "")
        for n in range(1, len(doc) + 1)
    }
    rows, _ = compute_rows(ex)
    cross = [r for r in rows if r.kind == "cross_table" and r.left and r.right]
    assert cross
    for row in cross:
        assert row.pages and f"PDF 第{','.join(map(str, row.pages))}页" in row.location.zh
        printed = "".join(text[p] for p in row.pages)
        for value in (row.left, row.right):
            assert f"{value:,.2f}" in printed or f"{value:.2f}" in printed, (row.id, value, row.pages)


def test_the_narrative_figures_the_tables_print_are_checked(extractions):
    """Issue 12: "其他资金 14.39万元，占0.06%" is recomputed (14.39 / the income total, both read from
    table 01), and the 款 total "检察（款）:…预算支出合计16,444.36万元" and the procurement total are
    compared with the tables; none of them is left unchecked."""
    from cnbudget.checks.figures import resolve
    from cnbudget.checks.run import compute_rows
    from cnbudget.layouts.selectors import Selector
    from cnbudget.money import round_half_up

    ex = extractions["jiangsu/2018/procuratorate"]
    rows, unchecked = compute_rows(ex)
    narrative = [r for r in rows if r.kind == "narrative"]
    other = resolve(ex, Selector(table="01", side="income", item="其他资金")).value
    total = resolve(ex, Selector(table="01", side="income", item="收入合计")).value
    share = next(r for r in narrative if r.unit == "%" and "其他资金" in r.description.zh)
    # compared at the stated precision: the finer share rounded half up
    assert share.right == round_half_up(other / total * 100, 2) and share.left == Decimal("0.06")
    assert abs(share.difference) > share.allowance  # 0.0655…% is 0.07%, not 0.06%
    stated = {r.left for r in narrative if r.unit == "万元"}
    procurement = resolve(ex, Selector(table="12", column="amount", row="total")).value
    assert procurement in stated and Decimal("16444.36") in stated
    for words in ("其他资金 14.39", "检察（款）", "政府采购支出预算总额"):
        assert not [u for u in unchecked if words in u["sentence"]], words


@pytest.mark.parametrize("key", JIANGSU)
def test_every_failing_check_of_a_jiangsu_pdf_has_a_crop_with_its_figures_outlined(extractions, key, tmp_path):
    """Each failing check carries at least one crop; each outline encloses printed characters that
    read as a number (PDFium's own text inside the box, independent of the reader's cells)."""
    from cnbudget.checks.evidence import add_evidence
    from cnbudget.checks.records import FAIL
    from cnbudget.checks.run import compute_rows
    from cnbudget.money import VALUE, parse_amount

    ex = extractions[key]
    rows, _ = compute_rows(ex)
    for row in rows:
        beyond = row.numeric and row.evaluable and abs(row.difference) > row.allowance
        row.status = FAIL if beyond or (not row.numeric and row.holds is False) else "pass"
    add_evidence(rows, ex, tmp_path)
    doc = pdfium.PdfDocument(pdf_of(key).read_bytes())
    try:
        for row in (r for r in rows if r.status == FAIL):
            assert row.evidence, row.id
            for item in row.evidence:
                assert (tmp_path / item["image"]).is_file()
                page = doc[item["page"] - 1]
                height = page.get_height()
                text = page.get_textpage()
                for x0, top, x1, bottom in item["marks"]:
                    printed = text.get_text_bounded(x0 - 1, height - bottom - 1, x1 + 1, height - top + 1)
                    if row.kind in ("cross_table", "within_table", "hierarchy", "narrative"):
                        assert parse_amount(re.sub(r"\s+", "", printed).rstrip("%"))[0] == VALUE, (row.id, printed)
    finally:
        doc.close()
