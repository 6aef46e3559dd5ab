"""HTML reports (network, structure, trends, dashboard): content as library code.

Notebooks in ``notebooks/`` stay thin and call these modules; the build renders many
structure pages in one process through :func:`autodiag.reports.structure.render_many`.
"""
