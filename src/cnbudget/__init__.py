"""cnbudget: Chinese department budget disclosures (部门预算公开) as tidy data, checks and reports."""

__version__ = "0.3.0"
