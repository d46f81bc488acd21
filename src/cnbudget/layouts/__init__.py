"""Layouts: one folder per layout (``tables.toml``, ``relations.toml``, ``report.toml``), their
loading and detection.

A layout is data: which tables a disclosure has and how to find them (by title), their columns,
the relations the format implies, and what the report shows. A document's table titles go in;
a ``Layout`` comes out. A new province or year is a new folder, not new code.
"""

from .detect import detect_layout
from .spec import Column, Layout, TableSpec, available_layouts, load_layout

__all__ = ["Column", "Layout", "TableSpec", "available_layouts", "detect_layout", "load_layout"]
