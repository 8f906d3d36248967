"""What templates can reach: plain values only, and files only inside their own folders."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import socket
import types
from collections.abc import Iterator, Mapping
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

import pytest
from pydantic import BaseModel

from sellercomms import (
    Order,
    PolicyError,
    Renderer,
    Seller,
    TemplateError,
    check_templates,
    sample_orders,
)
from sellercomms.channels import CHANNELS, ChannelRules
from sellercomms.context import MessageLinks, template_variables
from sellercomms.environment import TemplateEnvironment
from sellercomms.formatting import Formatter
from sellercomms.loading import load_seller
from sellercomms.messages import MESSAGES
from sellercomms.samples import sample_data
from sellercomms.slips import SlipView

HOSTILE = Path(__file__).parent / "resources" / "templates" / "hostile"

# Values a template may hold and call the methods of: text, numbers, dates and immutable
# containers of them.  (Jinja's sandbox refuses the methods that would change a dict.)
VALUES = (str, int, float, Decimal, date, time, timedelta, type(None))
CONTAINERS = (tuple, list, frozenset, set, Mapping)
# The methods of the library's own records that templates may call: pure questions.
SAFE_METHODS = {
    (ChannelRules, "may_link"),
    (ChannelRules, "links_for"),
    (ChannelRules, "forbidding_rule"),
    (ChannelRules, "ensure_allowed"),
    (ChannelRules, "may_carry_feedback"),
    (MessageLinks, "all"),
    (SlipView, "page_content"),
}
NEVER = (PurePath, io.IOBase, socket.socket, types.ModuleType, type, BaseModel, Formatter)
DEPTH = 10


def unsafe_values(value: Any, path: str, depth: int = 0) -> Iterator[str]:
    """Each place below ``value`` that holds something a template must not reach."""
    if isinstance(value, NEVER):
        yield f"{path}: {type(value).__name__}"
    elif isinstance(value, VALUES) or depth > DEPTH:
        return
    elif isinstance(value, Mapping):
        for key, entry in value.items():
            yield from unsafe_values(key, f"{path} key", depth + 1)
            yield from unsafe_values(entry, f"{path}[{key!r}]", depth + 1)
    elif isinstance(value, CONTAINERS):
        for index, item in enumerate(value):
            yield from unsafe_values(item, f"{path}[{index}]", depth + 1)
    elif dataclasses.is_dataclass(value):
        owner: type = type(value)
        for name in dir(value):
            if name.startswith("_"):
                continue
            attribute = getattr(value, name)
            if callable(attribute):
                if not any((cls, name) in SAFE_METHODS for cls in owner.__mro__):
                    yield f"{path}.{name}: a method of {owner.__name__}"
            else:
                yield from unsafe_values(attribute, f"{path}.{name}", depth + 1)
    else:
        yield f"{path}: unexpected {type(value).__name__}"


def rendered_namespaces(renderer: Renderer) -> list[tuple[str, dict[str, Any]]]:
    """Every namespace a template of ``renderer`` receives while it renders ``renders``."""
    seen: list[tuple[str, dict[str, Any]]] = []
    environment = renderer.environment
    render, render_block = environment.render, environment.render_block

    def recording_render(
        name: str, variables: Mapping[str, Any], *, formatter: Formatter | None = None
    ) -> str:
        seen.append((name, template_variables(variables)))
        return render(name, variables, formatter=formatter)

    def recording_block(
        name: str,
        block: str,
        variables: Mapping[str, Any],
        *,
        formatter: Formatter | None = None,
    ) -> str:
        seen.append((f"{name} {block}", template_variables(variables)))
        return render_block(name, block, variables, formatter=formatter)

    environment.render = recording_render  # type: ignore[method-assign]
    environment.render_block = recording_block  # type: ignore[method-assign]
    return seen


def test_every_builtin_context_holds_plain_values_only(seller: Seller) -> None:
    renderer = Renderer(seller, inline_css=False)
    seen = rendered_namespaces(renderer)
    for order in sample_orders():
        renderer.packing_slip_html(order)
        for message in MESSAGES:
            if message == "packing_slip":
                continue
            for channel, rules in CHANNELS.items():
                if rules.forbidding_rule(message) is not None:
                    continue
                data = sample_data(message, order, channel=channel)
                # The namespaces were handed over before the output is checked.
                with contextlib.suppress(PolicyError):
                    renderer.email(message, order, channel=channel, data=data)
    names = {name for name, _ in seen}
    assert {"packing_slip/slip.html", "packing_slip/slip.css"} <= names
    assert all(f"emails/{m}.html subject" in names for m in MESSAGES if m != "packing_slip")
    found = sorted(
        {problem for name, namespace in seen for problem in unsafe_values(namespace, name)}
    )
    assert found == []


def test_the_walk_finds_what_the_raw_models_would_expose(seller: Seller) -> None:
    # The check above is only as good as its walk: given the models themselves, it objects.
    assert list(unsafe_values({"seller": seller}, "context")) == ["context['seller']: Seller"]

    @dataclasses.dataclass(frozen=True)
    class Holder:
        logo: Path

        def read(self) -> str:
            return self.logo.read_text()

    problems = list(unsafe_values(Holder(Path("logo.png")), "holder"))
    assert problems == ["holder.logo: PosixPath", "holder.read: a method of Holder"]


@pytest.fixture
def own_seller(tmp_path: Path) -> Seller:
    """A seller whose profile (and logo) lives in ``tmp_path``, beside a secret file."""
    profile = tmp_path / "sellercomms.toml"
    profile.write_text(
        'name = "Acme"\nemail = "support@acme.example"\nlogo = "logo.png"\n', encoding="utf-8"
    )
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "secret.txt").write_text("the-secret-words", encoding="utf-8")
    return load_seller(profile)


def override(folder: Path, content: str) -> Path:
    """A template folder whose shipping confirmation shows ``content``."""
    emails = folder / "emails"
    emails.mkdir(parents=True)
    (emails / "shipping_confirmation.html").write_text(
        '{% extends "emails/_base.html" %}\n'
        "{% block subject %}Shipped{% endblock %}\n"
        "{% block preheader %}{% endblock %}\n"
        f"{{% block content %}}\n<p>{content}</p>\n{{% endblock %}}\n",
        encoding="utf-8",
    )
    (emails / "shipping_confirmation.txt").write_text("Hello.\n", encoding="utf-8")
    return folder


ESCAPES = {
    "read": '{{ seller.logo_path.parent.joinpath("secret.txt").read_text() }}',
    "write": '{{ seller.logo_path.parent.joinpath("pwned.txt").write_text("x") }}',
    "list": "{{ seller.logo_path.parent.iterdir()|list }}",
    "order model": '{{ order.parse_file(seller.logo|replace("logo.png", "secret.txt")) }}',
    "address model": "{{ ship_to.model_rebuild(force=True) }}",
    "formatter": "{{ formatter.locale }}",
}


@pytest.mark.parametrize("expression", ESCAPES.values(), ids=ESCAPES.keys())
def test_an_override_cannot_reach_files(
    own_seller: Seller, orders: list[Order], tmp_path: Path, expression: str
) -> None:
    folder = override(tmp_path / "templates", expression)
    with pytest.raises(TemplateError) as caught:
        Renderer(own_seller, templates=folder).email("shipping_confirmation", orders[2])
    assert caught.value.name == "emails/shipping_confirmation.html"
    assert caught.value.lineno == 5
    assert "the-secret-words" not in str(caught.value)
    assert not (tmp_path / "pwned.txt").exists()


def test_the_reported_exploit_fails_in_render_and_check(
    own_seller: Seller, orders: list[Order], tmp_path: Path
) -> None:
    folder = HOSTILE / "file_access"
    with pytest.raises(TemplateError, match="has no attribute 'logo_path'") as caught:
        Renderer(own_seller, templates=folder).email("shipping_confirmation", orders[2])
    assert (caught.value.name, caught.value.lineno) == ("emails/shipping_confirmation.html", 5)
    report = check_templates(
        folder, seller=own_seller, orders=orders[2:3], messages=["shipping_confirmation"]
    )
    messages = [finding.message for finding in report.findings]
    assert any("logo_path" in message for message in messages)
    assert not any("the-secret-words" in message for message in messages)


def test_the_sandbox_refuses_paths_even_inside_plain_records(tmp_path: Path) -> None:
    @dataclasses.dataclass(frozen=True)
    class Holder:
        logo: Path

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.txt").write_text("{{ holder.logo.name }}\n", encoding="utf-8")
    environment = TemplateEnvironment(folder)
    with (
        pytest.raises(TemplateError, match="not allowed in the sandbox") as caught,
        environment.rendering("en_US"),
    ):
        environment.render("page.txt", {"holder": Holder(tmp_path / "logo.png")})
    assert (caught.value.name, caught.value.lineno) == ("page.txt", 1)


@pytest.mark.parametrize(
    "statement",
    [
        '{% include "emails/outside.html" %}',
        '{% import "emails/outside.html" as outside %}{{ outside.x }}',
        '{% from "emails/outside.html" import x %}{{ x }}',
    ],
)
def test_a_symbolic_link_out_of_the_folder_is_refused(
    seller: Seller, orders: list[Order], tmp_path: Path, statement: str
) -> None:
    outside = tmp_path / "outside.html"
    outside.write_text("{% set x = 'outside' %}the-secret-words", encoding="utf-8")
    folder = override(tmp_path / "templates", statement)
    (folder / "emails" / "outside.html").symlink_to(outside)
    with pytest.raises(TemplateError, match="leads outside the template folder") as caught:
        Renderer(seller, templates=folder).email("shipping_confirmation", orders[2])
    assert caught.value.name == "emails/outside.html"
    assert "the-secret-words" not in str(caught.value)


def test_a_symbolic_link_to_a_layout_out_of_the_folder_is_refused(
    seller: Seller, orders: list[Order], tmp_path: Path
) -> None:
    outside = tmp_path / "layout.html"
    outside.write_text("the-secret-words", encoding="utf-8")
    folder = override(tmp_path / "templates", "")
    (folder / "emails" / "_base.html").symlink_to(outside)
    with pytest.raises(TemplateError, match="leads outside the template folder") as caught:
        Renderer(seller, templates=folder).email("shipping_confirmation", orders[2])
    assert caught.value.name == "emails/_base.html"


def test_a_symbolic_link_inside_the_folder_still_works(
    seller: Seller, orders: list[Order], tmp_path: Path
) -> None:
    folder = override(tmp_path / "templates", '{% include "emails/part.html" %}')
    (folder / "emails" / "real.html").write_text("inside", encoding="utf-8")
    (folder / "emails" / "part.html").symlink_to(folder / "emails" / "real.html")
    mail = Renderer(seller, templates=folder).email("shipping_confirmation", orders[2])
    assert "inside</p>" in mail.html


def test_a_name_with_dot_dot_cannot_leave_the_folder(
    seller: Seller, orders: list[Order], tmp_path: Path
) -> None:
    (tmp_path / "secret.html").write_text("the-secret-words", encoding="utf-8")
    folder = override(tmp_path / "templates", '{% include "emails/../../secret.html" %}')
    with pytest.raises(TemplateError, match=r"secret\.html") as caught:
        Renderer(seller, templates=folder).email("shipping_confirmation", orders[2])
    assert "the-secret-words" not in str(caught.value)
    environment = TemplateEnvironment(folder)
    assert not environment.exists("../secret.html")
    assert environment.folder_of("emails/../../secret.html") is None


def test_every_stylesheet_loaded_passes_the_stylesheet_hook(
    seller: Seller, orders: list[Order]
) -> None:
    renderer = Renderer(seller)
    seen: list[tuple[str, int]] = []
    renderer.environment.loader.on_stylesheet = lambda name, source: seen.append(
        (name, len(source))
    )
    renderer.email("shipping_confirmation", orders[2])
    renderer.packing_slip_html(orders[2])
    assert [name for name, _ in seen] == ["emails/email.css", "packing_slip/slip.css"]
    assert all(size > 0 for _, size in seen)


def test_the_stylesheet_hook_can_refuse_a_stylesheet(seller: Seller, orders: list[Order]) -> None:
    renderer = Renderer(seller)

    def refuse(name: str, source: str) -> None:
        raise TemplateError("refused", name=name)

    renderer.environment.loader.on_stylesheet = refuse
    with pytest.raises(TemplateError, match=r"template emails/email\.css: refused"):
        renderer.email("shipping_confirmation", orders[2])
