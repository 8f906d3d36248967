"""Running the preview: on a loopback address only, until Ctrl+C.

The preview shows customers' names and addresses from the orders it reads and has no login,
so it listens on this machine's loopback interface and nowhere else.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from typing import Final

import uvicorn

from .access import KEY_PARAMETER, LOOPBACK_HOSTS
from .app import PreviewApp
from .watch import Hub
from .workspace import Sources, Workspace

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "PreviewServer", "bind", "loopback_address"]

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8025
# Seconds shutdown waits for requests in progress (a slip being rendered) before ending them.
_GRACE_SECONDS: Final = 3


def loopback_address(host: str) -> str:
    """``host`` as a loopback IP address (``localhost`` is 127.0.0.1); ``ValueError`` else.

    >>> loopback_address("localhost"), loopback_address("[::1]")
    ('127.0.0.1', '::1')
    >>> loopback_address("0.0.0.0")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ValueError: the preview listens on loopback only
    """
    if host.lower() == "localhost":
        return DEFAULT_HOST
    try:
        address = ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        address = None
    if address is None or not address.is_loopback:
        raise ValueError(
            "the preview listens on loopback only (127.0.0.1, ::1 or localhost), "
            f"not {host!r}: it shows customer data and has no login"
        )
    return str(address)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on loopback ``host`` and ``port`` (0: a free port).

    Raises ``ValueError`` for a host that is not loopback and ``OSError`` when the port is
    taken or the address unusable.
    """
    address = loopback_address(host)
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise OSError(
                error.errno, f"port {port} is in use: pass --port N, or --port 0 for a free one"
            ) from None
        raise
    return sock


class PreviewServer:
    """The preview of ``sources`` on a socket bound at once, so its URL is known before it
    runs and a taken port fails before anything starts.

    :meth:`run` serves until Ctrl+C or :meth:`stop` (which another thread may call).
    """

    def __init__(
        self, sources: Sources, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
    ) -> None:
        self.workspace = Workspace(sources)
        # Read everything once now: the first page is then quick, and the watcher learns
        # where the seller's logo is.
        self.workspace.snapshot()
        self.socket = bind(host, port)
        address, bound_port = self.socket.getsockname()[:2]
        name = f"[{address}]" if ":" in address else address
        #: Where the preview answers; pages under it need the key or a browser's own request.
        self.address = f"http://{name}:{bound_port}/"
        self.preview = PreviewApp(self.workspace, hosts=LOOPBACK_HOSTS | {name})
        #: The address to open: with the key, for clients that do not say where a request
        #: comes from (see :mod:`sellercomms.preview.access`).
        self.url = f"{self.address}?{KEY_PARAMETER}={self.preview.key}"
        config = uvicorn.Config(
            self.preview.app,
            lifespan="on",
            ws="none",
            log_level="warning",
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=_GRACE_SECONDS,
        )
        self._server = _Server(config, self.preview.hub)

    @property
    def started(self) -> bool:
        """Whether the server accepts requests."""
        return self._server.started

    def run(self) -> None:
        """Serve until stopped; the socket is closed afterwards."""
        try:
            self._server.run(sockets=[self.socket])
        finally:
            self.socket.close()

    def stop(self) -> None:
        """Ask the server to finish its requests and stop."""
        self._server.should_exit = True


class _Server(uvicorn.Server):
    """Ends the live-reload streams first when shutting down: they never end by themselves,
    and the server would otherwise wait for every open page to be closed."""

    def __init__(self, config: uvicorn.Config, hub: Hub) -> None:
        super().__init__(config)
        self.hub = hub

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.hub.close()
        await super().shutdown(sockets=sockets)
