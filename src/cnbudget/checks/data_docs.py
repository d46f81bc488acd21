"""The GX Data Docs, made readable offline.

GX writes pages that load Bootstrap, jQuery, Font Awesome and Vega from CDNs; without the network
they showed nothing useful. After each build, every page is rewritten: the remote stylesheets and
scripts (and remote images) are removed (the pages are static HTML: nothing they show depends on them) and a small local
stylesheet is put in their place. Amounts: GX compares integers of 1e-8 万元 (exact); each failing
row also names its figures as printed, in their unit (the ``figures`` column, shown beside the id).
"""

import re
from pathlib import Path

REMOTE = re.compile(
    r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>"
    r"|<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>"
    r"|<img\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>",
    re.I,
)
REMOTE_URL_IN_CSS = re.compile(r"url\(['\"]?https?://[^)]*\)", re.I)
LOCAL_CSS = """<style>
body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; margin: .4rem 0; } td, th { border: 1px solid #ccc; padding: .2rem .5rem; }
.alert, .card { border: 1px solid #ddd; padding: .5rem; margin: .5rem 0; } a { color: #3a6ea5; }
.cnbudget-offline { background: #eef3f8; padding: .4rem .8rem; }
</style>"""
NOTE = (
    '<p class="cnbudget-offline">cnbudget: this page works offline (remote styles and scripts removed). '
    "Amounts are compared as integers of 1e-8 万元; the <code>figures</code> column gives each failing row's "
    "figures as printed, in their unit.</p>"
)


def make_offline(folder: Path) -> int:
    """Rewrite every Data Docs page under ``folder``; returns how many pages were rewritten."""
    count = 0
    for page in folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        cleaned = REMOTE_URL_IN_CSS.sub("none", REMOTE.sub("", text))
        if "cnbudget-offline" not in cleaned:
            cleaned = cleaned.replace("</head>", LOCAL_CSS + "</head>", 1)
            cleaned = re.sub(r"(<body[^>]*>)", r"\1" + NOTE, cleaned, count=1)
        if cleaned != text:
            page.write_text(cleaned, encoding="utf-8")
            count += 1
    return count
