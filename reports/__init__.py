"""Report building: charts (matplotlib's object API) and, later, print templates and PDF rendering.

Depends on assessment.engine only (plain data in), never on the web, store or services layers.
"""
