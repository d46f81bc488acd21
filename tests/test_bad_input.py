"""Bad input gets a clear error and loses nothing."""

import json
import shutil
from decimal import Decimal

import pytest

from cnbudget.cli import main
from cnbudget.errors import IntegrityError, SourceError
from cnbudget.sources import sha256_of
from cnbudget.tables.extract import extract


def test_empty_file(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(SourceError, match="the file is empty"):
        extract(empty)
    assert main(["extract", str(empty), "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err.strip() == f"cnbudget: error: {empty}: the file is empty"


def test_gbk_file_is_read_correctly(tmp_path, reference, ref_extraction):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(reference.read_text(encoding="utf-8").encode("gb18030"))
    ex = extract(gbk)
    assert ex.source.encoding == "gb18030"
    assert ex.source.notices == ["gbk.txt: read as GB18030/GBK (not UTF-8)"]
    assert ex.amounts["amount"].dropna().tolist() == ref_extraction.amounts["amount"].dropna().tolist()


def test_undecodable_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x80\x81\xff\xfe" * 10)
    with pytest.raises(SourceError) as err:
        extract(bad)
    assert (
        str(err.value) == f"{bad}: cannot decode: not UTF-8 (invalid byte at offset 0) and not GB18030/GBK either; "
        "convert the file to UTF-8"
    )


def test_truncated_document_names_missing_tables(unregistered_copy, tmp_path, capsys):
    text = unregistered_copy.read_text(encoding="utf-8")
    cut = text.index("预算08表")
    unregistered_copy.write_text(text[:cut], encoding="utf-8")
    ex = extract(unregistered_copy)
    assert [s.id for s in ex.missing] == ["08", "09", "10", "11", "12", "13", "14"]
    assert {"01", "02", "03", "04", "05", "06", "07"} <= set(ex.frame_tables.values())
    assert main(["extract", str(unregistered_copy), "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert (
        "warning: 7 of 14 tables missing from the document: 表08 一般公共预算财政拨款基本支出表, 表09 "
        "政府性基金预算财政拨款支出表, 表10 国有资本经营预算财政拨款支出表, 表11 “三公”经费支出表, 表12 "
        "政府购买服务预算财政拨款明细表, 表13 项目支出绩效表, 表14 整体支出绩效目标表; the others were extracted" in err
    )
    assert (tmp_path / "o" / "t03_expenditure_summary.csv").exists()
    from cnbudget.report.coverage import tables_read

    shown = tables_read(ex, "en")
    assert shown.count("not in the document") == 7 and shown.count(">read<") == 7


def test_non_numeric_amount_is_flagged_not_coerced(unregistered_copy):
    lines = unregistered_copy.read_text(encoding="utf-8").splitlines()
    number = next(
        i for i, line in enumerate(lines) if line.startswith("2120101-行政运行\t50101-工资奖金津补贴\t30101-基本工资")
    )
    lines[number] = lines[number].replace("485.49\t485.49", "485.49\t48S.49", 1)
    unregistered_copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ex = extract(unregistered_copy)
    flagged = [a for a in ex.anomalies if a.kind == "invalid_amount"]
    assert len(flagged) == 1
    assert flagged[0].line == number + 1 and flagged[0].column == "basic" and flagged[0].raw == "48S.49"
    assert flagged[0].message == f"表03 第{number + 1}行 “基本支出” 不是金额: '48S.49'"
    row = ex.frame("03").query(f"line == {number + 1}").iloc[0]
    assert row["total"] == Decimal("485.49") and row["basic"] is None  # the row is kept, the cell is not 0
    cell = ex.amounts.query(f"line == {number + 1} and column == 'basic'").iloc[0]
    assert cell["status"] == "invalid" and cell["raw"] == "48S.49"


def test_hash_mismatch_on_registered_file(tmp_path, reference):
    target = tmp_path / "budget.txt"
    shutil.copyfile(reference, target)
    target.chmod(0o644)
    sidecar = json.loads(reference.with_name(reference.name + ".meta.json").read_text(encoding="utf-8"))
    (tmp_path / "budget.txt.meta.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    extract(target)  # intact: verifies
    target.write_bytes(target.read_bytes().replace(b"5,306.52", b"5,306.53", 1))
    with pytest.raises(IntegrityError) as err:
        extract(target)
    assert str(err.value) == (
        f"{target}: sha256 mismatch: the sidecar records {sidecar['sha256']}, the file has "
        f"{sha256_of(target.read_bytes())}; "
        "raw files must never change: restore the original or register a new release"
    )


def test_not_a_budget_document(tmp_path):
    other = tmp_path / "poem.txt"
    other.write_text("床前明月光\n疑是地上霜\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"no budget tables found"):
        extract(other)


def test_unregistered_file_gets_inferred_meta(unregistered_copy, tmp_path):
    assert main(["extract", str(unregistered_copy), "--out", str(tmp_path / "o")]) == 0
    package = json.loads((tmp_path / "o" / "datapackage.json").read_text(encoding="utf-8"))
    meta = package["cnbudget"]["meta"]
    assert meta["registered"] is False
    assert meta["sha256"] == sha256_of(unregistered_copy.read_bytes())
    assert meta["year"] == 2024 and meta["department"] == "北京市东城区城市管理指挥中心"
    assert meta["title"] == "2024年北京市东城区城市管理指挥中心部门预算"
    assert meta["units"]["tables"] == {"11": "元"}


def test_a_dash_means_nothing_printed(unregistered_copy, ref_extraction):
    """Where a blank amount cell is printed as "-" or "—" instead, every figure and every check is as
    before: the cells say nil (nothing printed), never "not a number"."""
    lines = unregistered_copy.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("预算03表"))
    changed = 0
    for i in range(start, len(lines)):
        if lines[i].startswith("预算04表"):
            break
        cells = lines[i].split("\t")
        if len(cells) > 5 and cells[3].strip() and not cells[5].strip():
            cells[5] = "-" if changed % 2 else "—"
            lines[i] = "\t".join(cells)
            changed += 1
    assert changed >= 2
    unregistered_copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ex = extract(unregistered_copy)
    dashes = ex.amounts[ex.amounts["raw"].isin(["-", "—"])]
    assert len(dashes) == changed and set(dashes["status"]) == {"nil"} and dashes["amount"].isna().all()
    assert not [a for a in ex.anomalies if a.kind == "invalid_amount"]
    assert ex.frame("03").drop(columns=[]).equals(ref_extraction.frame("03"))


@pytest.mark.parametrize(
    ("raw", "status", "value"),
    [
        ("-1,234.50", "value", Decimal("-1234.50")),
        ("-3", "value", Decimal(-3)),
        ("1234567", "value", Decimal(1234567)),  # 元 with no decimals
        ("-", "nil", None),
        ("—", "nil", None),
        ("－", "nil", None),
        ("", "blank", None),
        ("-1,23", "invalid", None),
        ("--3", "invalid", None),
    ],
)
def test_amount_cells_keep_their_meaning(raw, status, value):
    from cnbudget.money import parse_amount

    assert parse_amount(raw) == (status, value)
