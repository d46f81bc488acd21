"""The report: checks and tables in, an annotated HTML and PDF report out.

HTML sections and charts that the report notebook displays, the wording in Chinese and English,
and the notebook pipeline: papermill executes ``notebooks/`` with parameters, nbconvert renders
HTML without code, headless Chromium prints the PDF.
"""
