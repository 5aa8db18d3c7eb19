"""A real S3 protocol server for the deploy tests: moto's standalone server (``moto_server``)
started as a subprocess on 127.0.0.1, its request log read back to see what the client did
and in which order, and a small proxy between client and server that can fail or hold a
request (an outage, a deploy killed half way) without replacing any code of ours."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import botocore.config

# werkzeug's access log: '... "PUT /bucket/key HTTP/1.1" 200 -' (colours on errors)
_REQUEST = re.compile(r'"([A-Z]+) (/[^ ]*) HTTP/1\.[01]"\s*(?:\x1b\[[0-9;]*m)?\s*(\d{3})')
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "feedpub-test",
    "AWS_SECRET_ACCESS_KEY": "feedpub-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",  # never ask 169.254.169.254 for credentials
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
UNSET_ENV = ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN")


@dataclass
class MotoServer:
    """moto_server on 127.0.0.1; :meth:`requests` reads its log from a mark."""

    process: subprocess.Popen[bytes]
    log: Path
    url: str

    @classmethod
    def start(cls, folder: Path) -> MotoServer:
        executable = shutil.which("moto_server", path=str(Path(sys.executable).parent))
        assert executable, "moto_server is not installed (pip install -e '.[test]')"
        log = folder / "moto.log"
        with log.open("wb") as stream:
            process = subprocess.Popen(
                [executable, "-H", "127.0.0.1", "-p", "0"], stdout=stream, stderr=stream
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            found = re.search(rb"Running on (http://127\.0\.0\.1:\d+)", log.read_bytes())
            if found:
                return cls(process, log, found.group(1).decode())
            assert process.poll() is None, log.read_text()
            time.sleep(0.05)
        process.kill()
        raise AssertionError("moto_server did not start: " + log.read_text())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)

    def mark(self) -> int:
        return self.log.stat().st_size

    def requests(self, since: int, bucket: str) -> list[tuple[str, str, int]]:
        """(method, key, status) of each request to ``bucket`` logged after ``since``, in order."""
        with self.log.open("rb") as stream:
            stream.seek(since)
            text = stream.read().decode("utf-8", "replace")
        found = []
        for method, path, status in _REQUEST.findall(text):
            parts = path.split("?", 1)[0].lstrip("/").split("/", 1)
            if parts[0] == bucket:
                found.append((method, parts[1] if len(parts) > 1 else "", int(status)))
        return found

    def puts(self, since: int, bucket: str) -> list[str]:
        return [
            key for m, key, s in self.requests(since, bucket) if m == "PUT" and key and s == 200
        ]


def client(url: str) -> Any:
    """A plain boto3 client of the server, to look at what a deploy left in a bucket."""
    config = botocore.config.Config(
        request_checksum_calculation="when_required", response_checksum_validation="when_required"
    )
    return boto3.session.Session(
        aws_access_key_id=AWS_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=AWS_ENV["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    ).client("s3", endpoint_url=url, config=config)


# What the proxy does with one request: pass it on, answer 503 itself, or hold it.
Rule = Callable[[str, str], str]


def passing(method: str, path: str) -> str:
    return "pass"


@dataclass
class Proxy:
    """HTTP between the client and moto: records each request and lets ``rule`` fail one
    (``"fail"``: a 503 SlowDown from the "server") or hold it until :meth:`release`."""

    upstream: str
    rule: Rule = passing
    seen: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, action
    held: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    url: str = ""
    server: ThreadingHTTPServer | None = None

    def start(self) -> Proxy:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def release(self) -> None:
        self.released.set()

    def stop(self) -> None:
        self.release()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _handler(proxy: Proxy) -> type[BaseHTTPRequestHandler]:
    host, port = proxy.upstream.removeprefix("http://").split(":")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            action = proxy.rule(self.command, self.path)
            proxy.seen.append((self.command, self.path, action))
            if action == "hold":
                proxy.held.set()
                proxy.released.wait(30)
                self.close_connection = True
                return  # the client is gone by now
            if action == "fail":
                payload = b"<Error><Code>SlowDown</Code><Message>busy</Message></Error>"
                self.send_response(503)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            upstream = http.client.HTTPConnection(host, int(port), timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                    self.send_header(key, value)
            length = answer.getheader("Content-Length") if self.command == "HEAD" else None
            self.send_header("Content-Length", length or str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            upstream.close()

        do_GET = do_PUT = do_HEAD = do_DELETE = do_POST = _any

        def log_message(self, *args: object) -> None:
            pass

    return Handler
