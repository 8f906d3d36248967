"""The preview server without a browser: routes, error panels, binding and shutdown."""

from __future__ import annotations

import email
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import policy
from pathlib import Path
from typing import Any

import httpx
import pytest

from sellercomms import MESSAGES
from sellercomms.cli import main
from sellercomms.environment import builtin_templates_dir
from sellercomms.preview import PreviewServer, Sources, loopback_address
from sellercomms.samples import sample_seller_path

TEMPLATES = Path(__file__).parent / "resources" / "templates"
SHIPPED = "/view/shipping_confirmation/ACME-1003"


@contextmanager
def serving(sources: Sources) -> Iterator[tuple[PreviewServer, httpx.Client]]:
    """A preview of ``sources`` on a free port, and a client for it."""
    server = PreviewServer(sources, port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started)
        # As the browser sends for the preview's own pages (tests below go without it).
        own_page = {"Sec-Fetch-Site": "same-origin"}
        with httpx.Client(base_url=server.address, headers=own_page, timeout=60) as client:
            yield server, client
    finally:
        server.stop()
        thread.join(timeout=30)
    assert not thread.is_alive()


def wait_for(condition: Callable[[], object], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def get(sources: Sources, path: str) -> str:
    with serving(sources) as (_, client):
        return client.get(path).text


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with serving(Sources()) as (_, client):
        yield client


def write_orders(path: Path, orders: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(orders), encoding="utf-8")
    return path


def test_overview_lists_every_template_for_every_order(client: httpx.Client) -> None:
    page = client.get("/").text
    for name in MESSAGES:
        assert f'data-template="{name}"' in page
    assert "amazon.no-order-or-shipping-confirmation" in page
    assert "0 failing" in page


def test_email_view_shows_inbox_line_text_headers_and_links(client: httpx.Client) -> None:
    response = client.get(SHIPPED)
    assert response.status_code == 200
    page = response.text
    assert "Your order ACME-1003 has shipped in 2 parcels" in page
    assert 'sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"' in page
    assert "List-Unsubscribe" not in page  # a transactional message
    assert "Message-ID" in page
    assert "https://www.ups.com/track" in page
    assert "acme.example/feedback?order=ACME-1003" in page
    assert "emails/_base.html" in page  # the files it is made from


def test_frame_serves_the_html_alone_without_scripts(client: httpx.Client) -> None:
    response = client.get("/frame/shipping_confirmation/ACME-1003")
    policy_header = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy_header
    assert "script-src" not in policy_header  # falls back to default-src 'none'
    assert "https:" not in policy_header
    assert '<base target="_blank">' in response.text
    assert "1Z999AA10123456784" in response.text
    shown = client.get("/frame/shipping_confirmation/ACME-1003?images=1")
    assert "img-src 'self' data: https: http:" in shown.headers["content-security-policy"]


def test_the_frame_emulates_the_chosen_colour_scheme(client: httpx.Client) -> None:
    frame = "/frame/shipping_confirmation/ACME-1003"
    light, dark = client.get(frame).text, client.get(f"{frame}?scheme=dark").text
    # The dark rules always apply in the dark frame and never in the light one, whatever
    # the browser's own setting.
    for html in (light, dark):
        assert "prefers-color-scheme" not in html
    assert "@media (min-width: 0px)" in dark and "@media (min-width: 0px)" not in light
    assert "@media (max-width: 0px)" in light
    assert "color-scheme: only dark !important" in dark
    assert "color-scheme: only light !important" in light
    assert "1Z999AA10123456784" in dark
    page = client.get(f"{SHIPPED}?scheme=dark").text
    assert 'data-scheme="dark" aria-pressed="true"' in page
    assert f"{frame}?scheme=dark&amp;v=" in page
    assert 'href="/view/shipping_confirmation/ACME-1003" data-nav data-scheme="light"' in page


def test_eml_download_is_the_message(client: httpx.Client) -> None:
    response = client.get("/eml/shipping_confirmation/ACME-1003?locale=en_GB")
    assert response.headers["content-type"] == "message/rfc822"
    assert "shipping_confirmation-ACME-1003-en_GB.eml" in response.headers["content-disposition"]
    message = email.message_from_bytes(response.content, policy=policy.default)
    assert "ACME-1003" in str(message["Subject"])
    assert message.get_content_type() == "multipart/alternative"


def test_packing_slip_view_has_pdf_and_page_images(client: httpx.Client) -> None:
    page = client.get("/view/packing_slip/ACME-1003?size=4x6").text
    assert 'data-size="4x6" aria-pressed="true"' in page
    assert "/slip/ACME-1003/page-1.png?size=4x6" in page
    image = client.get("/slip/ACME-1003/page-1.png?size=4x6")
    assert image.content.startswith(b"\x89PNG\r\n\x1a\n")
    pdf = client.get("/slip/ACME-1003/slips.pdf?size=4x6&download=1")
    assert pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-disposition"].startswith("attachment")
    assert client.get("/slip/ACME-1003/page-99.png").status_code == 404


def test_forbidden_combination_shows_the_rule(client: httpx.Client) -> None:
    page = client.get("/view/shipping_confirmation/113-7654321-1234567").text
    assert 'data-problem="policy"' in page
    assert "amazon.no-order-or-shipping-confirmation" in page
    assert "/view/shipping_confirmation/113-7654321-1234567?channel=own" in page


def test_unknown_order_or_template_is_a_404_page(client: httpx.Client) -> None:
    assert client.get("/view/shipping_confirmation/NOPE").status_code == 404
    assert client.get("/view/nope/ACME-1003").status_code == 404


def test_fragment_requests_get_the_app_only(client: httpx.Client) -> None:
    response = client.get(SHIPPED, headers={"X-Preview": "fragment"})
    assert not response.text.lstrip().startswith("<!doctype")
    assert response.headers["x-preview-generation"] == "0"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("syntax_error", "expected token"),
        ("undefined", "undefined variable"),
        ("sandbox", "not allowed in the sandbox"),
    ],
)
def test_template_errors_show_file_line_and_source(folder: str, expected: str) -> None:
    page = get(Sources(templates=TEMPLATES / folder), SHIPPED)
    assert 'data-problem="template"' in page
    assert expected in page
    assert "emails/shipping_confirmation.html" in page
    assert 'class="line hit"' in page
    assert "Traceback" not in page


def test_customer_text_is_escaped_in_the_page(
    tmp_path: Path, order_dicts: list[dict[str, Any]]
) -> None:
    order = next(o for o in order_dicts if o["order_id"] == "ACME-1003")
    order["customer"]["name"] = "<img src=x onerror=alert(1)>"
    orders = write_orders(tmp_path / "orders.json", [order])
    page = get(Sources(orders=orders), SHIPPED)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_broken_orders_and_skipped_orders_are_shown(
    tmp_path: Path, order_dicts: list[dict[str, Any]]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    page = get(Sources(orders=broken), "/")
    assert 'data-problem="input"' in page
    assert "broken.json" in page
    order_dicts[1]["items"] = []
    partly = write_orders(tmp_path / "partly.json", order_dicts)
    page = get(Sources(orders=partly), "/")
    assert "1 order left out of the preview" in page
    assert "items" in page


def test_a_changed_template_is_read_again(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    (folder / "emails").mkdir(parents=True)
    with serving(Sources(templates=folder)) as (server, client):
        assert "Edited by hand" not in client.get(SHIPPED).text
        # A new override file shadows the built-in template from the next generation on.
        builtin = builtin_templates_dir() / "emails"
        source = (builtin / "shipping_confirmation.html").read_text(encoding="utf-8")
        edited = source.replace("{% block subject %}", "{% block subject %}Edited by hand: ", 1)
        (folder / "emails" / "shipping_confirmation.html").write_text(edited, encoding="utf-8")
        server.workspace.invalidate()
        page = client.get(SHIPPED).text
    assert "Edited by hand: Your order ACME-1003" in page
    assert '<span class="badge own">yours</span>' in page


@pytest.mark.parametrize("host", ["example.com", "192.0.2.7", "127.0.0.1.example.com"])
def test_other_host_names_are_refused(client: httpx.Client, host: str) -> None:
    assert client.get("/", headers={"Host": f"{host}:8025"}).status_code == 400


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_loopback_host_names_are_served(client: httpx.Client, host: str) -> None:
    response = client.get("/static/preview.css", headers={"Host": f"{host}:8025"})
    assert response.status_code == 200
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "example.com", ""])
def test_only_loopback_addresses_are_accepted(host: str) -> None:
    with pytest.raises(ValueError, match="loopback only"):
        loopback_address(host)


def test_the_command_refuses_to_listen_beyond_loopback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["preview", "--host", "0.0.0.0"]) == 2
    assert "loopback only" in capsys.readouterr().err


def test_the_command_reports_a_taken_port(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["preview", "--port", str(port)]) == 2
    assert f"port {port} is in use" in capsys.readouterr().err


def test_the_command_does_not_load_the_server_until_asked() -> None:
    code = "import json, sys, sellercomms.cli; print(json.dumps(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    loaded = {name.partition(".")[0] for name in json.loads(output)}
    assert loaded.isdisjoint({"starlette", "uvicorn", "watchfiles", "pypdfium2"})


def test_saving_a_file_starts_a_new_generation_and_tells_the_page(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES / "override", folder)
    with serving(Sources(templates=folder)) as (_, http), http.stream("GET", "/events") as events:
        lines = events.iter_lines()
        assert next(line for line in lines if line.startswith("event:")) == "event: hello"
        template = folder / "emails" / "shipping_confirmation.txt"
        template.write_text(template.read_text(encoding="utf-8") + "\nEdited.\n", "utf-8")
        assert next(line for line in lines if line.startswith("event:")) == "event: change"
        data = json.loads(next(line for line in lines if line.startswith("data:"))[5:])
        assert data["generation"] >= 1
        assert "Edited." in http.get(SHIPPED).text


def test_stopping_ends_open_event_streams() -> None:
    with serving(Sources()) as (server, http), http.stream("GET", "/events") as events:
        lines = events.iter_lines()
        next(line for line in lines if line.startswith("event:"))
        server.stop()
        # The stream ends (the iterator runs out) instead of holding the shutdown up.
        assert all(not line.startswith("event: change") for line in lines)


def test_orders_and_seller_files_are_watched_too(
    tmp_path: Path, order_dicts: list[dict[str, Any]]
) -> None:
    orders = write_orders(tmp_path / "orders.json", order_dicts)
    seller = tmp_path / "seller.toml"
    seller.write_text(sample_seller_path().read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copy(sample_seller_path().with_name("logo.svg"), tmp_path / "logo.svg")
    sources = Sources(orders=orders, seller=seller)
    with serving(sources) as (_, http), http.stream("GET", "/events") as events:
        lines = events.iter_lines()

        def next_event() -> str:
            return next(line for line in lines if line.startswith("event:"))

        assert next_event() == "event: hello"
        order_dicts[2]["customer"]["name"] = "Dorothy Vaughan"
        write_orders(orders, order_dicts)
        assert next_event() == "event: change"
        assert "Hello Dorothy Vaughan" in http.get(f"/frame/{SHIPPED[6:]}").text
        seller.write_text(
            seller.read_text(encoding="utf-8").replace("Acme Home Goods", "Acme Outlet"),
            encoding="utf-8",
        )
        assert next_event() == "event: change"
        assert "Acme Outlet" in http.get(SHIPPED).text


def test_the_command_serves_what_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: list[PreviewServer] = []
    opened: list[str] = []
    monkeypatch.setattr(PreviewServer, "run", lambda self: served.append(self))
    monkeypatch.setattr("webbrowser.open", opened.append)
    monkeypatch.chdir(tmp_path)
    shutil.copy(sample_seller_path(), tmp_path / "sellercomms.toml")
    assert main(["preview", "--port", "0", "--open"]) == 0
    (server,) = served
    server.socket.close()
    assert server.workspace.sources.seller == tmp_path / "sellercomms.toml"
    assert server.workspace.sources.orders is None
    assert opened == [server.url]
    assert f"Previewing at {server.url}" in capsys.readouterr().out


def test_a_sellers_own_email_template_is_listed_and_rendered(tmp_path: Path) -> None:
    emails = tmp_path / "templates" / "emails"
    emails.mkdir(parents=True)
    (emails / "holiday_hours.html").write_text(
        '{% extends "emails/_base.html" %}\n'
        "{% block subject %}Holiday hours{% endblock %}\n"
        "{% block preheader %}We are closed on Friday{% endblock %}\n"
        "{% block content %}<p>Hello {{ customer.name }}</p>{% endblock %}\n",
        encoding="utf-8",
    )
    (emails / "holiday_hours.txt").write_text("Hello {{ customer.name }}\n", encoding="utf-8")
    with serving(Sources(templates=tmp_path / "templates")) as (_, client):
        overview = client.get("/").text
        page = client.get("/view/holiday_hours/ACME-1003").text
    assert 'data-template="holiday_hours"' in overview
    assert "We are closed on Friday" in page
    assert "List-Unsubscribe" in page  # a follow-up on the seller's own channel


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_requests_other_pages_make_are_refused_alike_for_every_order(
    client: httpx.Client, site: str
) -> None:
    # Another web page (or another port of this machine) cannot learn whether an order exists.
    answers = [
        client.get(path, headers={"Sec-Fetch-Site": site})
        for path in (SHIPPED, "/view/shipping_confirmation/NO-SUCH-ORDER", "/")
    ]
    assert {response.status_code for response in answers} == {403}
    assert len({response.text for response in answers}) == 1
    assert answers[0].headers["cache-control"] == "no-store"


def test_the_address_bar_is_served(client: httpx.Client) -> None:
    assert client.get("/", headers={"Sec-Fetch-Site": "none"}).status_code == 200


def test_a_client_that_does_not_say_where_it_comes_from_needs_the_key() -> None:
    with serving(Sources()) as (server, _):
        with httpx.Client(base_url=server.address, timeout=60) as plain:
            assert plain.get("/").status_code == 403
            assert plain.get("/", params={"key": "not-the-key"}).status_code == 403
            opened = plain.get(server.url)
            assert opened.status_code == 200
            # The key's cookie lets the page's own requests in without the key.
            assert plain.get(SHIPPED).status_code == 200
        with httpx.Client(base_url=server.address, timeout=60) as other:
            assert other.get(SHIPPED).status_code == 403
        # The key does not open the preview under another host name, nor set its cookie there.
        with httpx.Client(base_url=server.address, timeout=60) as rebound:
            refused = rebound.get(server.url, headers={"Host": "rebound.test"})
            assert refused.status_code == 400
            assert "set-cookie" not in refused.headers


def test_an_endless_template_shows_its_problem_and_the_other_pages_still_answer() -> None:
    endless = TEMPLATES / "hostile" / "endless_loop"
    with serving(Sources(templates=endless)) as (_, client):
        stuck = client.get(SHIPPED)
        assert "took longer than the time limit of 5 s" in stuck.text
        assert "emails/shipping_confirmation.html" in stuck.text
        assert client.get("/view/review_request/ACME-1003").status_code == 200
