"""Many documents: every registered disclosure under a folder, in parallel, then an index page,
the panel dataset, and a year-over-year comparison for each department with consecutive years."""
