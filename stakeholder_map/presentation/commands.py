"""The ``stakeholder-map`` command lines a page shows, so a result can be reproduced from the CLI.

Each function takes the values the page used and returns one shell-quoted
command line; options left at the CLI's defaults are omitted. A test runs
them through the CLI's parser, so they cannot drift from its options.

Examples
--------
>>> champions_command("My map", 1, model="ic", p=1.0, seed=0)
"stakeholder-map champions --map 'My map' -k 1 --model ic --p 1.0 --seed 0"
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping

from .. import schema as s

__all__ = ["champions_command", "simulate_command", "next_command", "seeds_command"]


def _model_args(model: str, p: float) -> list[str]:
    args = ["--model", model]
    if model == "ic":
        args += ["--p", repr(float(p))]
    return args


def _kind_args(kinds: Iterable[str] | None) -> list[str]:
    out: list[str] = []
    for kind in sorted(kinds or ()):
        out += ["--kind", str(kind)]
    return out


def champions_command(
    map_name: str,
    k: int,
    *,
    model: str = "stance",
    p: float = 0.1,
    objective: str = "everyone",
    disallowed: Iterable[str] = s.DEFAULT_DISALLOWED_STANCES,
    min_per_department: int = 0,
    pin: Iterable[str] = (),
    exclude: Iterable[str] = (),
    seed: int = 0,
    kinds: Iterable[str] | None = None,
) -> str:
    """The ``stakeholder-map champions`` command line that gives the same result.

    Options left at the CLI's defaults are omitted; every text is shell-quoted.

    Examples
    --------
    >>> champions_command("Demo", 5, objective="unconvinced", disallowed=[], pin=["E1"], seed=0)
    "stakeholder-map champions --map Demo -k 5 --model stance --objective unconvinced --disallow '' --pin E1 --seed 0"
    """
    args = ["stakeholder-map", "champions", "--map", str(map_name), *_kind_args(kinds),
            "-k", str(int(k)), *_model_args(model, p)]
    if objective != "everyone":
        args += ["--objective", objective]
    disallowed = [str(d) for d in disallowed]
    if sorted(disallowed) != sorted(s.DEFAULT_DISALLOWED_STANCES):
        args += ["--disallow", ",".join(disallowed)]
    if int(min_per_department):
        args += ["--min-per-department", str(int(min_per_department))]
    if list(pin):
        args += ["--pin", ",".join(str(x) for x in pin)]
    if list(exclude):
        args += ["--exclude", ",".join(str(x) for x in exclude)]
    args += ["--seed", str(int(seed))]
    return shlex.join(args)


def simulate_command(
    map_name: str,
    seeds: Iterable[str],
    *,
    steps: int = 10,
    runs: int = 1000,
    overrides: Mapping[str, str] | None = None,
    model: str = "stance",
    p: float = 0.1,
    seed: int = 0,
    kinds: Iterable[str] | None = None,
) -> str:
    """The ``stakeholder-map simulate`` command line that gives the same curves.

    Examples
    --------
    >>> simulate_command("Demo", ["E1", "E2"], overrides={"E3": "supporter"})
    'stakeholder-map simulate --map Demo --seeds E1,E2 --steps 10 --runs 1000 --what-if E3=supporter --model stance --seed 0'
    >>> simulate_command("Demo", ["E1"], overrides={"E3": "unknown"}).split(" --model")[0][-13:]
    '--what-if E3='
    """
    args = ["stakeholder-map", "simulate", "--map", str(map_name), *_kind_args(kinds),
            "--seeds", ",".join(str(x) for x in seeds), "--steps", str(int(steps)),
            "--runs", str(int(runs))]
    for person, stance in (overrides or {}).items():
        # The CLI reads an empty stance as unknown.
        args += ["--what-if", f"{person}={'' if stance in (None, 'unknown') else stance}"]
    args += [*_model_args(model, p), "--seed", str(int(seed))]
    return shlex.join(args)


def next_command(map_name: str, k: int, *, department: str | None = None, seed: int = 0) -> str:
    """The command line that prints the same next-conversation list.

    >>> next_command("My map", 10, department="R&D")
    "stakeholder-map next --map 'My map' -k 10 --department 'R&D' --seed 0"
    """
    parts = ["stakeholder-map", "next", "--map", map_name, "-k", str(int(k))]
    if department is not None:
        parts += ["--department", department]
    parts += ["--seed", str(int(seed))]
    return shlex.join(parts)


def seeds_command(map_name: str, k: int, *, seed: int = 0) -> str:
    """The command line that prints the same exposure and plant-seeds-next list.

    >>> seeds_command("My map", 5)
    "stakeholder-map seeds --map 'My map' -k 5 --seed 0"
    """
    return shlex.join(["stakeholder-map", "seeds", "--map", map_name, "-k", str(int(k)), "--seed", str(int(seed))])
