"""Private by default: the real server, run on the shipped ``.streamlit/config.toml``, listens on loopback
only and makes no connection off the machine while every page is opened in a browser.

The server is ``streamlit run app.py`` with only its port given on the command line, a fresh database, and
``connection_recorder`` installed as its ``sitecustomize``: every address its Python code connects to or
looks up is written to a log, which the test reads after the visit.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import socket
import struct
from pathlib import Path

import pytest
from tests.e2e import connection_recorder
from tests.e2e.e2e_support import open_page, outside_requests, prepare_database, start_server, stop_server, wait_graph

#: Host names that never leave the machine (``None``/"" is a passive lookup for a bind).
LOCAL_NAMES = {None, "", "localhost"}


def is_local(host) -> bool:
    """Whether a connect or lookup target stays on this machine: loopback, a wildcard, or a Unix socket path."""
    if host in LOCAL_NAMES or (isinstance(host, str) and host.endswith(".localhost")):
        return True
    if isinstance(host, str) and host.startswith("/"):
        return True
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False  # a name other than localhost: its lookup alone goes to a resolver
    return address.is_loopback or address.is_unspecified


def outbound(records: list[dict]) -> list[dict]:
    """The recorded calls that aim off the machine."""
    return [r for r in records if r["call"] != "loaded" and not is_local(r["host"])]


def _hex_address(text: str) -> str:
    """An address as /proc/net/tcp{,6} writes it (host-order 32-bit words in hex) -> its usual text."""
    raw = bytes.fromhex(text)
    words = b"".join(struct.pack("@I", struct.unpack(">I", raw[i:i + 4])[0]) for i in range(0, len(raw), 4))
    return socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6, words)


def listening_addresses(pid: int) -> list[str]:
    """The local addresses of the TCP sockets process ``pid`` listens on, read from /proc (Linux)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A = LISTEN
                host, port = local.split(":")
                found.append(f"{_hex_address(host)}:{int(port, 16)}")
    return found


def page_urls(page, url: str) -> list[str]:
    """Every page of the app, as the sidebar's navigation links them (from the Map: the demo has touchpoints,
    so the app opens on This week)."""
    open_page(page, f"{url}/map")
    wait_graph(page)
    links = page.locator("[data-testid='stSidebarNav'] a")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def test_server_listens_on_loopback_and_connects_nowhere_else(page, requests_seen, tmp_path):
    if not Path("/proc/self/net/tcp").exists():
        pytest.skip("reads listening sockets from /proc (Linux)")
    probe = tmp_path / "probe"
    probe.mkdir()
    shutil.copy(connection_recorder.__file__, probe / "sitecustomize.py")
    log = tmp_path / "connections.jsonl"
    db = tmp_path / "fresh.duckdb"
    prepare_database(db)
    path = os.pathsep.join(p for p in (str(probe), os.environ.get("PYTHONPATH", "")) if p)
    env = {"PYTHONPATH": path, connection_recorder.LOG_ENV: str(log)}
    process, url = start_server(db, log=tmp_path / "streamlit.log", shipped_config=True, env=env)
    try:
        listening = listening_addresses(process.pid)
        urls = page_urls(page, url)
        for address in urls:
            open_page(page, address)
        open_page(page, url.replace("127.0.0.1", "localhost") + "/map")  # the name a user may type works too
        wait_graph(page)
    finally:
        stop_server(process)

    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert any(r["call"] == "loaded" and r["pid"] == process.pid for r in records), "recorder not loaded"
    assert len(urls) >= 6, urls
    assert outbound(records) == []
    assert listening and all(ipaddress.ip_address(a.rsplit(":", 1)[0]).is_loopback for a in listening), listening
    assert outside_requests(requests_seen) == []
