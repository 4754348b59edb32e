"""Team mode's configuration: on with [auth], refused with a weak cookie secret, first admins read."""

from __future__ import annotations

import pytest

from stakeholder_map.team_config import MIN_COOKIE_SECRET, cookie_secret_problems, read_team_config

GOOD = "Zq3v8LwK1pN6xR0sT5yU2bH9cJ4dF7gA_-mEoIiQ7yT2"
AUTH = {"redirect_uri": "https://sm.example.org/oauth2callback", "cookie_secret": GOOD, "client_id": "sm",
        "client_secret": "s3cr3t", "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}


def test_without_auth_team_mode_is_off():
    assert not read_team_config({}).enabled
    assert not read_team_config({"stakeholder_map": {"admins": ["a@x.org"]}}).enabled


def test_a_complete_auth_section_is_ready_and_names_the_first_admins():
    config = read_team_config({"auth": AUTH, "stakeholder_map": {"admins": [" Ann@X.org", "bo@x.org", "ann@x.org"]}})
    assert config.ready and config.problems == ()
    assert config.admins == ("ann@x.org", "bo@x.org")
    assert config.provider is None


@pytest.mark.parametrize("secret, word", [
    (None, "missing"), ("", "missing"), ("short-but-random-9Xq", "too short"), ("a" * 64, "not random"),
    ("xxx" + GOOD, "placeholder"), ("changeme-" + GOOD, "placeholder"), (12345, "string"),
])
def test_a_missing_or_weak_cookie_secret_refuses_team_mode(secret, word):
    config = read_team_config({"auth": dict(AUTH, cookie_secret=secret)})
    assert config.enabled and not config.ready
    assert any(word in problem for problem in config.problems)
    if isinstance(secret, str) and secret:
        assert not any(secret in problem for problem in config.problems), "the secret is never repeated"


def test_the_shortest_accepted_secret():
    secret = GOOD[:MIN_COOKIE_SECRET]
    assert cookie_secret_problems(secret) == []
    assert cookie_secret_problems(secret[:-1]) != []


def test_a_named_provider_is_used_when_auth_has_no_client_of_its_own():
    auth = {k: v for k, v in AUTH.items() if k in ("redirect_uri", "cookie_secret")}
    auth["microsoft"] = {"client_id": "x", "client_secret": "y", "server_metadata_url": "https://login/x"}
    config = read_team_config({"auth": auth})
    assert config.ready and config.provider == "microsoft"


def test_missing_redirect_uri_provider_and_bad_admins_are_reported():
    config = read_team_config({"auth": {"cookie_secret": GOOD}, "stakeholder_map": {"admins": ["not an address", 3]}})
    text = " ".join(config.problems)
    assert "redirect_uri" in text and "identity provider" in text and text.count("not an e-mail address") == 2
    assert not read_team_config({"auth": AUTH, "stakeholder_map": {"admins": "a@x.org"}}).problems
    assert read_team_config({"auth": AUTH, "stakeholder_map": {"admins": 5}}).problems
