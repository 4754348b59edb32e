"""Text from the user's files, made safe for where it is shown.

A name, department or note from a CSV is always shown as typed, never read as
markup: :func:`markdown_text` for ``st.markdown`` and Streamlit captions,
:func:`tooltip_text` for the tooltips of a standalone pyvis file. (HTML pages
such as the department brief escape with :func:`html.escape` as they build.)
Nothing here imports Streamlit.

Examples
--------
>>> print(markdown_text("**<img src=x>**"))
\\*\\*&lt;img src=x&gt;\\*\\*
>>> tooltip_text("see HREF=x") == "see hre\u2060f=x"
True
"""

from __future__ import annotations

import html
import re

from .. import schema as s

__all__ = ["markdown_text", "tooltip_text"]


def markdown_text(text: object) -> str:
    """Escape text so that ``st.markdown`` shows it literally.

    ``<``, ``>`` and ``&`` become entities and every Markdown punctuation mark
    is backslash-escaped, so a name like ``**<img src=x>**`` is shown as typed.

    >>> markdown_text("*Ann* <b>")
    '\\\\*Ann\\\\* &lt;b&gt;'
    """
    value = html.escape("" if text is None else str(text), quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~:$])", r"\\\1", value)


def tooltip_text(title: object) -> str:
    """A tooltip as plain text that pyvis keeps plain.

    pyvis switches to an ``innerHTML`` tooltip when a title contains
    ``href``; that word is broken with an invisible word joiner (U+2060).

    >>> tooltip_text(None), tooltip_text("a href b") == "a hre\u2060f b"
    ('', True)
    """
    text = s.cell_text(title)
    return re.sub("href", "hre\u2060f", text, flags=re.IGNORECASE)
