"""What a packing slip may load: template folders, the logo file, data: URIs, and remote
images only when the seller allows them.  Refused resources are skipped with a warning and
never end up in the PDF."""

from __future__ import annotations

import base64
import http.server
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pdf_helpers import all_stream_data, page_texts, reader
from PIL import Image

from sellercomms import Renderer, Seller, parse_seller, sample_orders
from sellercomms.slips.printer import SlipPrinter
from sellercomms.slips.resources import ResourcePolicy, ResourceRefused

# The test servers listen on loopback, which slips may reach only when told so.
LOOPBACK = ["127.0.0.0/8"]

PASSWD = Path("/etc/passwd")


def _png(path: Path, size: tuple[int, int], colour: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)
    return path


def _seller(**fields: Any) -> Seller:
    data = {"name": "Test Shop", "email": "help@test-shop.example", **fields}
    return parse_seller(data)


def _templates(folder: Path, body: str) -> Path:
    """A template folder whose packing slip is ``body`` inside a minimal page."""
    slip = folder / "packing_slip" / "slip.html"
    slip.parent.mkdir(parents=True)
    slip.write_text(
        "<html><head><title>Slip</title></head><body>"
        "<p>Slip {{ order.order_id }}</p>"
        '{% if slip.logo_url %}<img src="{{ slip.logo_url }}" alt="">{% endif %}'
        f"{body}</body></html>",
        encoding="utf-8",
    )
    return folder


def _image_widths(pdf: bytes) -> list[int]:
    widths = []
    for page in reader(pdf).pages:
        objects = page["/Resources"].get("/XObject") or {}
        widths += [
            int(x.get_object()["/Width"])
            for x in objects.values()
            if x.get_object().get("/Subtype") == "/Image"
        ]
    return widths


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


# --- the policy on its own ------------------------------------------------------------------


def test_files_inside_the_template_folders_are_readable(tmp_path: Path) -> None:
    inside = _png(tmp_path / "templates" / "packing_slip" / "stamp.png", (4, 4), "red")
    policy = ResourcePolicy(folders=[tmp_path / "templates"])
    data, kind = policy.read(inside.as_uri())
    assert data == inside.read_bytes()
    assert kind == "image/png"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://fileserver/share/secret.png",
        "ftp://example.com/logo.png",
        "javascript:alert(1)",
    ],
)
def test_other_urls_are_refused(tmp_path: Path, url: str) -> None:
    policy = ResourcePolicy(folders=[tmp_path])
    with pytest.raises(ResourceRefused):
        policy.read(url)


def test_dot_dot_and_symbolic_links_cannot_leave_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    secret = _png(tmp_path / "secret.png", (4, 4), "red")
    (folder / "packing_slip").mkdir(parents=True)
    (folder / "packing_slip" / "link.png").symlink_to(secret)
    policy = ResourcePolicy(folders=[folder])
    for url in (
        f"{folder.as_uri()}/packing_slip/../../secret.png",
        f"{folder.as_uri()}/packing_slip/link.png",
    ):
        with pytest.raises(ResourceRefused, match="neither in a template folder"):
            policy.read(url)


def test_the_logo_file_is_readable_but_not_its_neighbours(tmp_path: Path) -> None:
    logo = _png(tmp_path / "brand" / "logo.png", (4, 4), "green")
    neighbour = _png(tmp_path / "brand" / "invoice-scan.png", (4, 4), "red")
    policy = ResourcePolicy(folders=[tmp_path / "templates"], files=[logo])
    assert policy.read(logo.as_uri())[0] == logo.read_bytes()
    with pytest.raises(ResourceRefused):
        policy.read(neighbour.as_uri())


# --- inside a real render -------------------------------------------------------------------


def test_local_files_outside_the_allowed_places_never_reach_the_pdf(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    logo = _png(tmp_path / "brand" / "logo.png", (40, 20), "green")
    neighbour = _png(tmp_path / "brand" / "secret.png", (33, 33), "red")
    stamp = base64.b64encode(_png(tmp_path / "stamp.png", (7, 7), "blue").read_bytes())
    templates = _templates(
        tmp_path / "templates",
        f'<img src="data:image/png;base64,{stamp.decode()}" alt="">'
        f'<img src="file:///etc/passwd" alt="">'
        f'<img src="{neighbour.as_uri()}" alt="">'
        f'<img src="../../brand/secret.png" alt="">'
        f'<link rel="attachment" href="file:///etc/passwd">'
        f'<a rel="attachment" href="{neighbour.as_uri()}">scan</a>'
        '<div style="background: url(file:///etc/passwd)">x</div>',
    )
    renderer = Renderer(_seller(logo=str(logo)), templates)
    with caplog.at_level(logging.WARNING):
        pdf = renderer.packing_slips(sample_orders()[:1])
    assert "Slip 113-7654321-1234567" in page_texts(pdf)[0]
    # The logo and the data: URI, nothing else (a page lists its images in no fixed order).
    assert sorted(_image_widths(pdf)) == [7, 40]
    content = all_stream_data(pdf)
    assert PASSWD.read_bytes()[:40] not in content
    assert b"/EmbeddedFile" not in content
    assert not reader(pdf).attachments
    warnings = _warnings(caplog)
    assert any("/etc/passwd is neither in a template folder" in w for w in warnings)
    assert any("secret.png" in w for w in warnings)
    assert all(w.startswith("order 113-7654321-1234567: skipped a resource") for w in warnings)


def test_refusals_in_worker_processes_are_logged_here(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    templates = _templates(tmp_path / "templates", '<img src="file:///etc/passwd" alt="">')
    renderer = Renderer(_seller(), templates)
    with caplog.at_level(logging.WARNING):
        pdf = renderer.packing_slips(sample_orders()[:4], jobs=2)
    assert len(page_texts(pdf)) == sum(max(1, len(o.shipments)) for o in sample_orders()[:4])
    refused = [w for w in _warnings(caplog) if "/etc/passwd" in w]
    assert len(refused) == 4  # one per order, in every worker


# --- remote images --------------------------------------------------------------------------


class _Images(http.server.BaseHTTPRequestHandler):
    png = b""
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if self.path == "/slow.png":
            time.sleep(1.5)
        body, kind = {
            "/logo.png": (self.png, "image/png"),
            "/slow.png": (self.png, "image/png"),
            "/big.png": (self.png + b"\0" * 4096, "image/png"),
            "/page.html": (b"<html>not an image</html>", "text/html"),
        }.get(self.path, (b"", "text/plain"))
        try:
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, as it should have

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def image_server(tmp_path: Path) -> Iterator[str]:
    _Images.png = _png(tmp_path / "remote.png", (50, 10), "blue").read_bytes()
    _Images.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Images)
    server.daemon_threads = False  # server_close() then waits for the slow response
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_remote_images_are_not_fetched_unless_allowed(
    image_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    renderer = Renderer(_seller(logo=f"{image_server}/logo.png"))
    with caplog.at_level(logging.WARNING):
        pdf = renderer.packing_slips(sample_orders()[:1])
    assert 50 not in _image_widths(pdf)
    assert _Images.requests == []
    policy = ResourcePolicy(folders=[])
    with pytest.raises(ResourceRefused, match="allow_remote_images"):
        policy.read(f"{image_server}/logo.png")
    assert _Images.requests == []


def test_allowed_remote_images_are_fetched_once_and_embedded(image_server: str) -> None:
    seller = _seller(logo=f"{image_server}/logo.png", packing_slip={"allow_remote_images": True})
    renderer = Renderer(seller)
    printer = SlipPrinter(renderer.setup)
    printer.fetcher.policy = ResourcePolicy(
        folders=renderer.environment.folders, allow_remote_images=True, allowed_networks=LOOPBACK
    )
    result = printer.render_chunk(list(enumerate(sample_orders()[:3])))
    assert _image_widths(result.pdfs[0]).count(50) == 4  # four slips, one logo each
    assert _Images.requests == ["/logo.png"]


def test_remote_images_have_a_size_cap_a_time_limit_and_must_be_images(
    image_server: str,
) -> None:
    policy = ResourcePolicy(
        folders=[],
        allow_remote_images=True,
        max_bytes=len(_Images.png) + 100,
        timeout=0.3,
        allowed_networks=LOOPBACK,
    )
    assert policy.read(f"{image_server}/logo.png", image=True)[1] == "image/png"
    with pytest.raises(ResourceRefused, match="larger than"):
        policy.read(f"{image_server}/big.png", image=True)
    with pytest.raises(ResourceRefused, match="not an image"):
        policy.read(f"{image_server}/page.html", image=True)
    with pytest.raises(ResourceRefused, match="could not be fetched: HTTP 404"):
        policy.read(f"{image_server}/missing.png", image=True)
    with pytest.raises(ResourceRefused, match="could not be fetched: no answer in time"):
        policy.read(f"{image_server}/slow.png", image=True)
