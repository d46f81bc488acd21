"""Tidy tables: a ``Document`` and its ``Layout`` in, typed tidy tables out.

One parser per table shape (plain grids, two- and three-sided summary tables, the performance
tables), each cell read once with its line and page; amount cells as exact decimals, codes
split from names, anomalies recorded rather than repaired; the narrative's figures and the
glossary. Written as CSV, Parquet and a Frictionless ``datapackage.json``; stacked across
documents into the panel.
"""

from .cells import Anomaly, CellReader
from .extract import Extraction, extract

__all__ = ["Anomaly", "CellReader", "Extraction", "extract"]
