"""What a packing slip may load while it becomes a PDF, and the fetcher that enforces it.

WeasyPrint loads every image, stylesheet, font and attachment a document names through one
URL fetcher.  A slip is rendered from templates a seller may have edited and orders that come
from elsewhere, so the fetcher reads only:

* ``data:`` URIs;
* ``file:`` URLs of files inside the template folders, and the seller's logo file itself
  (not its neighbours), after resolving ``..`` and symbolic links;
* ``http(s)`` images, only when the seller profile sets
  ``packing_slip.allow_remote_images``: each one within a time limit and a size cap, and
  only when the server says it is an image.

Anything else is refused: the resource is skipped, one warning is logged and the slip is
still produced.  WeasyPrint is imported only by :func:`url_fetcher`.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

__all__ = ["ResourcePolicy", "ResourceRefused", "url_fetcher"]

logger = logging.getLogger("sellercomms.slips")

_USER_AGENT: Final = "sellercomms (packing slips)"
_READ_BLOCK: Final = 64 * 1024


class ResourceRefused(ValueError):
    """A slip named a resource it may not load; the message says why."""


class ResourcePolicy:
    """The folders and files a slip may read, and how it may fetch remote images.

    ``timeout`` bounds each remote image in seconds (connecting and reading together);
    ``max_bytes`` bounds its size.  Remote images that were fetched are kept in memory, up to
    ``cache_bytes`` in all, because the same logo or product photo recurs on many slips.

    >>> from sellercomms.environment import builtin_templates_dir
    >>> templates = builtin_templates_dir()
    >>> policy = ResourcePolicy(folders=[templates])
    >>> policy.local_path((templates / "packing_slip" / "slip.css").as_uri()).name
    'slip.css'
    >>> policy.local_path("file:///etc/passwd")
    Traceback (most recent call last):
    ...
    sellercomms.fetcher.ResourceRefused: /etc/passwd is neither in a template folder nor the logo
    """

    def __init__(
        self,
        *,
        folders: Iterable[Path],
        files: Iterable[Path] = (),
        allow_remote_images: bool = False,
        timeout: float = 10.0,
        max_bytes: int = 5 * 1024 * 1024,
        cache_bytes: int = 32 * 1024 * 1024,
    ) -> None:
        self.folders = tuple(Path(folder).resolve() for folder in folders)
        self.files = frozenset(Path(file).resolve() for file in files)
        self.allow_remote_images = allow_remote_images
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.cache_bytes = cache_bytes
        self._cache: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._cached_bytes = 0

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

    def read(self, url: str) -> tuple[bytes, str | None]:
        """The bytes of an allowed resource and its MIME type, or :class:`ResourceRefused`."""
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
        deadline = time.monotonic() + self.timeout
        # Ask for the plain body: a compressed one could unpack past the size cap.
        request = urllib.request.Request(
            url, headers={"User-Agent": _USER_AGENT, "Accept-Encoding": "identity"}
        )
        try:
            with _opener().open(request, timeout=self.timeout) as response:
                content_type = response.headers.get_content_type()
                if not content_type.startswith("image/"):
                    raise ResourceRefused(f"{url} is {content_type}, not an image")
                length = response.headers.get("Content-Length")
                if length is not None and length.isdigit() and int(length) > self.max_bytes:
                    raise ResourceRefused(f"{url} is larger than {self.max_bytes} bytes")
                data = self._read_within(response, url, deadline)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            if isinstance(exc, ResourceRefused):
                raise
            raise ResourceRefused(f"{url} could not be fetched: {exc}") from None
        self._remember(url, data, content_type)
        return data, content_type

    def _read_within(self, response: Any, url: str, deadline: float) -> bytes:
        # The socket timeout bounds each read; a server trickling bytes would still pass it,
        # hence the overall deadline.
        chunks: list[bytes] = []
        size = 0
        while block := response.read(_READ_BLOCK):
            size += len(block)
            if size > self.max_bytes:
                raise ResourceRefused(f"{url} is larger than {self.max_bytes} bytes")
            if time.monotonic() > deadline:
                raise ResourceRefused(f"{url} took longer than {self.timeout:g} s")
            chunks.append(block)
        return b"".join(chunks)

    def _remember(self, url: str, data: bytes, content_type: str) -> None:
        if len(data) > self.cache_bytes:
            return
        self._cache[url] = (data, content_type)
        self._cached_bytes += len(data)
        while self._cached_bytes > self.cache_bytes:
            _, (old, _) = self._cache.popitem(last=False)
            self._cached_bytes -= len(old)


@functools.cache
def _opener() -> urllib.request.OpenerDirector:
    # Only HTTP and HTTPS: without file and FTP handlers a redirect cannot lead to a local file.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def url_fetcher(policy: ResourcePolicy, *, label: str = "packing slip") -> Any:
    """A WeasyPrint URL fetcher that loads only what ``policy`` allows.

    ``label`` starts each warning; set the ``label`` attribute of the returned fetcher to
    name what is being rendered (``order ACME-1003``).
    """
    return _fetcher_class()(policy, label)


@functools.cache
def _fetcher_class() -> type[Any]:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RestrictedURLFetcher(URLFetcher):  # type: ignore[misc]
        """WeasyPrint's fetcher, reading through a :class:`ResourcePolicy`."""

        def __init__(self, policy: ResourcePolicy, label: str) -> None:
            super().__init__(timeout=policy.timeout, allow_redirects=True)
            self.policy = policy
            self.label = label

        def fetch(self, url: str, headers: Any = None) -> Any:
            if urlsplit(url).scheme.lower() == "data":
                return super().fetch(url, headers)
            try:
                data, content_type = self.policy.read(url)
            except ResourceRefused as refused:
                logger.warning("%s: skipped a resource: %s", self.label, refused)
                raise
            headers = {"Content-Type": content_type} if content_type else {}
            return URLFetcherResponse(url, data, headers)

    return RestrictedURLFetcher
