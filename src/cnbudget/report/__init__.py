"""The report: HTML fragments and charts the report notebook displays, and the page shell."""
