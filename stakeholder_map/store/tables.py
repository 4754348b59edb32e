"""The store's table layout: the DDL, its version, and the tables every map owns."""

from __future__ import annotations

__all__ = ["SCHEMA_VERSION", "MAX_MAP_NAME", "DDL", "MAP_TABLES", "MILESTONE_KINDS"]

#: Version of the table layout; ``Store._migrate`` upgrades older files.
SCHEMA_VERSION = 2
MAX_MAP_NAME = 120

DDL = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS maps (
        map_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL UNIQUE,
        custom_columns VARCHAR NOT NULL DEFAULT '[]',
        created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS stakeholders (
        map_id INTEGER NOT NULL, seq INTEGER NOT NULL, id VARCHAR NOT NULL,
        name VARCHAR NOT NULL, department VARCHAR NOT NULL, role VARCHAR,
        seniority TINYINT, stance TINYINT, influence TINYINT, interest TINYINT,
        email VARCHAR, notes VARCHAR, attributes VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS ties (
        map_id INTEGER NOT NULL, seq INTEGER NOT NULL, source VARCHAR NOT NULL,
        target VARCHAR NOT NULL, weight DOUBLE NOT NULL, kind VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS engagements (
        map_id INTEGER NOT NULL, seq INTEGER NOT NULL, date DATE NOT NULL,
        stakeholder_id VARCHAR NOT NULL, activity VARCHAR, stance_after TINYINT,
        notes VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS stance_history (
        map_id INTEGER NOT NULL, stakeholder_id VARCHAR NOT NULL, stance TINYINT,
        recorded_on DATE NOT NULL, source VARCHAR NOT NULL,
        recorded_at TIMESTAMP NOT NULL)""",
    # schema 2: engagement edits are recorded; milestones per department or organisation-wide
    """CREATE TABLE IF NOT EXISTS engagement_changes (
        map_id INTEGER NOT NULL, engagement_id INTEGER NOT NULL, action VARCHAR NOT NULL,
        changed_at TIMESTAMP NOT NULL, before VARCHAR, after VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS milestones (
        map_id INTEGER NOT NULL, milestone_id INTEGER NOT NULL, label VARCHAR,
        department VARCHAR, kind VARCHAR NOT NULL, target DOUBLE NOT NULL,
        min_stance TINYINT NOT NULL, due DATE NOT NULL, created_at TIMESTAMP NOT NULL)""",
]
MAP_TABLES = ("stakeholders", "ties", "engagements", "stance_history", "engagement_changes", "milestones")
#: Kinds of milestone: a share of people at or above a stance, or a champion engaged per department.
MILESTONE_KINDS = ("share", "champion_engaged")
