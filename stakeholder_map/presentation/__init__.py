"""What the user sees, shared by the CLI and the dashboard.

Analysis (:mod:`stakeholder_map.analysis`) and tracking
(:mod:`stakeholder_map.tracking`) return plain data: ids, numbers, stance
values. This package turns that data into what a person reads: display tables
with names and rounded numbers, the labels and choices of the pickers, charts,
network drawings, the department brief, and text made safe to show. The CLI
prints the same tables the pages show, so the two cannot drift.

What belongs here: labels and wording, display tables, widget choices, colours,
drawings, chart specs, HTML, the CLI command lines a page shows. What does not:
anything that computes a result (that is analysis or tracking), anything that
reads or writes a map (that is the store; this package takes frames, graphs and
results, never a store), and anything Streamlit (that is ``ui/``).

Modules
-------
analysis_tables
    Champions, pilot, audience and simulation results as display tables;
    picker labels (models, objectives, stances).
champion_cards
    The Champions page in plain words: a card per champion and an honest
    verdict on the group against the obvious picks.
tracking_tables
    Engagement, stance history, milestones, next conversations and rotation
    as display tables; picker choices of the Engagement page.
commands
    The ``stakeholder-map`` command lines that reproduce a page's result.
charts
    Vega-Lite chart specs (plain dicts) of the display tables.
styles
    How people are drawn: colours by category, sizes by score, the legend.
network_view
    The people and department drawings (vis-network data), the standalone
    HTML file, and the selected-person panel.
adoption_view
    A people drawing recoloured by each person's chance of having adopted.
layout
    Where each person and department sits in a drawing.
overview
    Per-department figures of a big map, drawn without its graph.
people
    Person labels for pickers, and the search box.
map_export, map_filters, vis_assets, map_drawing.js
    The Map's print view and PNG export, the wording of the filters in force,
    and the inlined vis-network assets (nothing is fetched).
import_view
    The Data page's upload preview, import plan and missing-column hints.
brief
    The department brief as a printable HTML page (one A4 page).
numbers
    One way to write counts, decimals, percents and ratios for people.
text
    Text from the user's files made safe for Markdown and tooltips.
workspace_views
    What a page draws straight from a workspace (overview, positions, labels,
    the brief), each cached per map revision by ``ui.state.derived``.
"""
