"""How a command fails: library errors become one line on stderr and an exit code.

Refused input (a broken contract, a map that already exists) exits 2, a busy
database exits 3, any other error of the library or the file system exits 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps

import click

from ..errors import ContractError, DatabaseBusy, MapExists, StakeholderMapError

EXIT_REFUSED = 2
EXIT_BUSY = 3


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handle_errors(command: Callable) -> Callable:
    """Turn library errors into a message on stderr and an exit code."""
    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ContractError as e:
            _fail(e.summary(), EXIT_REFUSED)
        except MapExists as e:
            _fail(str(e), EXIT_REFUSED)
        except DatabaseBusy as e:
            _fail(str(e), EXIT_BUSY)
        except StakeholderMapError as e:
            _fail(str(e), 1)
        except (OSError, ValueError) as e:
            _fail(str(e), 1)
    return wrapper
