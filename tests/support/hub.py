"""A WebSub hub on 127.0.0.1 that records each publish ping (a real HTTP server, port 0)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class Hub:
    """A WebSub hub that records each publish ping and answers ``status`` after ``delay``."""

    url: str = ""
    status: int = 204
    delay: float = 0.0
    pings: list[dict[str, list[str]]] = field(default_factory=list)
    tries: int = 0

    def urls(self) -> list[str]:
        return sorted(url for ping in self.pings for url in ping["hub.url"])


def _handler(hub: Hub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # the name http.server calls
            body = self.rfile.read(int(self.headers["Content-Length"]))
            hub.tries += 1
            time.sleep(hub.delay)
            if hub.status < 300:
                assert self.headers["Content-Type"] == "application/x-www-form-urlencoded"
                hub.pings.append(parse_qs(body.decode()))
            self.send_response(hub.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def running_hubs(count: int) -> Iterator[list[Hub]]:
    """``count`` hubs, each serving on a port of its own until the block ends."""
    servers, found = [], []
    for _ in range(count):
        hub = Hub()
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
        server.daemon_threads = True
        hub.url = f"http://127.0.0.1:{server.server_address[1]}/hub"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        found.append(hub)
    try:
        yield found
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
