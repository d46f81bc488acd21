"""matplotlib charts with a real CJK font; each titled with its unit."""

import base64
import html
import io
import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from ..errors import CnbudgetError  # noqa: E402

CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC")


def cjk_font() -> str:
    available = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in available:
            return name
    raise CnbudgetError(
        f"no CJK font found for charts (tried {', '.join(CJK_FONTS)}); install Debian's fonts-wqy-microhei (make "
        "system)"
    )


def setup_fonts() -> str:
    name = cjk_font()
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [name, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "figure.dpi": 110,
        }
    )
    return name


def barh(labels: list[str], values: list[float], title: str, color: str = "#3a6ea5") -> str:
    """A horizontal bar chart as an <img> tag with an embedded PNG (no external files)."""
    setup_fonts()
    height = 1.2 + 0.38 * len(labels)
    fig, ax = plt.subplots(figsize=(7.2, height))
    bars = ax.barh(range(len(labels)), values, color=color)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    top = max(values) if values else 1
    for bar, value in zip(bars, values, strict=True):
        ax.text(
            bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2, f"{value:,.2f}", va="center", fontsize=8
        )
    ax.set_xlim(0, top * 1.18)
    fig.tight_layout()
    return _img(fig, title)


_SAVED: dict = {"folder": None, "count": 0}


def save_to(folder: Path | None) -> None:
    """Also write every chart drawn from now on as ``folder/NN-<title>.png`` and ``.svg``, so that a
    reader can take it away (the report keeps its embedded copy)."""
    _SAVED.update(folder=folder, count=0)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        for old in [*folder.glob("*.png"), *folder.glob("*.svg")]:
            old.unlink()


def _img(fig, alt: str) -> str:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph must not pass silently
        fig.savefig(buf, format="png")
        if _SAVED["folder"] is not None:
            _SAVED["count"] += 1
            stem = f"{_SAVED['count']:02d}-" + re.sub(r"[^\w]+", "-", alt).strip("-")[:60]
            (_SAVED["folder"] / f"{stem}.png").write_bytes(buf.getvalue())
            fig.savefig(_SAVED["folder"] / f"{stem}.svg", format="svg")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<figure class="chart"><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></figure>'
