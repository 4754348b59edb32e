"""Helpers the tests share (import as ``from support import csv``)."""

from __future__ import annotations

import textwrap
from io import BytesIO


def csv(text: str, encoding: str = "utf-8") -> BytesIO:
    """A file object holding ``text`` (dedented, first newline dropped)."""
    return BytesIO(textwrap.dedent(text).lstrip("\n").encode(encoding))
