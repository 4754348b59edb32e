"""Team mode's configuration, read from the secrets (``.streamlit/secrets.toml``) as a plain mapping.

Team mode is on when the secrets have an ``[auth]`` section: Streamlit's OpenID Connect sign-in
(``st.login``) is then configured, and the dashboard shows nothing before sign-in. This module decides,
without Streamlit, whether that configuration is safe to run:

* ``[auth] cookie_secret`` signs the identity cookie. Anyone who knows it can forge a sign-in as anybody, so
  team mode refuses to start when it is missing, short (under :data:`MIN_COOKIE_SECRET` characters), made of
  few different characters, or a placeholder copied from an example (``"xxx"``, ``"changeme"``…).
* ``[stakeholder_map] admins = ["a@example.org"]`` names the first admins: they are admins of every map,
  so a new server has someone who can add the other members on the Admin page.

The messages never repeat the secret itself.

Examples
--------
>>> config = read_team_config({"auth": {"cookie_secret": "k3Y9q2Lz"}, "stakeholder_map": {"admins": ["A@x.org"]}})
>>> config.enabled, config.admins
(True, ('a@x.org',))
>>> print(config.problems[0])
[auth] cookie_secret is too short: 8 characters, at least 32 are needed. Make one with: python -c "import secrets; print(secrets.token_urlsafe(48))"
>>> read_team_config({}).enabled
False
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["TeamConfig", "read_team_config", "cookie_secret_problems", "normalise_email",
           "MIN_COOKIE_SECRET", "MIN_DISTINCT_CHARACTERS", "AUTH_SECTION", "APP_SECTION"]

#: The secrets section that turns team mode on (Streamlit's own, read by ``st.login``).
AUTH_SECTION = "auth"
#: This app's own secrets section (``admins``).
APP_SECTION = "stakeholder_map"
#: The shortest cookie secret accepted: 32 characters of a random token are about 190 bits.
MIN_COOKIE_SECRET = 32
#: A secret of fewer different characters is a pattern ("aaaa…", "abab…"), not a random token.
MIN_DISTINCT_CHARACTERS = 10
#: Words of the examples people copy; a secret containing one is not a secret.
_PLACEHOLDERS = ("xxx", "changeme", "change-me", "change_me", "replace", "placeholder", "your-secret",
                 "your_secret", "yoursecret", "secret-here", "example", "cookie_secret", "cookie-secret",
                 "insecure", "password", "todo", "paste", "token_urlsafe", "generate")
_MAKE_ONE = 'Make one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'


@dataclass(frozen=True)
class TeamConfig:
    """What the secrets say about team mode.

    Attributes
    ----------
    enabled : bool
        The secrets have an ``[auth]`` section: the dashboard runs in team mode (or refuses to start).
    problems : tuple of str
        Why team mode may not start (empty when it may); each says what to fix, never the secret.
    admins : tuple of str
        The first admins' e-mail addresses, lower-cased, from ``[stakeholder_map] admins``.
    provider : str or None
        The provider ``st.login`` is called with: None for the one configured in ``[auth]`` itself, else the
        first ``[auth.<name>]`` section's name.
    """

    enabled: bool
    problems: tuple[str, ...] = ()
    admins: tuple[str, ...] = ()
    provider: str | None = None

    @property
    def ready(self) -> bool:
        """Team mode is on and may start."""
        return self.enabled and not self.problems


def normalise_email(email: Any) -> str | None:
    """An e-mail address as members are stored and compared: trimmed and lower-cased; None if blank.

    >>> normalise_email("  Ann.Lee@Example.ORG ")
    'ann.lee@example.org'
    >>> normalise_email("") is None
    True
    """
    text = str(email).strip().lower() if email is not None else ""
    return text or None


def cookie_secret_problems(secret: Any) -> list[str]:
    """Why ``secret`` may not sign the identity cookie (an empty list when it may).

    >>> cookie_secret_problems("a" * 40)[0]
    '[auth] cookie_secret is not random: it has only 1 different characters.'
    >>> cookie_secret_problems("xxx-please-changeme-xxxxxxxxxxxxxxxxxxxxxx")[0]
    '[auth] cookie_secret is a placeholder from an example, not a secret.'
    >>> cookie_secret_problems("Zq3v8LwK1pN6xR0sT5yU2bH9cJ4dF7gA_-mEoIiQ")
    []
    """
    if secret is None or (isinstance(secret, str) and not secret.strip()):
        return [f"[auth] cookie_secret is missing. {_MAKE_ONE}"]
    if not isinstance(secret, str):
        return ["[auth] cookie_secret must be a string (in quotes in secrets.toml)."]
    problems = []
    lowered = secret.lower()
    if any(word in lowered for word in _PLACEHOLDERS):
        problems.append("[auth] cookie_secret is a placeholder from an example, not a secret.")
    if len(secret) < MIN_COOKIE_SECRET:
        problems.append(f"[auth] cookie_secret is too short: {len(secret)} characters, at least "
                        f"{MIN_COOKIE_SECRET} are needed. {_MAKE_ONE}")
    distinct = len(set(secret))
    if distinct < MIN_DISTINCT_CHARACTERS:
        problems.append(f"[auth] cookie_secret is not random: it has only {distinct} different characters.")
    return problems


def _admins(section: Any) -> tuple[tuple[str, ...], list[str]]:
    if section is None:
        return (), []
    if not isinstance(section, Mapping):
        return (), [f"[{APP_SECTION}] must be a section (a table) of secrets.toml."]
    value = section.get("admins", ())
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return (), [f'[{APP_SECTION}] admins must be a list of e-mail addresses, e.g. admins = ["ann@example.org"].']
    admins, problems = [], []
    for item in value:
        email = normalise_email(item) if isinstance(item, str) else None
        if email is None or "@" not in email or any(c.isspace() for c in email):
            problems.append(f"[{APP_SECTION}] admins has an entry that is not an e-mail address: {item!r}.")
        elif email not in admins:
            admins.append(email)
    return tuple(admins), problems


def read_team_config(secrets: Mapping[str, Any]) -> TeamConfig:
    """Team mode's configuration from the secrets (a mapping such as ``st.secrets``).

    Parameters
    ----------
    secrets : Mapping
        The parsed secrets: ``[auth]`` (Streamlit's sign-in settings) and ``[stakeholder_map]``.

    Returns
    -------
    TeamConfig
        ``enabled`` False without ``[auth]`` (the single-user local tool); else the problems that keep
        team mode from starting (a missing or weak ``cookie_secret``, a missing ``redirect_uri`` or
        provider, malformed admins) and the first admins.
    """
    auth = secrets.get(AUTH_SECTION) if isinstance(secrets, Mapping) else None
    if auth is None:
        return TeamConfig(enabled=False)
    if not isinstance(auth, Mapping):
        return TeamConfig(enabled=True, problems=(f"[{AUTH_SECTION}] must be a section (a table) of secrets.toml.",))
    problems = cookie_secret_problems(auth.get("cookie_secret"))
    if not str(auth.get("redirect_uri") or "").rstrip("/").endswith("/oauth2callback"):
        problems.append("[auth] redirect_uri is missing or does not end with /oauth2callback "
                        "(e.g. https://stakeholders.example.org/oauth2callback).")
    providers = [key for key, value in auth.items() if isinstance(value, Mapping)]
    if not auth.get("client_id") and not providers:
        problems.append("[auth] names no identity provider: give client_id, client_secret and "
                        "server_metadata_url (or an [auth.<name>] section).")
    admins, admin_problems = _admins(secrets.get(APP_SECTION))
    provider = None if auth.get("client_id") or not providers else str(providers[0])
    return TeamConfig(enabled=True, problems=tuple(problems + admin_problems), admins=admins, provider=provider)
