"""Rendering an e-mail never fetches a stylesheet: no network, no file outside the template
folders.  ``@import`` in a stylesheet is an error naming the stylesheet and the line, and
``url(...)`` values are copied into the output, never fetched."""

from __future__ import annotations

import select
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sellercomms
from sellercomms import Order, Renderer, Seller
from sellercomms.exceptions import TemplateError
from sellercomms.inlining import CssInliner
from sellercomms.relays import resolve_channel
from sellercomms.stylesheets import check_stylesheet, import_line

# Generous: a render takes well under a second; only a hang gets anywhere near this.
HANG_LIMIT = 60.0


class SilentServer:
    """A TCP server on 127.0.0.1 that never accepts or answers: a client that connects
    waits forever.  ``connections()`` counts the connections that reached it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0), backlog=16)
        self.port: int = self.socket.getsockname()[1]
        self._accepted: list[socket.socket] = []

    def connections(self) -> int:
        # Every completed connection waits in the accept queue: take them without blocking.
        while select.select([self.socket], [], [], 0)[0]:
            self._accepted.append(self.socket.accept()[0])
        return len(self._accepted)

    def close(self) -> None:
        # Closing the connections ends a client that is still waiting for an answer.
        self.connections()
        for connection in self._accepted:
            connection.close()
        self.socket.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def own_order(orders: list[Order]) -> Order:
    return next(o for o in orders if resolve_channel(o).name == "own")


def _override(folder: Path, css: str) -> Path:
    """A template folder whose e-mail stylesheet is ``css``."""
    stylesheet = folder / "emails" / "email.css"
    stylesheet.parent.mkdir(parents=True)
    stylesheet.write_text(css, encoding="utf-8")
    return folder


def _outcome(action: Callable[[], object]) -> BaseException | None:
    """What ``action`` raised (None if nothing), failing the test instead of hanging."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as error:
            raised.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_LIMIT)
    assert not worker.is_alive(), f"the render was still running after {HANG_LIMIT:g} s"
    return raised[0] if raised else None


# --- the source check --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("css", "line"),
    [
        ('@import "x.css";', 1),
        ("p { color: red }\n\n@import url(http://127.0.0.1:9/x.css);", 3),
        ("@IMPORT 'x.css';", 1),
        ("@\\69mport 'x.css';", 1),
        ("@\\000069 mport 'x.css';", 1),
        ("@im\\port 'x.css';", 1),
        ("@\\49MPORT 'x.css';", 1),
        ("p {}\n@/* hidden */import 'x.css';", 2),
        ("@media screen {\n  @import 'x.css';\n}", 2),
        ("p { color: red }\n@import 'x.css';", 2),  # after a rule: invalid, still refused
    ],
)
def test_check_stylesheet_names_the_stylesheet_and_line(css: str, line: int) -> None:
    with pytest.raises(TemplateError) as caught:
        check_stylesheet("emails/email.css", css)
    assert (caught.value.name, caught.value.lineno) == ("emails/email.css", line)
    assert str(caught.value).startswith(f"template emails/email.css, line {line}: @import")


@pytest.mark.parametrize(
    "css",
    [
        'p::after { content: "@import url(x.css)" }',
        "/* @import 'x.css'; */ p { color: red }",
        ".important { color: red } .imports { color: blue }",
        "@media (max-width: 480px) { .import { color: red !important } }",
        "a[href^='@import'] { color: red }",
    ],
)
def test_check_stylesheet_accepts_import_as_text(css: str) -> None:
    check_stylesheet("emails/email.css", css)


@st.composite
def _spellings_of_import(draw: st.DrawFn) -> str:
    """``import`` as CSS may spell it: any case, any letter as a hexadecimal escape."""
    spelled = []
    for position, letter in enumerate("import"):
        code = f"{ord(letter):x}"
        ways = [letter, letter.upper(), f"\\{code} "]
        # A bare escape ends at the next letter (none of them is a hex digit), but the last
        # one would swallow the space before the URL.
        if position < 5:
            ways += [f"\\{code}", f"\\{code.zfill(6)}"]
        spelled.append(draw(st.sampled_from(ways)))
    return "".join(spelled)


@given(
    before=st.lists(st.sampled_from(["p { color: red }", "/* note */", "@media x { a {} }"])),
    spelling=_spellings_of_import(),
    gap=st.sampled_from(["", "/**/", "/* x */ "]),
    target=st.sampled_from(['"x.css"', "url(x.css)", "url('http://127.0.0.1/x.css')"]),
)
def test_every_spelling_of_import_is_found(
    before: list[str], spelling: str, gap: str, target: str
) -> None:
    css = "\n".join([*before, f"@{gap}{spelling} {target};", "p { margin: 0 }"])
    assert import_line(css) == len(before) + 1


_PIECES = ["@", "import", "IMPORT", "\\69", "\\", '"', "'", "/*", "*/", "{", "}", ";", "(", ")"]
_PIECES += ["url(", " ", "\n", "x", "p", "<!--", "-->", ":", "@media", "@charset 'utf-8';"]


@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_the_check_finds_every_import_cssutils_would_follow(css: str) -> None:
    # cssutils parses the <style> text for premailer; whatever it would fetch, the check
    # must refuse first.
    import cssutils

    fetched: list[str] = []
    parser = cssutils.CSSParser(fetcher=lambda url: fetched.append(url), validate=False)
    try:
        parser.parseString(css)
    except TypeError:  # cssutils' own bug on some inputs ("<!--@charset …"): it fetched nothing
        assert not fetched
        return
    if fetched:
        assert import_line(css) is not None


# --- inside a real render ----------------------------------------------------------------


def test_import_of_a_server_that_never_answers_fails_at_once(
    tmp_path: Path, seller: Seller, own_order: Order, silent_server: SilentServer
) -> None:
    css = f"p {{ color: red }}\n@import url(http://127.0.0.1:{silent_server.port}/x.css);\n"
    renderer = Renderer(seller, _override(tmp_path / "templates", css))
    error = _outcome(lambda: renderer.email("shipping_confirmation", own_order))
    assert isinstance(error, TemplateError), error
    assert "@import is not allowed" in str(error)
    assert silent_server.connections() == 0


@pytest.mark.parametrize(
    "css",
    [
        '@import "file:///etc/hostname";',
        "@import url(/etc/hostname);",
        '@\\69mport "/etc/hostname";',
        "@import 'email.css';",  # even a neighbour inside the template folder
    ],
)
def test_import_of_a_file_fails(tmp_path: Path, seller: Seller, own_order: Order, css: str) -> None:
    renderer = Renderer(seller, _override(tmp_path / "templates", css + "\np { color: red }"))
    error = _outcome(lambda: renderer.email("shipping_confirmation", own_order))
    assert isinstance(error, TemplateError), error
    # The loader refuses the stylesheet itself, before anything is rendered or inlined.
    assert str(error).startswith("template emails/email.css, line 1: @import is not allowed: ")


def test_import_in_an_html_template_fails_too(silent_server: SilentServer) -> None:
    html = (
        "<html><head><style>p { color: red }</style>"
        f"<style>@import 'http://127.0.0.1:{silent_server.port}/x.css';</style></head>"
        "<body><p>x</p></body></html>"
    )
    error = _outcome(lambda: CssInliner().inline(html, name="emails/holiday_hours.html"))
    assert str(error) == (
        "template emails/holiday_hours.html: @import is not allowed: stylesheets are included "
        "from the template folders, never fetched or read from elsewhere "
        "(line 1 of a rendered <style> element)"
    )
    assert silent_server.connections() == 0


# Reading /dev/zero never ends and fills memory: run it where memory is capped, so that a
# regression fails this test instead of exhausting the machine.
_DEV_ZERO_CHILD = textwrap.dedent(
    """
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
    from sellercomms import Renderer, sample_orders, sample_seller
    from sellercomms.relays import resolve_channel
    order = next(o for o in sample_orders() if resolve_channel(o).name == "own")
    try:
        Renderer(sample_seller(), sys.argv[1]).email("shipping_confirmation", order)
    except BaseException as error:
        print(type(error).__name__, error)
    """
)


def test_import_of_dev_zero_fails_without_reading_it(tmp_path: Path) -> None:
    folder = _override(tmp_path / "templates", '@import "/dev/zero";\np { color: red }')
    child = subprocess.run(
        [sys.executable, "-c", _DEV_ZERO_CHILD, str(folder)],
        capture_output=True,
        text=True,
        timeout=HANG_LIMIT * 2,
        cwd=Path(sellercomms.__file__).parent.parent,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.startswith("TemplateError "), child.stdout
    assert "@import is not allowed" in child.stdout


def test_urls_in_css_are_kept_but_never_fetched(
    tmp_path: Path, seller: Seller, own_order: Order, silent_server: SilentServer
) -> None:
    base = f"http://127.0.0.1:{silent_server.port}"
    css = (
        f"@font-face {{ font-family: Brand; src: url({base}/brand.woff2) format('woff2'); }}\n"
        f"body {{ background: url({base}/paper.png) }}\n"
        f"p {{ background-image: url('{base}/dots.png'); list-style-image: url({base}/b.png) }}\n"
        f"@media (max-width: 480px) {{ body {{ background: url({base}/small.png) !important }} }}\n"
    )
    renderer = Renderer(seller, _override(tmp_path / "templates", css))
    mails: list[str] = []
    error = _outcome(lambda: mails.append(renderer.email("shipping_confirmation", own_order).html))
    assert error is None, error
    assert f"{base}/paper.png" in mails[0]  # inlined into the body's style attribute
    assert f"{base}/small.png" in mails[0]  # kept in <style> for phones
    assert silent_server.connections() == 0
