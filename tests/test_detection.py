"""Detection never guesses: every registered document against every layout.

Each registered document's sidecar says which layout it follows (a person decided that from the
document, not from cnbudget's output). Exactly that layout fits, no other does, and a check never
fails on a figure the extraction did not read."""

import json
import re
from functools import cache

import pytest
from paths import DATA_RAW, DATA_REFERENCES, fetched

from cnbudget.batch.run import find_documents
from cnbudget.checks.records import FAIL
from cnbudget.checks.run import run_checks
from cnbudget.layouts import available_layouts, load_layout
from cnbudget.layouts.detect import detect_layout, fit_layout
from cnbudget.read import read_document
from cnbudget.sources import load_source
from cnbudget.tables.extract import merge_documents, owners


def _documents():
    """Each registered disclosure: its files (one folder is one disclosure)."""
    found = []
    for folder in (DATA_RAW, DATA_REFERENCES):
        if folder.is_dir():
            found.extend(tuple(d.files) for d in find_documents(folder))
    return found


DOCUMENTS = _documents()


def _declared(files) -> str:
    path = files[0]
    return json.loads(path.with_name(path.name + ".meta.json").read_text(encoding="utf-8"))["layout"]


def _id(files) -> str:
    return "/".join(files[0].parent.parts[-3:])


@cache
def _read(files):
    docs = [read_document(load_source(fetched(p))) for p in files]
    doc = merge_documents([d for d in docs if d.sections] + [d for d in docs if not d.sections])
    return doc, owners(doc, doc.source)


@pytest.mark.parametrize("path", DOCUMENTS, ids=_id)
@pytest.mark.parametrize("layout", available_layouts())
def test_only_the_declared_layout_fits(path, layout):
    doc, names = _read(path)
    fit = fit_layout(load_layout(layout), doc.sections, names)
    assert fit.fits == (layout == _declared(path)), fit.explain()


@pytest.mark.parametrize("path", DOCUMENTS, ids=_id)
def test_detection_finds_the_declared_layout(path):
    doc, names = _read(path)
    assert detect_layout(doc.sections, names).layout.name == _declared(path)


def test_shanghai_budgets_are_never_taken_for_jiangsu():
    shanghai = [p for p in DOCUMENTS if _declared(p) == "shanghai-budget"]
    if not shanghai:
        pytest.skip("no Shanghai budget fetched: run `make data`")
    for path in shanghai:
        doc, names = _read(path)
        fit = fit_layout(load_layout("jiangsu-2019"), doc.sections, names)
        assert not fit.fits
        # the three titles Jiangsu shares with Shanghai as substrings are not Jiangsu's tables
        assert not any(t.section is not None for t in fit.tables), fit.explain()


QUERY = re.compile(r"==|!=|\.str\b|\.notna|\.isna|\bnot in \[|\bin \[|\.len\(")
IDENTIFIER = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")  # a field of the tidy tables (economic_code)
PLACEHOLDER = re.compile(r"\{\w*\}")
ASCII_WORD = re.compile(r"(?<![A-Za-z])[a-z]{3,}\b")  # Chinese text with an English word in it: an identifier
TEXTS = ("description", "left_label", "right_label", "missing")


def _unquoted(text: str) -> str:
    """The text without what it quotes from the document (“…”, nested too, and bracketed originals)."""
    while (stripped := re.sub(r"“[^“”]*”|（[^（）]*）|\([^()]*\)", "", text)) != text:
        text = stripped
    return text


def _plain(text: str, lang: str) -> str | None:
    """What in ``text`` is code rather than words, or None."""
    found = QUERY.search(text) or IDENTIFIER.search(text) or PLACEHOLDER.search(text)
    if found is None and lang == "zh":
        found = ASCII_WORD.search(_unquoted(text))  # words quoted from the document may be anything
    if found is None and lang == "en":  # a code with its printed name (30213 维修（护）费) is the document's
        found = re.search(r"[\u4e00-\u9fff]+", re.sub(r"\d{3,} \S+", "", _unquoted(text)))
    return found.group() if found else None


@pytest.mark.parametrize("path", DOCUMENTS, ids=_id)
def test_every_check_is_read_and_said_in_plain_words(path, tmp_path):
    """A failing check has both its figures; a check not evaluated says why; and every description,
    label and reason, in Chinese and in English, is words: no query expression, no field identifier,
    no unfilled {placeholder} (names quoted from the document may stay Chinese in the English)."""
    result = run_checks([fetched(p) for p in path], tmp_path, data_docs=False)
    for check in result["checks"]:
        if check["status"] == FAIL and check["kind"] not in ("data_quality", "structure"):
            assert check["left"] is not None and check["right"] is not None, check
            assert not check.get("missing"), check
        if check["status"] == "not_evaluated":
            assert check["severity"] is None and check.get("missing"), check
        for key in TEXTS:
            for lang, name in (("zh", key), ("en", f"{key}_en")):
                if check.get(name):
                    assert _plain(check[name], lang) is None, (
                        check["id"],
                        name,
                        check[name],
                        _plain(check[name], lang),
                    )
        assert check["description_en"] != check["description"], check["id"]
    for figure in result["unchecked_narrative"]:
        assert figure["reason_en"] and _plain(figure["reason"], "zh") is None, figure
        assert _plain(figure["reason_en"], "en") is None, figure


def test_plain_words_test_catches_code():
    """The patterns above catch what issue 12 found in the descriptions."""
    assert _plain("表01“amount”列（item_level == 1）", "zh")
    assert _plain("表02“合计”列（unit_code.str.len() > 3）", "zh")
    assert _plain("表01支出方“{name}”", "zh")
    assert _plain("table 01, column amount, total row: 收入总计", "en")
    assert _plain("表03“基本支出”列合计行", "zh") is None
    assert _plain("table 03, column basic spending (“基本支出”), total row", "en") is None


def test_the_template_placeholders_are_reported_not_crashed_on(tmp_path):
    """The blank 部门决算 template prints "…" where codes go and "XXX 万元" where the narrative's
    figures go: each is a minor finding (nothing filled in), never a material one or a crash."""
    template = fetched(DATA_REFERENCES / "shanghai" / "2024" / "final-account-template" / "final.pdf")
    result = run_checks(template, tmp_path, data_docs=False)
    assert result["source"]["layout"] == "national-final"
    failed = [c for c in result["checks"] if c["status"] == FAIL]
    assert failed and {c["severity"] for c in failed} == {"minor"}
    placeholders = [c for c in failed if c["relation"].startswith("dq-placeholder")]
    assert {c["id"] for c in placeholders} >= {"dq-placeholder/02", "dq-placeholder/narrative"}
    narrative = next(c for c in placeholders if c["id"] == "dq-placeholder/narrative")
    assert all("XX" in line for line in narrative["detail"])
