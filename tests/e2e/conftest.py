"""Fixtures and hooks of tests/e2e; they and the helpers live in ``e2e_support`` (import helpers from there,
not from ``conftest``, whose module name clashes between test folders)."""

from tests.e2e.e2e_support import (  # noqa: F401  (pytest finds fixtures and hooks by name here)
    app_url,
    browser,
    requests_seen,
    page,
    pytest_collection_modifyitems,
)
