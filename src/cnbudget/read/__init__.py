"""Reading sources: a verified ``Source`` in, a ``Document`` out.

One reader per source form, picked from a registry by the source's kind: the text conversion
(``text``) and the published PDF with a text layer (``pdf``: PDFium characters and ruling lines,
rebuilt into ruled grids). A ``Document`` is the titled table sections (rows of cell texts, each
with its line and PDF page), the narrative (情况说明) and glossary (名词解释) lines, and the text
rendering that line numbers refer to.
"""

from collections.abc import Callable

from ..sources import Source
from .model import Document, Row, Section
from .pdf_document import read_pdf_document
from .text import read_text_document

READERS: dict[str, Callable[[Source], Document]] = {"text": read_text_document, "pdf": read_pdf_document}


def read_document(source: Source) -> Document:
    """The document model of a source, whatever its form (text conversion or PDF)."""
    return READERS[source.kind](source)


__all__ = ["Document", "Row", "Section", "read_document", "READERS"]
