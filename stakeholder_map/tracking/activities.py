"""Which touchpoints plant a seed: the activity words that count as *exposure*, not persuasion.

"Plant seeds" is the habit of making an idea familiar before anyone is asked to
decide: share an article, let someone see the pilot's results or a demo. Such a
touch is logged as an engagement like any other; its ``activity`` says it was a
seed. This module holds that vocabulary alone, so the stance history (which must
not count a seed as a conversation), the exposure counts and the viewer's
redaction read one list.

The rule
    An activity is a seed when, compared case-insensitively with ``_`` and
    ``-`` read as spaces and runs of spaces as one, it is one of
    :data:`SEED_ACTIVITIES`, or it starts with :data:`SEED_PREFIX`
    (``"seed: podcast"``, ``"Seed: intranet post"``): the prefix lets a team
    mark any touch of its own as a seed without waiting for the list to
    grow. ``demo`` alone is *not* a seed: a demo given to someone is a
    conversation; ``demo seen`` (they watched one, nobody pitched) is.

Examples
--------
>>> [is_seed_activity(a) for a in ("Article", "results_shared", " Demo-Seen ", "seed: podcast", "demo", None)]
[True, True, True, True, False, False]
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["SEED_ACTIVITIES", "SEED_PREFIX", "REDACTED_SEED", "normal_activity", "is_seed_activity"]

#: Activities that plant a seed (matched as the module docstring says). ``seed touch`` is what a
#: viewer sees instead of any of them (:data:`REDACTED_SEED`), so a redacted map keeps its exposure.
SEED_ACTIVITIES: tuple[str, ...] = (
    "article",          # an article, blog post or paper shared
    "results shared",   # results from the pilot or another area shown to them
    "demo seen",        # they watched a demo or recording; nobody pitched
    "case study",       # a written case from a comparable organisation
    "newsletter",       # mentioned in a newsletter or intranet post they read
    "showcase",         # an open showcase or lunch-and-learn they attended
    "video",            # a short recording passed on
    "seed touch",       # the redacted word (see REDACTED_SEED)
)
#: Any activity starting with this (after normalising) is a seed too: ``seed: podcast``.
SEED_PREFIX = "seed:"
#: The activity a viewer sees for a seed touch (``privacy.redact_activities``): no text, still a seed.
REDACTED_SEED = "seed touch"

_SPACES = re.compile(r"[\s_\-]+")


def normal_activity(activity: object) -> str:
    """An activity word as the rule compares it: lower case, ``_``/``-`` as spaces, one space between words.

    >>> normal_activity("  Results_Shared "), normal_activity(None)
    ('results shared', '')
    """
    if activity is None or activity is pd.NA or activity != activity:   # None, NA or NaN
        return ""
    return _SPACES.sub(" ", str(activity)).strip().lower()


def is_seed_activity(activity: str | None) -> bool:
    """Whether a touchpoint's activity plants a seed (exposure) rather than persuades.

    >>> is_seed_activity("Case-study"), is_seed_activity("Seed:  intranet post"), is_seed_activity("meeting")
    (True, True, False)
    """
    word = normal_activity(activity)
    return bool(word) and (word in SEED_ACTIVITIES or word.startswith(SEED_PREFIX))
