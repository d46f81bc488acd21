"""Errors a user can act on. The CLI prints their message; no traceback."""


class CnbudgetError(Exception):
    """Base class: the message says what is wrong and, where possible, what to do."""


class SourceError(CnbudgetError):
    """The source file cannot be read as a budget disclosure."""


class IntegrityError(CnbudgetError):
    """A registered raw file does not match the sha256 recorded in its sidecar."""


class LayoutError(CnbudgetError):
    """The document does not match the layout spec (missing tables, changed headers)."""
