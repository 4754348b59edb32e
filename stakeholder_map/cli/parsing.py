"""Option text to values; bad text is a usage error that names the option (exit 2)."""

from __future__ import annotations

import click


def parse_receptiveness(text: str | None) -> dict[str, float] | None:
    """``"skeptic=0.4, resistant=0.1"`` → ``{"skeptic": 0.4, "resistant": 0.1}``."""
    if not text:
        return None
    factors = {}
    for item in text.split(","):
        stance, sep, value = item.partition("=")
        try:
            factors[stance.strip().lower()] = float(value)
        except ValueError:
            raise click.BadParameter(f"{item.strip()!r} is not STANCE=NUMBER",
                                     param_hint="--receptiveness") from None
        if not sep or not 0 <= factors[stance.strip().lower()] <= 1:
            raise click.BadParameter(f"{item.strip()!r}: the factor must be between 0 and 1",
                                     param_hint="--receptiveness")
    return factors


def split_ids(text: str | None) -> list[str]:
    """``"a, b,c"`` → ``["a", "b", "c"]``."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def parse_what_ifs(items: tuple[str, ...]) -> dict[str, int | None]:
    """``("E028=supporter",)`` → ``{"E028": 1}``."""
    from ..schema import parse_stance

    overrides = {}
    for item in items:
        person, sep, stance = item.partition("=")
        if not sep or not person.strip():
            raise click.BadParameter(f"{item!r} is not ID=STANCE", param_hint="--what-if")
        try:
            overrides[person.strip()] = parse_stance(stance)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--what-if") from None
    return overrides


def parse_date(value: str | None, hint: str):
    """``YYYY-MM-DD`` → date (None stays None)."""
    from ..tracking.history import as_date

    if value is None:
        return None
    try:
        return as_date(value)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint=hint) from None


def parse_stance_option(value: str | None, hint: str) -> int | None:
    """A stance word or -2..2 → -2..2 (None stays None)."""
    from ..schema import parse_stance

    if value is None:
        return None
    try:
        return parse_stance(value)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint=hint) from None


def parse_target(text: str) -> float:
    """``"60%"``, ``"60"`` or ``"0.6"`` → 0.6."""
    value = text.strip()
    try:
        number = float(value.rstrip("%"))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a share (e.g. 60% or 0.6)", param_hint="--target") from None
    if value.endswith("%") or number > 1:
        number /= 100
    if not 0 < number <= 1:
        raise click.BadParameter(f"{text!r}: a target is a share above 0 and at most 100%", param_hint="--target")
    return number
