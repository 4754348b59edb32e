"""Fixtures and hooks of tests/ui; they and the helpers live in ``ui_support`` (import helpers from there,
not from ``conftest``, whose module name clashes between test folders)."""

from tests.ui.ui_support import (  # noqa: F401  (pytest finds fixtures and hooks by name here)
    db,
    large_db,
)
