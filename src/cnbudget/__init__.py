"""cnbudget: Chinese department budget disclosures (部门预算公开) as tidy data, checks and reports.

In a notebook: ``cnbudget.load(path)`` (one disclosure: tables, narrative, checks) and
``cnbudget.load_panel(folder)`` (what ``cnbudget batch`` wrote); see ``cnbudget.api``.
"""

__version__ = "0.3.0"
__all__ = ["load", "load_panel"]


def __getattr__(name: str):
    """``load`` and ``load_panel`` imported on first use: ``import cnbudget`` stays light."""
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'cnbudget' has no attribute {name!r}")
