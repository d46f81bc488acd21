"""Which layout a document follows, decided from its table titles."""

from ..errors import LayoutError
from .spec import Layout, available_layouts, load_layout


def detect_layout(titles: list[str]) -> Layout:
    """The layout whose table titles best cover the titles found in the document."""
    best, best_hits = None, 0
    for name in available_layouts():
        layout = load_layout(name)
        hits = sum(1 for t in titles if layout.match_title(t))
        if hits > best_hits:
            best, best_hits = layout, hits
    if best is None:
        found = "; ".join(titles) if titles else "no table titles at all"
        raise LayoutError(
            f"no known layout matches this document (layouts: {', '.join(available_layouts())}); "
            f"titles found: {found}. See README, 'Adding a layout'."
        )
    return best
