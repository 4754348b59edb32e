"""Stakeholder Map: who influences whom, who should champion a change, and how buy-in spreads.

The package is a stack of rooms, each importing only those below it (kept by
``tests/test_architecture.py``; the README's "How it is built" draws it):

``errors``, ``schema``
    The contract: exceptions, columns, header synonyms, stance words.
``ingest``, ``ingest_team``
    Files -> checked frames, or one ``ContractError`` naming file, row and column.
``store``
    The only package that talks to DuckDB; returns frames; all-or-nothing writes.
``graph``, ``export``, ``export_rotation``, ``demo``
    Frames -> the networkx graph model and its queries; files out; the demo map.
``analysis``, ``tracking``
    Metrics, champions, pilots, simulation; buy-in over time. Plain data in and out.
``workspace``
    One opened map and everything the product derives from it, with its defaults.
``presentation``
    What the user sees: tables, labels, charts, drawings, briefs, text escaping.
``ui``, ``cli``
    The Streamlit dashboard and the command line, both thin over the workspace.
"""

__version__ = "0.1.0"
