"""The pure domain: catalog schema and loader, aggregation, scoring, roadmap, metrics.

Nothing here imports Flask or SQLAlchemy: plain data in, plain data out.
"""
