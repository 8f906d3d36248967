"""Remote images on packing slips: one deadline per image, a budget per batch, hosts that
failed are not asked again, only public addresses (after every redirect), and only images:
a stylesheet, font or attachment is never fetched, whatever the server calls it."""

from __future__ import annotations

import contextlib
import http.server
import logging
import threading
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any, ClassVar

import pytest
import weasyprint
from pdf_helpers import page_texts
from PIL import Image

from sellercomms import Renderer, parse_seller, sample_orders
from sellercomms.slips.resources import ResourcePolicy, ResourceRefused, url_fetcher

LOOPBACK = ["127.0.0.0/8"]
HANG_LIMIT = 60.0  # generous: only a hang comes near it


def _png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (30, 12), "blue").save(out, format="PNG")
    return out.getvalue()


PNG = _png()
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'
CSS = b'p::after { content: "INJECTED" } body { background: red }'


class _Handler(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []
    stop: ClassVar[threading.Event] = threading.Event()

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0]
        self.requests.append(f"{host}{self.path}")
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer()  # unless the client gave up, as it should have

    def _answer(self) -> None:
        path = self.path
        if path.startswith("/hop/"):  # /hop/3 -> /hop/2 -> ... -> /hop/0 -> the image
            left = int(path.rsplit("/", 1)[1])
            self._send(302, b"", Location="/logo.png" if left == 0 else f"/hop/{left - 1}")
        elif path.startswith("/to?"):
            self._send(302, b"", Location=path.split("?", 1)[1])
        elif path == "/trickle.png":
            # Headers at once, then a byte now and then: every single read is quick.
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            for byte in PNG:
                if self.stop.wait(0.05):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        elif path == "/silent.png":
            self.stop.wait(HANG_LIMIT)
        else:
            body, kind = {
                "/logo.png": (PNG, "image/png"),
                "/logo.svg": (SVG, "image/svg+xml"),
                "/octets.png": (PNG, "image/png"),
                "/style.css": (CSS, "image/png"),
                "/font.woff": (b"wOFF" + bytes(64), "image/png"),
                "/page.png": (b"<html><body>a page</body></html>", "image/png"),
            }.get(path, (b"", "text/plain"))
            self._send(200 if body else 404, body, **{"Content-Type": kind})

    def _send(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """``http://127.0.0.1:<port>``; ``localhost:<port>`` reaches it as a second host."""
    _Handler.requests = []
    _Handler.stop = threading.Event()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        _Handler.stop.set()
        httpd.shutdown()
        httpd.server_close()


def _policy(**options: Any) -> ResourcePolicy:
    return ResourcePolicy(folders=[], allow_remote_images=True, **options)


def _bounded(action: Callable[[], Any]) -> Any:
    """What ``action`` returned or raised, failing the test instead of hanging."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(action())
        except Exception as error:
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_LIMIT)
    assert not worker.is_alive(), f"still fetching after {HANG_LIMIT:g} s"
    return outcome[0]


def _slip_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "sellercomms.slips" and r.levelno >= logging.WARNING
    ]


# --- time ----------------------------------------------------------------------------------


def test_a_trickling_server_is_cut_off_at_the_deadline(server: str) -> None:
    policy = _policy(timeout=0.5, allowed_networks=LOOPBACK)
    error = _bounded(lambda: policy.read(f"{server}/trickle.png", image=True))
    assert isinstance(error, ResourceRefused)
    assert "no answer in time" in str(error)


def test_a_host_that_timed_out_is_not_asked_again(
    server: str, caplog: pytest.LogCaptureFixture
) -> None:
    policy = _policy(timeout=0.3, allowed_networks=LOOPBACK)
    html = "".join(f'<img src="{server}/{name}">' for name in ("silent.png", "logo.png", "x.png"))
    fetcher = url_fetcher(policy, label="order A-1")
    with caplog.at_level(logging.WARNING):
        _bounded(lambda: weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf())
    assert _Handler.requests == ["127.0.0.1/silent.png"]
    assert _slip_warnings(caplog) == [
        f"order A-1: skipped a resource: {server}/silent.png could not be fetched: no answer "
        "in time; 127.0.0.1 is not asked again in this batch"
    ]


def test_the_batch_budget_ends_remote_fetching_with_one_warning(
    server: str, caplog: pytest.LogCaptureFixture
) -> None:
    other = server.replace("127.0.0.1", "localhost")
    policy = _policy(timeout=10, batch_timeout=0.3, allowed_networks=LOOPBACK)
    html = f'<img src="{server}/silent.png">' + "".join(
        f'<img src="{other}/{n}.png">' for n in range(5)
    )
    fetcher = url_fetcher(policy, label="order A-1")
    with caplog.at_level(logging.WARNING):
        _bounded(lambda: weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf())
    assert _Handler.requests == ["127.0.0.1/silent.png"]  # localhost was never asked
    warnings = _slip_warnings(caplog)
    assert len(warnings) == 2
    assert "silent.png could not be fetched: no answer in time" in warnings[0]
    assert warnings[1].endswith(
        "remote images took 0.3 s in all; the others of this batch are left out"
    )


# --- addresses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1:{port}",
        "localhost:{port}",
        "2130706433:{port}",  # 127.0.0.1 as one number
        "[::1]:{port}",
        "[::ffff:127.0.0.1]:{port}",
        "0.0.0.0:{port}",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",
        "[fe80::1]",
        "[fd00::1]",
        "224.0.0.1",
        "240.0.0.1",
    ],
)
def test_private_and_special_addresses_are_refused_before_connecting(
    server: str, address: str
) -> None:
    port = server.rsplit(":", 1)[1]
    url = f"http://{address.format(port=port)}/logo.png"
    with pytest.raises(ResourceRefused, match="which is not a public address"):
        _policy().read(url, image=True)
    assert _Handler.requests == []


def test_loopback_logo_in_a_real_render_is_refused(
    server: str, caplog: pytest.LogCaptureFixture
) -> None:
    seller = parse_seller(
        {
            "name": "Test Shop",
            "email": "help@test-shop.example",
            "logo": f"{server}/logo.png",
            "packing_slip": {"allow_remote_images": True},
        }
    )
    with caplog.at_level(logging.WARNING):
        pdf = Renderer(seller).packing_slips(sample_orders()[:1])
    assert page_texts(pdf)
    assert _Handler.requests == []
    warnings = _slip_warnings(caplog)
    assert any("127.0.0.1 is at 127.0.0.1, which is not a public address" in w for w in warnings)


def test_allowed_networks_open_only_what_they_name(server: str) -> None:
    assert _policy(allowed_networks=LOOPBACK).read(f"{server}/logo.png", image=True)[0] == PNG
    with pytest.raises(ResourceRefused, match="not a public address"):
        _policy(allowed_networks=["127.0.0.2/32"]).read(f"{server}/x.png", image=True)
    assert _Handler.requests == ["127.0.0.1/logo.png"]


# --- redirects -----------------------------------------------------------------------------


def test_redirects_are_followed_up_to_the_limit(server: str) -> None:
    policy = _policy(allowed_networks=LOOPBACK, max_redirects=3)
    assert policy.read(f"{server}/hop/2", image=True)[0] == PNG
    with pytest.raises(ResourceRefused, match="redirects more than 3 times"):
        policy.read(f"{server}/hop/3", image=True)


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("http://169.254.169.254/latest/meta-data/", "not a public address"),
        ("http://10.0.0.1/logo.png", "not a public address"),
        ("http://127.0.0.2:{port}/logo.png", "not a public address"),
        ("file:///etc/passwd", r"not an http\(s\) URL"),
    ],
)
def test_every_redirect_is_checked_again(server: str, target: str, why: str) -> None:
    # Only the first server may be reached: where it redirects to is checked anew.
    policy = _policy(allowed_networks=["127.0.0.1/32"])
    port = server.rsplit(":", 1)[1]
    with pytest.raises(ResourceRefused, match=why):
        policy.read(f"{server}/to?{target.format(port=port)}", image=True)
    assert len(_Handler.requests) == 1


# --- only images ---------------------------------------------------------------------------


def test_only_images_are_fetched_and_only_image_bytes_are_used(
    server: str, caplog: pytest.LogCaptureFixture
) -> None:
    html = (
        f'<html><head><link rel="stylesheet" href="{server}/style.css">'
        f"<style>@import url({server}/style.css);"
        f"@font-face {{ font-family: Remote; src: url({server}/font.woff) }}"
        "p { font-family: Remote }</style></head><body><p>Slip</p>"
        f'<img src="{server}/style.css"><img src="{server}/logo.png">'
        f'<img src="{server}/logo.svg"><object data="{server}/page.png"></object>'
        f'<a rel="attachment" href="{server}/logo.png">file</a></body></html>'
    )
    fetcher = url_fetcher(_policy(allowed_networks=LOOPBACK), label="order A-1")
    with caplog.at_level(logging.WARNING):
        pdf = _bounded(lambda: weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf())
    assert "INJECTED" not in page_texts(pdf)[0]
    # The stylesheet, the font and the attachment were never asked for; the stylesheet
    # asked for as an image came back and was not used.
    assert sorted(_Handler.requests) == sorted(
        f"127.0.0.1{p}" for p in ("/style.css", "/logo.png", "/logo.svg", "/page.png")
    )
    warnings = _slip_warnings(caplog)
    assert any("style.css is sent as image/png but is not an image" in w for w in warnings)
    assert any("page.png is sent as image/png but is not an image" in w for w in warnings)
    assert sum("is remote and not loaded as an image" in w for w in warnings) == 4


def test_the_type_returned_is_the_one_the_bytes_show(server: str) -> None:
    policy = _policy(allowed_networks=LOOPBACK)
    assert policy.read(f"{server}/logo.svg", image=True) == (SVG, "image/svg+xml")
    assert policy.read(f"{server}/octets.png", image=True) == (PNG, "image/png")
    with pytest.raises(ResourceRefused, match="is remote and not loaded as an image"):
        policy.read(f"{server}/logo.png")
    assert _Handler.requests == ["127.0.0.1/logo.svg", "127.0.0.1/octets.png"]
