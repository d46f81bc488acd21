"""Checks: tidy tables in, ``checks.json`` out.

The layout's relation catalogue is executed by one engine into reconciliation rows (one per
relation instance: left, right, difference, rounding allowance, location); the narrative's
figures are matched to the tables they restate; data-quality findings come from the reader's
anomalies. great-expectations validates every row with the stored suites (``expectations/``);
its verdicts give each check its status and severity.
"""
