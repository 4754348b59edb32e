"""The store's table layout: the DDL, its version, and the tables every map owns."""

from __future__ import annotations

__all__ = ["SCHEMA_VERSION", "MAX_MAP_NAME", "DDL", "MIGRATIONS", "MAP_TABLES", "MILESTONE_KINDS", "MEMBER_ROLES",
           "ALL_MAPS"]

#: Version of the table layout; ``Store._migrate`` upgrades older files.
SCHEMA_VERSION = 5
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
        notes VARCHAR, logged_by VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS stance_history (
        map_id INTEGER NOT NULL, stakeholder_id VARCHAR NOT NULL, stance TINYINT,
        recorded_on DATE NOT NULL, source VARCHAR NOT NULL,
        recorded_at TIMESTAMP NOT NULL)""",
    # schema 2: engagement edits are recorded; milestones per department or organisation-wide
    """CREATE TABLE IF NOT EXISTS engagement_changes (
        map_id INTEGER NOT NULL, engagement_id INTEGER NOT NULL, action VARCHAR NOT NULL,
        changed_at TIMESTAMP NOT NULL, before VARCHAR, after VARCHAR, changed_by VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS milestones (
        map_id INTEGER NOT NULL, milestone_id INTEGER NOT NULL, label VARCHAR,
        department VARCHAR, kind VARCHAR NOT NULL, target DOUBLE NOT NULL,
        min_stance TINYINT NOT NULL, due DATE NOT NULL, created_at TIMESTAMP NOT NULL)""",
    # schema 3: members and their roles per map ('*' = every map); who did what (never deleted with a map)
    """CREATE TABLE IF NOT EXISTS members (
        email VARCHAR NOT NULL, map VARCHAR NOT NULL, role VARCHAR NOT NULL,
        added_at TIMESTAMP NOT NULL, added_by VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS audit_log (
        "at" TIMESTAMP NOT NULL, actor VARCHAR, map_id INTEGER, map VARCHAR, action VARCHAR NOT NULL,
        subject VARCHAR, detail VARCHAR)""",
    # schema 4: relationship surveys; links are stored as token hashes only; the ties an apply wrote
    """CREATE TABLE IF NOT EXISTS surveys (
        map_id INTEGER NOT NULL, survey_id INTEGER NOT NULL, title VARCHAR NOT NULL, definition VARCHAR NOT NULL,
        closes_on DATE NOT NULL, status VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, created_by VARCHAR,
        applied_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS survey_invitations (
        map_id INTEGER NOT NULL, survey_id INTEGER NOT NULL, stakeholder_id VARCHAR NOT NULL,
        token_hash VARCHAR NOT NULL, expires_on DATE NOT NULL, revoked BOOLEAN NOT NULL, issued_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS survey_responses (
        map_id INTEGER NOT NULL, survey_id INTEGER NOT NULL, respondent VARCHAR NOT NULL, question INTEGER,
        position INTEGER NOT NULL, named VARCHAR, strength TINYINT, pulse TINYINT, submitted_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS survey_ties (
        map_id INTEGER NOT NULL, survey_id INTEGER NOT NULL, seq INTEGER NOT NULL, source VARCHAR NOT NULL,
        target VARCHAR NOT NULL, kind VARCHAR NOT NULL, weight DOUBLE NOT NULL)""",
    # schema 5: map versions. Every import records a version; a person's or a tie group's row holds from the
    # version it appeared in (valid_from) until the version that changed or dropped it (valid_to, exclusive;
    # NULL = still held), so an unchanged person costs nothing on re-import. Ties are kept per
    # (source, target, kind, weight) with their number of copies in the file.
    """CREATE TABLE IF NOT EXISTS map_versions (
        map_id INTEGER NOT NULL, version INTEGER NOT NULL, imported_at TIMESTAMP NOT NULL, imported_by VARCHAR,
        custom_columns VARCHAR NOT NULL DEFAULT '[]')""",
    """CREATE TABLE IF NOT EXISTS person_versions (
        map_id INTEGER NOT NULL, id VARCHAR NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER,
        seq INTEGER NOT NULL, name VARCHAR NOT NULL, department VARCHAR NOT NULL, role VARCHAR,
        seniority TINYINT, stance TINYINT, influence TINYINT, interest TINYINT,
        email VARCHAR, notes VARCHAR, attributes VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS tie_versions (
        map_id INTEGER NOT NULL, source VARCHAR NOT NULL, target VARCHAR NOT NULL, kind VARCHAR,
        weight DOUBLE NOT NULL, copies INTEGER NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER,
        seq INTEGER NOT NULL)""",
]
#: Changes to tables an older file already has, by the version that brought them (the new tables are in DDL).
MIGRATIONS = {
    3: ["ALTER TABLE engagements ADD COLUMN IF NOT EXISTS logged_by VARCHAR",
        "ALTER TABLE engagement_changes ADD COLUMN IF NOT EXISTS changed_by VARCHAR"],
    4: [],  # only new tables (surveys, survey_invitations, survey_responses, survey_ties: created by DDL)
    # map versions (tables created by DDL): each existing map's version 1 is its current content, dated updated_at
    5: ["""INSERT INTO map_versions SELECT map_id, 1, updated_at, NULL, custom_columns FROM maps
           WHERE map_id NOT IN (SELECT map_id FROM map_versions)""",
        """INSERT INTO person_versions
           SELECT map_id, id, 1, NULL, seq, name, department, role, seniority, stance, influence, interest,
                  email, notes, attributes
           FROM stakeholders WHERE map_id NOT IN (SELECT map_id FROM person_versions)""",
        """INSERT INTO tie_versions
           SELECT map_id, source, target, kind, weight, count(*), 1, NULL, min(seq)
           FROM ties WHERE map_id NOT IN (SELECT map_id FROM tie_versions)
           GROUP BY map_id, source, target, kind, weight"""],
}
MAP_TABLES = ("stakeholders", "ties", "engagements", "stance_history", "engagement_changes", "milestones",
              "surveys", "survey_invitations", "survey_responses", "survey_ties",
              "map_versions", "person_versions", "tie_versions")
#: Kinds of milestone: a share of people at or above a stance, or a champion engaged per department.
MILESTONE_KINDS = ("share", "champion_engaged")
#: Member roles, least first; each includes the ones before it (see :mod:`stakeholder_map.access`).
MEMBER_ROLES = ("viewer", "editor", "admin")
#: The ``map`` of a member row that holds for every map.
ALL_MAPS = "*"
