"""The request-forgery guard: connections only to public addresses, checked after DNS.

A server that fetches URLs for its users can be pointed at the machine itself or at the
intranet behind it (``http://127.0.0.1:8000/admin``, ``http://169.254.169.254/`` cloud
metadata). Checking the URL's host name is not enough: a public name may resolve to a private
address, or resolve to a public one when checked and a private one when connected to (DNS
rebinding). So the check sits where the connection is made: the network backend resolves the
name once, refuses it if any address is not public, and connects to the address it checked.
Every connection goes through it, so every redirect is checked too.

httpx has no public hook for its network backend, so this module builds the transport from
httpcore (httpx's own connection pool) with a guarding backend.
"""

from __future__ import annotations

import ipaddress
import socket
import typing

from translate_summarize.errors import BlockedAddressError


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved and unspecified addresses
    (IPv4-mapped IPv6 addresses are judged by their IPv4 address)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10"))  # carrier NAT
    )


def checked_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, all of them public.

    Raises:
        BlockedAddressError: one of them is not public.
        OSError: the name does not resolve.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    blocked = [address for address in addresses if not is_public_address(address)]
    if blocked:
        raise BlockedAddressError(
            f"{host} resolves to {blocked[0]}, a loopback, private, link-local or multicast address: "
            "this server does not fetch such URLs (start it with --allow-private-urls for an intranet)"
        )
    return addresses


def guarded_transport(verify: bool = True):
    """An httpx transport whose every connection goes only to public addresses."""
    import httpcore
    import httpx

    class GuardedBackend(httpcore.SyncBackend):
        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            # Connect to the address that was checked, not to the name (which could resolve
            # differently a moment later). TLS still verifies the certificate for the name:
            # httpcore passes the request's host as the server name.
            last: Exception | None = None
            try:
                addresses = checked_addresses(host, port)
            except OSError as exc:  # the name does not resolve: a connection error, as httpcore's own
                raise httpcore.ConnectError(str(exc)) from exc
            for address in addresses:
                try:
                    return super().connect_tcp(address, port, timeout, local_address, socket_options)
                except httpcore.ConnectError as exc:
                    last = exc
            raise last or httpcore.ConnectError(f"no address for {host}")

    def as_httpx(exc: Exception) -> Exception:
        # httpcore's exceptions have httpx namesakes (ConnectTimeout, ReadError...).
        return getattr(httpx, type(exc).__name__, httpx.TransportError)(str(exc))

    class Stream(httpx.SyncByteStream):
        def __init__(self, stream: typing.Iterable[bytes]):
            self.stream = stream

        def __iter__(self):
            try:
                yield from self.stream
            except httpcore.TimeoutException as exc:
                raise as_httpx(exc) from exc
            except httpcore.NetworkError as exc:
                raise as_httpx(exc) from exc
            except httpcore.ProtocolError as exc:
                raise as_httpx(exc) from exc

        def close(self) -> None:
            if hasattr(self.stream, "close"):
                self.stream.close()

    class GuardedTransport(httpx.BaseTransport):
        def __init__(self):
            self.pool = httpcore.ConnectionPool(
                ssl_context=httpx.create_ssl_context(verify=verify),
                network_backend=GuardedBackend(),
                max_connections=10,
            )

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            core_request = httpcore.Request(
                method=request.method,
                url=httpcore.URL(
                    scheme=request.url.raw_scheme,
                    host=request.url.raw_host,
                    port=request.url.port,
                    target=request.url.raw_path,
                ),
                headers=request.headers.raw,
                content=request.stream,
                extensions=request.extensions,
            )
            try:
                response = self.pool.handle_request(core_request)
            except (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError) as exc:
                raise as_httpx(exc) from exc
            except httpcore.UnsupportedProtocol as exc:
                raise httpx.UnsupportedProtocol(str(exc)) from exc
            return httpx.Response(
                status_code=response.status,
                headers=response.headers,
                stream=Stream(response.stream),
                extensions=response.extensions,
            )

        def close(self) -> None:
            self.pool.close()

    return GuardedTransport()
