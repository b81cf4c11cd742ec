"""Outgoing requests of deliveries: a timeout, no redirects, and (SSRF) no private, loopback, link-local or
reserved address unless XPENSER_WEBHOOK_ALLOW_PRIVATE; the connection goes to the address that was checked, so
a DNS answer cannot change between the check and the request."""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

HTTPException = http.client.HTTPException

RESPONSE_KEPT = 1000
USER_AGENT = "Xpenser-Webhooks/1"


class Refused(Exception):  # noqa: N818 - what happened to the request
    """The URL may not be called (its scheme, its host's addresses)."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def url_problem(url: str) -> str | None:
    """Why `url` cannot receive webhooks as written (before any DNS lookup), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "use an http:// or https:// URL with a host name"
    if parts.username or parts.password:
        return "credentials in the URL are not sent: put a secret token in the path or query instead"
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return None
    return _address_problem(address)


def _address_problem(address) -> str | None:
    if settings.XPENSER_WEBHOOK_ALLOW_PRIVATE or address.is_global:
        return None
    return f"{address} is a private, loopback or reserved address (XPENSER_WEBHOOK_ALLOW_PRIVATE allows them)"


def vetted_address(host: str, port: int) -> str:
    """The first address of `host` after checking every address it resolves to."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise Refused(f"{host}: the name does not resolve ({error.strerror})") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in found]
    for address in addresses:
        problem = _address_problem(address)
        if problem:
            raise Refused(problem)
    return str(addresses[0])


class _VettedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _VettedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)


def post(url: str, *, body: bytes, headers: dict) -> Answer:
    """POST `body` to `url`; Refused when the target is not allowed, OSError when it cannot be reached."""
    problem = url_problem(url)
    if problem:
        raise Refused(problem)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = vetted_address(parts.hostname, port)
    kind = _VettedHTTPSConnection if parts.scheme == "https" else _VettedHTTPConnection
    connection = kind(parts.hostname, port, address, settings.XPENSER_WEBHOOK_TIMEOUT)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers={
            "Content-Type": "application/json", "User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        kept = response.read(RESPONSE_KEPT).decode("utf-8", "replace")
        return Answer(response.status, kept)
    finally:
        connection.close()
