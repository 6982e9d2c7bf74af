"""A very small HTTP/1.1 client over asyncio streams, for `make load` (tests/load.py).

One connection per request (gunicorn's sync workers close it after each response
anyway), a cookie jar per simulated browser, urlencoded and multipart bodies. It
follows no redirects: the load test checks every Location itself.
"""

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode


class HTTPError(Exception):
    """The server did not answer with a well-formed response in time."""


@dataclass
class Response:
    status: int
    headers: dict  # lower-case name -> list of values
    body: bytes
    seconds: float

    def header(self, name, default=""):
        values = self.headers.get(name.lower())
        return values[-1] if values else default

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


@dataclass
class Browser:
    """One applicant's phone: its cookies and the address a load balancer would forward."""

    forwarded_for: str
    cookies: dict = field(default_factory=dict)

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def remember(self, response):
        for line in response.headers.get("set-cookie", []):
            pair, _sep, attributes = line.partition(";")
            name, _eq, value = pair.strip().partition("=")
            attributes = attributes.lower()
            if "max-age=0" in attributes or "expires=thu, 01 jan 1970" in attributes:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value


def form_body(fields):
    """(content type, bytes) of an urlencoded form; list values repeat their name."""
    return "application/x-www-form-urlencoded", urlencode(fields, doseq=True).encode()


def multipart_body(fields, files):
    """(content type, bytes) of a multipart form; files map a name to (filename, type, bytes)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
    for name, (filename, content_type, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


async def request(port, method, path, *, browser=None, body=None, timeout=60.0):
    """Send one request to 127.0.0.1:`port` and read the whole response.

    `body` is (content type, bytes) or None. Raises HTTPError on a timeout, a closed
    connection or a malformed answer.
    """
    started = time.monotonic()
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Connection: close",
        "User-Agent: scholarships-load/1",
    ]
    if browser is not None:
        lines.append(f"X-Forwarded-For: {browser.forwarded_for}")
        if browser.cookies:
            lines.append(f"Cookie: {browser.cookie_header()}")
    payload = b""
    if body is not None:
        content_type, payload = body
        lines.append(f"Content-Type: {content_type}")
    if body is not None or method == "POST":
        lines.append(f"Content-Length: {len(payload)}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(head + payload)
            await writer.drain()
            status, headers = await read_head(reader)
            content = await read_body(reader, headers)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
        raise HTTPError(f"{method} {path}: {type(error).__name__} {error}".strip()) from error
    finally:
        if writer is not None:
            writer.close()
    response = Response(status, headers, content, time.monotonic() - started)
    if browser is not None:
        browser.remember(response)
    return response


async def read_head(reader):
    status_line = await reader.readline()
    parts = status_line.decode("latin-1").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ValueError(f"bad status line {status_line[:80]!r}")
    headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _colon, value = line.decode("latin-1").partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(parts[1]), headers


async def read_body(reader, headers):
    if "chunked" in ",".join(headers.get("transfer-encoding", [])).lower():
        chunks = []
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                await reader.readline()
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readline()
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"][-1]))
    return await reader.read()
