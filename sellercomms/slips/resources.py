"""What a packing slip may load while it becomes a PDF, and the fetcher that enforces it.

WeasyPrint loads every image, stylesheet, font and attachment a document names through one
URL fetcher.  A slip is rendered from templates a seller may have edited and orders that come
from elsewhere, so the fetcher reads only:

* ``data:`` URIs;
* ``file:`` URLs of files inside the template folders, and the seller's logo file itself
  (not its neighbours), after resolving ``..`` and symbolic links;
* ``http(s)`` images, only when the seller profile sets
  ``packing_slip.allow_remote_images``, and only for WeasyPrint's image loader (never a
  stylesheet, font, colour profile or attachment): from public addresses only, each one
  within one time limit for connecting, redirects and reading, the whole batch within
  another, up to a size cap, and only when the bytes are a PNG, JPEG, GIF, WebP or SVG image.

Anything else is refused: the resource is skipped, one warning is logged and the slip is
still produced.  WeasyPrint is imported only by :func:`url_fetcher`.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import ipaddress
import logging
import mimetypes
import re
import socket
import ssl
import sys
import threading
import time
import urllib.request
from collections import OrderedDict
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path
from types import FrameType
from typing import Any, Final
from urllib.parse import SplitResult, urljoin, urlsplit

__all__ = ["ResourcePolicy", "ResourceRefused", "url_fetcher"]

logger = logging.getLogger("sellercomms.slips")

_USER_AGENT: Final = "sellercomms (packing slips)"
_READ_BLOCK: Final = 64 * 1024
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_RASTER_TYPES: Final = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
_SVG_START: Final = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:(?:<!--.*?-->|<!DOCTYPE[^>]*>)\s*)*"
    rb"<svg[\s>/]",
    re.S,
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class ResourceRefused(ValueError):
    """A slip named a resource it may not load; the message says why.

    ``quiet`` refusals repeat one that was logged already (a host that failed before, the
    batch's time budget): they are logged at debug level only.
    """

    def __init__(self, message: str, *, quiet: bool = False) -> None:
        super().__init__(message)
        self.quiet = quiet


class ResourcePolicy:
    """The folders and files a slip may read, and how it may fetch remote images.

    ``timeout`` bounds each remote image in seconds, from the address lookup through at
    most ``max_redirects`` redirects to the last byte, as one wall-clock deadline;
    ``batch_timeout`` bounds all remote fetches of this policy together (a batch has one
    policy per process): once it is used up, remote images are skipped.  A host that fails
    or times out is not asked again.  ``max_bytes`` bounds each resource's size.  Remote
    images that were fetched are kept in memory, up to ``cache_bytes`` in all, because the
    same logo or product photo recurs on many slips.

    Remote images come only from public addresses, checked after the name is resolved and
    again after every redirect, and the connection goes to the very address that was
    checked.  ``allowed_networks`` (e.g. ``["10.20.0.0/16"]``) opens private, loopback or
    other networks on purpose: an image server on the seller's own network, or a test
    server on 127.0.0.1.  Proxy settings of the environment are not used, since a proxy
    would choose the address itself.

    >>> from sellercomms.environment import builtin_templates_dir
    >>> templates = builtin_templates_dir()
    >>> policy = ResourcePolicy(folders=[templates])
    >>> policy.local_path((templates / "packing_slip" / "slip.css").as_uri()).name
    'slip.css'
    >>> policy.local_path("file:///etc/passwd")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sellercomms.slips.resources.ResourceRefused: /etc/passwd is neither in a template folder ...
    """

    def __init__(
        self,
        *,
        folders: Iterable[Path],
        files: Iterable[Path] = (),
        allow_remote_images: bool = False,
        timeout: float = 10.0,
        batch_timeout: float = 60.0,
        max_redirects: int = 3,
        max_bytes: int = 5 * 1024 * 1024,
        cache_bytes: int = 32 * 1024 * 1024,
        allowed_networks: Iterable[str | Network] = (),
    ) -> None:
        self.folders = tuple(Path(folder).resolve() for folder in folders)
        self.files = frozenset(Path(file).resolve() for file in files)
        self.allow_remote_images = allow_remote_images
        self.timeout = timeout
        self.batch_timeout = batch_timeout
        self.max_redirects = max_redirects
        self.max_bytes = max_bytes
        self.cache_bytes = cache_bytes
        self.allowed_networks = tuple(ipaddress.ip_network(n) for n in allowed_networks)
        self._cache: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._cached_bytes = 0
        self._failed_hosts: dict[str, str] = {}
        self._remote_seconds = 0.0
        self._budget_reported = False

    def local_path(self, url: str) -> Path:
        """The file a ``file:`` URL names if a slip may read it; else :class:`ResourceRefused`."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ResourceRefused(f"{url} names another host")
        path = Path(urllib.request.url2pathname(parts.path)).resolve()
        allowed = path in self.files or any(path.is_relative_to(f) for f in self.folders)
        if not allowed:
            raise ResourceRefused(f"{path} is neither in a template folder nor the logo")
        if not path.is_file():
            raise ResourceRefused(f"{path} is not a file")
        return path

    def read(self, url: str, *, image: bool = False) -> tuple[bytes, str | None]:
        """The bytes of an allowed resource and its MIME type, or :class:`ResourceRefused`.

        ``image`` says the resource is wanted as an image: only images are fetched remotely.
        """
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            path = self.local_path(url)
            return self._read_local(path), mimetypes.guess_type(path.name)[0]
        if scheme in ("http", "https"):
            if not self.allow_remote_images:
                raise ResourceRefused(
                    f"{url} is remote and the seller profile does not set "
                    "packing_slip.allow_remote_images"
                )
            if not image:
                raise ResourceRefused(f"{url} is remote and not loaded as an image")
            return self._read_remote(url)
        raise ResourceRefused(f"{url}: {scheme or 'relative'} URLs are not loaded")

    def _read_local(self, path: Path) -> bytes:
        with path.open("rb") as handle:
            data = handle.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise ResourceRefused(f"{path} is larger than {self.max_bytes} bytes")
        return data

    def _read_remote(self, url: str) -> tuple[bytes, str]:
        cached = self._cache.get(url)
        if cached is not None:
            self._cache.move_to_end(url)
            return cached
        left = self.batch_timeout - self._remote_seconds
        if left <= 0:
            reported, self._budget_reported = self._budget_reported, True
            raise ResourceRefused(
                f"{url}: remote images took {self.batch_timeout:g} s in all; "
                "the others of this batch are left out",
                quiet=reported,
            )
        started = time.monotonic()
        try:
            data, content_type = self._fetch(url, started + min(self.timeout, left))
        finally:
            self._remote_seconds += time.monotonic() - started
        self._remember(url, data, content_type)
        return data, content_type

    def _fetch(self, url: str, deadline: float) -> tuple[bytes, str]:
        location = url
        for _ in range(self.max_redirects + 1):
            parts = urlsplit(location)
            if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
                raise ResourceRefused(f"{url} redirects to {location}, not an http(s) URL")
            host = parts.hostname
            if host in self._failed_hosts:
                raise ResourceRefused(
                    f"{url}: {host} failed earlier ({self._failed_hosts[host]})", quiet=True
                )
            try:
                with _Exchange(self, parts, deadline) as exchange:
                    status, target = exchange.response.status, exchange.location()
                    if status not in _REDIRECTS or target is None:
                        return self._image_from(url, exchange, deadline)
            except _HostFailed as failed:
                self._failed_hosts[host] = str(failed)
                raise ResourceRefused(
                    f"{url} could not be fetched: {failed}; {host} is not asked again in this batch"
                ) from None
            location = urljoin(location, target)
        raise ResourceRefused(f"{url} redirects more than {self.max_redirects} times")

    def _image_from(self, url: str, exchange: _Exchange, deadline: float) -> tuple[bytes, str]:
        response = exchange.response
        if response.status != 200:
            raise ResourceRefused(f"{url} could not be fetched: HTTP {response.status}")
        declared = response.headers.get_content_type()
        if not declared.startswith("image/"):
            raise ResourceRefused(f"{url} is {declared}, not an image")
        length = response.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            raise ResourceRefused(f"{url} is larger than {self.max_bytes} bytes")
        chunks: list[bytes] = []
        size = 0
        while block := exchange.read(_READ_BLOCK):
            size += len(block)
            if size > self.max_bytes:
                raise ResourceRefused(f"{url} is larger than {self.max_bytes} bytes")
            chunks.append(block)
        data = b"".join(chunks)
        # What the server says is not enough: a stylesheet sent as image/png is no image.
        sniffed = _image_type(data)
        if sniffed is None:
            raise ResourceRefused(f"{url} is sent as {declared} but is not an image")
        return data, sniffed

    def addresses(self, host: str, port: int, deadline: float) -> list[str]:
        """The addresses of ``host`` a slip may connect to; raises :class:`_HostFailed`."""
        found = _lookup(host, port, deadline)
        refused = [a for a in found if not self._may_connect(a)]
        if refused:
            # All or nothing: a name that also points inward is not one to trust.
            raise _HostFailed(f"{host} is at {refused[0]}, which is not a public address")
        return [str(a) for a in found]

    def _may_connect(self, address: Address) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if any(address in network for network in self.allowed_networks):
            return True
        return address.is_global and not (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_multicast
            or address.is_reserved
            or address.is_unspecified
        )

    def _remember(self, url: str, data: bytes, content_type: str) -> None:
        if len(data) > self.cache_bytes:
            return
        self._cache[url] = (data, content_type)
        self._cached_bytes += len(data)
        while self._cached_bytes > self.cache_bytes:
            _, (old, _) = self._cache.popitem(last=False)
            self._cached_bytes -= len(old)


class _HostFailed(Exception):
    """The host could not be looked up, reached or read from in time; not asked again."""


def _lookup(host: str, port: int, deadline: float) -> list[Address]:
    # getaddrinfo takes no timeout: it runs in a thread that is left behind when time is up.
    found: list[Any] = []
    failure: list[OSError] = []

    def resolve() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as error:
            failure.append(error)

    worker = threading.Thread(target=resolve, name=f"lookup {host}", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise _HostFailed(f"looking up {host} took too long")
    if failure or not found:
        raise _HostFailed(f"{host} cannot be looked up: {failure[0] if failure else 'no address'}")
    # Drop an IPv6 zone ("fe80::1%eth0") before parsing; the check does not depend on it.
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]


class _Exchange:
    """One HTTP request to an address the policy checked, within a wall-clock deadline.

    Socket timeouts bound each read, not the whole: a server trickling a byte at a time
    would pass them.  So a timer shuts the connection down at the deadline, which ends
    whatever read is waiting on it.
    """

    def __init__(self, policy: ResourcePolicy, parts: SplitResult, deadline: float) -> None:
        https = parts.scheme.lower() == "https"
        host = parts.hostname or ""
        port = parts.port or (443 if https else 80)
        self.deadline = deadline
        self._guard: socket.socket | None = None
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._cut)
        self._timer.daemon = True
        addresses = policy.addresses(host, port, deadline)
        self.connection = (
            http.client.HTTPSConnection(host, port, timeout=self._left(), context=_tls())
            if https
            else http.client.HTTPConnection(host, port, timeout=self._left())
        )
        # The connection goes to a checked address, so a second lookup cannot change it;
        # TLS still checks the certificate against the host name.
        self.connection._create_connection = (  # type: ignore[attr-defined]
            lambda _address, timeout, source: self._connect(addresses, port, source)
        )
        self._target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._host = host
        self.response: http.client.HTTPResponse

    def __enter__(self) -> _Exchange:
        self._timer.start()
        try:
            # Ask for the plain body: a compressed one could unpack past the size cap.
            self.connection.request(
                "GET",
                self._target,
                headers={"User-Agent": _USER_AGENT, "Accept-Encoding": "identity"},
            )
            self.response = self.connection.getresponse()
        except (OSError, http.client.HTTPException) as error:
            self.__exit__()
            raise self._failure(error) from None
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()
        # The response holds the socket open after the connection lets go of it.
        response: http.client.HTTPResponse | None = getattr(self, "response", None)
        if response is not None:
            response.close()
        self.connection.close()
        if self._guard is not None:
            self._guard.close()

    def location(self) -> str | None:
        """Where a redirect points, if the response is one."""
        return self.response.getheader("Location")

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes of the body; :class:`_HostFailed` when time is up."""
        try:
            block = self.response.read1(size)
        except (OSError, http.client.HTTPException) as error:
            raise self._failure(error) from None
        if not block and self._late():
            raise _HostFailed("no answer in time")
        if not block and self.response.length:
            raise _HostFailed("the connection closed before the end of the body")
        return block

    def _connect(self, addresses: list[str], port: int, source: Any) -> socket.socket:
        errors: list[OSError] = []
        for address in addresses:
            try:
                sock = socket.create_connection((address, port), self._left(), source)
            except OSError as error:
                errors.append(error)
                continue
            # A duplicate of the socket stays ours to shut down, even once TLS wraps it.
            self._guard = sock.dup()
            return sock
        raise errors[0]

    def _cut(self) -> None:
        if self._guard is not None:
            with contextlib.suppress(OSError):
                self._guard.shutdown(socket.SHUT_RDWR)

    def _left(self) -> float:
        return max(0.001, self.deadline - time.monotonic())

    def _late(self) -> bool:
        return time.monotonic() >= self.deadline

    def _failure(self, error: BaseException) -> _HostFailed:
        if self._late() or isinstance(error, TimeoutError):
            return _HostFailed("no answer in time")
        return _HostFailed(str(error) or type(error).__name__)


@functools.cache
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


def _image_type(data: bytes) -> str | None:
    """The MIME type of ``data`` if it is a PNG, JPEG, GIF, WebP or SVG image, else None."""
    from PIL import Image  # deferred: only slips with remote images need it

    try:
        with Image.open(BytesIO(data), formats=tuple(_RASTER_TYPES)) as image:
            return _RASTER_TYPES.get(image.format or "")
    except (OSError, ValueError, Image.DecompressionBombError):
        pass
    return "image/svg+xml" if _SVG_START.match(data[:4096]) else None


def url_fetcher(policy: ResourcePolicy, *, label: str = "packing slip") -> Any:
    """A WeasyPrint URL fetcher that loads only what ``policy`` allows.

    ``label`` starts each warning; set the ``label`` attribute of the returned fetcher to
    name what is being rendered (``order ACME-1003``).
    """
    return _fetcher_class()(policy, label)


@functools.cache
def _fetcher_class() -> type[Any]:
    import weasyprint.images
    import weasyprint.urls
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    # WeasyPrint passes the fetcher nothing but the URL.  Every resource is opened with
    # ``with weasyprint.urls.fetch(fetcher, url)``; the function holding that ``with`` says
    # what the resource is for, and only ``get_image_from_uri`` loads images.
    opener = weasyprint.urls.fetch.__wrapped__.__code__
    image_loader = weasyprint.images.get_image_from_uri.__code__

    def wanted_as_image() -> bool:
        frame: FrameType | None = sys._getframe(2)
        while frame is not None and frame.f_code is not opener:
            frame = frame.f_back
        while frame is not None and (
            frame.f_code is opener or frame.f_code.co_filename == contextlib.__file__
        ):
            frame = frame.f_back
        return frame is not None and frame.f_code is image_loader

    class RestrictedURLFetcher(URLFetcher):  # type: ignore[misc]
        """WeasyPrint's fetcher, reading through a :class:`ResourcePolicy`."""

        def __init__(self, policy: ResourcePolicy, label: str) -> None:
            super().__init__(timeout=policy.timeout, allow_redirects=False)
            self.policy = policy
            self.label = label

        def fetch(self, url: str, headers: Any = None) -> Any:
            if urlsplit(url).scheme.lower() == "data":
                return super().fetch(url, headers)
            try:
                data, content_type = self.policy.read(url, image=wanted_as_image())
            except ResourceRefused as refused:
                level = logging.DEBUG if refused.quiet else logging.WARNING
                logger.log(level, "%s: skipped a resource: %s", self.label, refused)
                raise
            headers = {"Content-Type": content_type} if content_type else {}
            return URLFetcherResponse(url, data, headers)

    return RestrictedURLFetcher
