"""Record every network destination a Python process asks for, to prove the server stays on the machine.

``test_no_outbound`` copies this file as ``sitecustomize.py`` into a folder it puts first on the server's
``PYTHONPATH``; Python imports it at start-up, before Streamlit. It wraps the four ways Python code reaches
an address -- ``socket.socket.connect``, ``socket.socket.connect_ex``, ``socket.create_connection`` and
``socket.getaddrinfo`` (name lookups, which themselves go to a resolver) -- when it runs as
``sitecustomize`` (imported under its own name, it installs nothing), and appends one JSON line per
call to the file named by ``$STAKEHOLDER_MAP_CONNECT_LOG``: ``{"pid", "call", "host", "port"}``. The call
itself goes ahead unchanged: the recorder watches, it does not block. Its first line is ``{"call": "loaded"}``
so a test can tell "nothing recorded" from "recorder never ran".

Limits: only Python-level calls are seen. Connections made inside C extensions without Python's socket
module (a DuckDB extension download, for one) are not; ``strace -f -e trace=connect`` would see those.
"""

from __future__ import annotations

import json
import os
import socket

LOG_ENV = "STAKEHOLDER_MAP_CONNECT_LOG"


def _record(call: str, host, port) -> None:
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    line = json.dumps({"pid": os.getpid(), "call": call, "host": host, "port": port}, default=str)
    with open(path, "a", encoding="utf-8") as log:
        log.write(line + "\n")


def _split(address) -> tuple[object, object]:
    """(host, port) of a socket address; a Unix socket path is the host with no port."""
    if isinstance(address, tuple) and address:
        return address[0], address[1] if len(address) > 1 else None
    return address, None


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_create_connection = socket.create_connection
_getaddrinfo = socket.getaddrinfo


def _recording_connect(self, address):
    _record("connect", *_split(address))
    return _connect(self, address)


def _recording_connect_ex(self, address):
    _record("connect_ex", *_split(address))
    return _connect_ex(self, address)


def _recording_create_connection(address, *args, **kwargs):
    _record("create_connection", *_split(address))
    return _create_connection(address, *args, **kwargs)


def _recording_getaddrinfo(host, port, *args, **kwargs):
    _record("getaddrinfo", host, port)
    return _getaddrinfo(host, port, *args, **kwargs)


def install() -> None:
    """Wrap the socket functions in this process and write the ``loaded`` line."""
    socket.socket.connect = _recording_connect
    socket.socket.connect_ex = _recording_connect_ex
    socket.create_connection = _recording_create_connection
    socket.getaddrinfo = _recording_getaddrinfo
    _record("loaded", None, None)


if __name__ == "sitecustomize":  # only in the server; importing it from a test changes nothing
    install()
