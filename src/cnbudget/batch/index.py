"""The batch's index page: every document with its status, check counts and headline findings."""

import time
from pathlib import Path

from ..report.i18n import INDEX
from ..report.templates import Markup, render, stylesheet


def _document(r: dict, t: dict, out: Path) -> dict:
    meta = r.get("meta", {})
    row = {
        "region": str(meta.get("region_zh") or meta.get("region") or ""),
        "department": str(meta.get("department") or r["key"]),
        "year": str(meta.get("year") or ""),
        "layout": str(meta.get("layout") or ""),
        "seconds": f"{r['seconds']:.1f}s",
        "ok": r["status"] == "ok",
        "error": r.get("error") or "",
    }
    if row["ok"]:
        folder = Path(r["key"])
        row["checks"] = t["checks"].format(**r["summary"])
        row["headline"] = r.get("headline", [])
        names = (
            ("HTML", "report.html"),
            ("PDF", "report.pdf"),
            ("checks.json", "checks.json"),
            (
                "findings.csv",
                "findings.csv",
            ),
        )
        # only what the batch wrote: no report with --no-report, no PDF with --no-pdf
        row["links"] = [(name, (folder / file).as_posix()) for name, file in names if (out / folder / file).exists()]
    return row


def _comparison(c: dict, t: dict, out: Path) -> dict:
    row = {
        "department": str(c["department"]),
        "years": f"{c['years'][0]} → {c['years'][1]}",
        "ok": c.get("status") == "ok",
    }
    if row["ok"]:
        counts = {k: c.get(k, 0) for k in ("checked", "disagree", "material", "minor")}
        folder = Path("compare") / c["key"]
        name = "compare.html" if (out / folder / "compare.html").exists() else "compare.json"  # --no-report: data only
        row.update(text=t["compared"].format(**counts), href=(folder / name).as_posix(), link=name)
    else:
        row["error"] = c.get("error", "")
    return row


def write_index(results: list[dict], comparisons: list[dict], out: Path, root: Path, lang: str) -> Path:
    """``out/index.html``: the documents of a batch and its year-over-year comparisons."""
    t = INDEX[lang]
    body = render(
        "index.html.j2",
        t=t,
        root=str(root),
        now=time.strftime("%Y-%m-%d %H:%M"),
        results=[_document(r, t, out) for r in results],
        comparisons=[_comparison(c, t, out) for c in comparisons],
    )
    page = render(
        "page.html.j2",
        lang="zh-CN" if lang == "zh" else "en",
        title=t["title"],
        css=stylesheet(),
        extra_css=Markup("td ul{margin:.2em 0 0 1em;padding:0}"),
        body=Markup(body),
    )
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
