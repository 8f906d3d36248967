"""Every render has a time and an output budget; running out, or recursing, names the line."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sellercomms import Order, Renderer, Seller, TemplateError
from sellercomms.environment import TemplateEnvironment

HOSTILE = Path(__file__).parent / "resources" / "templates" / "hostile"
HTML = "emails/shipping_confirmation.html"


@contextmanager
def fails_instead_of_hanging(seconds: int = 120) -> Iterator[None]:
    """Turn a hang into a failure; far longer than any budget the tests set."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise AssertionError(f"still rendering after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def folder_with(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "templates"
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def email_showing(tmp_path: Path, content: str, *, subject: str = "Shipped") -> Path:
    """A template folder whose shipping confirmation shows ``content`` on line 5."""
    return folder_with(
        tmp_path,
        {
            HTML: '{% extends "emails/_base.html" %}\n'
            f"{{% block subject %}}{subject}{{% endblock %}}\n"
            "{% block preheader %}{% endblock %}\n"
            "{% block content %}\n"
            f"{content}\n"
            "{% endblock %}\n",
            "emails/shipping_confirmation.txt": "Hello.\n",
        },
    )


def renderer_for(seller: Seller, folder: Path, *, time_limit: float = 0.5) -> Renderer:
    renderer = Renderer(seller, templates=folder, inline_css=False)
    renderer.environment.time_limit = time_limit
    return renderer


def test_an_endless_loop_runs_out_of_time(seller: Seller, orders: list[Order]) -> None:
    renderer = renderer_for(seller, HOSTILE / "endless_loop")
    with fails_instead_of_hanging(), pytest.raises(TemplateError) as caught:
        renderer.email("shipping_confirmation", orders[2])
    assert caught.value.message == "took longer than the time limit of 0.5 s"
    assert (caught.value.name, caught.value.lineno) == (HTML, 5)


@pytest.mark.parametrize(
    "loop",
    [
        # a body that writes, one that calls, and one that only reads attributes
        "{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% set x = i|string %}"
        "{% endfor %}{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% if order.order_id %}"
        "{% endif %}{% endfor %}{% endfor %}",
    ],
    ids=["writing", "filtering", "reading"],
)
def test_every_kind_of_long_loop_runs_out_of_time(
    seller: Seller, orders: list[Order], tmp_path: Path, loop: str
) -> None:
    renderer = renderer_for(seller, email_showing(tmp_path, loop), time_limit=0.2)
    with fails_instead_of_hanging(), pytest.raises(TemplateError) as caught:
        renderer.email("shipping_confirmation", orders[2])
    assert "time limit" in caught.value.message or "output limit" in caught.value.message
    assert (caught.value.name, caught.value.lineno) == (HTML, 5)


def test_compiling_what_a_template_pulls_in_is_not_part_of_its_budget(
    seller: Seller, orders: list[Order], tmp_path: Path
) -> None:
    # Thousands of lines of macro compile for far longer than the budget, then render at once:
    # only the render is timed, however long Jinja takes to compile what a message imports.
    slow = "{% macro many() %}" + "{% if x is defined %}{{ x }}{% endif %}\n" * 6000
    folder = folder_with(
        tmp_path,
        {
            "emails/_slow.html": slow + "{% endmacro %}\n",
            HTML: '{% extends "emails/_base.html" %}\n'
            '{% import "emails/_slow.html" as slow %}\n'
            "{% block subject %}Shipped{% endblock %}{% block preheader %}{% endblock %}\n"
            "{% block content %}{{ slow.many() }}Packed.{% endblock %}\n",
            "emails/shipping_confirmation.txt": "Hello.\n",
        },
    )
    renderer = renderer_for(seller, folder, time_limit=0.2)
    assert "Packed." in renderer.email("shipping_confirmation", orders[2]).html


def test_a_subject_block_has_the_same_budget(
    seller: Seller, orders: list[Order], tmp_path: Path
) -> None:
    endless = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    renderer = renderer_for(seller, email_showing(tmp_path, "", subject=endless))
    with fails_instead_of_hanging(), pytest.raises(TemplateError) as caught:
        renderer.email("shipping_confirmation", orders[2])
    assert caught.value.message == "took longer than the time limit of 0.5 s"
    assert (caught.value.name, caught.value.lineno) == (HTML, 2)


def test_too_much_output_stops_at_the_line_that_writes_it(
    seller: Seller, orders: list[Order], tmp_path: Path
) -> None:
    folder = email_showing(tmp_path, '{% for i in range(100000) %}{{ "x" * 1000 }}{% endfor %}')
    renderer = renderer_for(seller, folder, time_limit=60)
    with fails_instead_of_hanging(), pytest.raises(TemplateError) as caught:
        renderer.email("shipping_confirmation", orders[2])
    assert caught.value.message == "output would exceed the output limit of 4,000,000 characters"
    assert (caught.value.name, caught.value.lineno) == (HTML, 5)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('"x" * 10**9', "a repeated value would exceed the output limit"),
        ("[1, 2] * 10**9", "a repeated value would exceed the output limit"),
        ("10 ** (10**10)", "a power too large to compute"),
        ('"%0999999999d" % 1', "a formatted field would exceed the output limit"),
        ('"%0999999999d"|format(1)', "a formatted field would exceed the output limit"),
        ('"x"|center(999999999)', "a formatted field would exceed the output limit"),
        ('"x\\ny"|indent(999999999)', "a formatted field would exceed the output limit"),
        ('"x".ljust(999999999)', "a formatted field would exceed the output limit"),
        ('"{:>999999999}".format(1)', "a formatted field would exceed the output limit"),
        ('"{:>{}}".format(1, 999999999)', "a nested field in a format spec is not supported"),
    ],
)
def test_huge_values_are_refused_before_they_are_made(
    seller: Seller, orders: list[Order], tmp_path: Path, expression: str, message: str
) -> None:
    renderer = renderer_for(seller, email_showing(tmp_path, f"{{{{ {expression} }}}}"))
    with fails_instead_of_hanging(), pytest.raises(TemplateError, match=message) as caught:
        renderer.email("shipping_confirmation", orders[2])
    assert (caught.value.name, caught.value.lineno) == (HTML, 5)


def test_a_string_doubled_in_a_loop_is_stopped(
    seller: Seller, orders: list[Order], tmp_path: Path
) -> None:
    doubling = (
        '{% set ns = namespace(s="x") %}'
        "{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}"
    )
    renderer = renderer_for(seller, email_showing(tmp_path, doubling), time_limit=60)
    with fails_instead_of_hanging(), pytest.raises(TemplateError, match="output limit") as caught:
        renderer.email("shipping_confirmation", orders[2])
    assert (caught.value.name, caught.value.lineno) == (HTML, 5)


@given(count=st.integers(min_value=-5, max_value=10**12), power=st.integers(0, 10**6))
def test_repetition_and_powers_render_or_fail_cleanly(
    seller: Seller,
    orders: list[Order],
    tmp_path_factory: pytest.TempPathFactory,
    count: int,
    power: int,
) -> None:
    folder = email_showing(
        tmp_path_factory.mktemp("t"),
        f'{{{{ ("ab" * {count})|length }}}} {{{{ (7 ** {power}) > 0 }}}}',
    )
    renderer = renderer_for(seller, folder, time_limit=60)
    try:
        mail = renderer.email("shipping_confirmation", orders[2])
    except TemplateError as error:
        assert (error.name, error.lineno) == (HTML, 5)
        assert "limit" in error.message or "too large" in error.message
    else:
        assert f"{2 * max(count, 0)} True" in mail.html


def test_legitimate_templates_stay_within_the_defaults(
    renderer: Renderer, orders: list[Order]
) -> None:
    environment = renderer.environment
    assert (environment.time_limit, environment.max_output) == (5.0, 4_000_000)
    for order in orders:
        renderer.email("shipping_confirmation", order, channel="own")
        renderer.packing_slip_html(order)


def test_budgets_are_set_per_environment(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {"page.txt": "{% for i in range(50) %}0123456789{% endfor %}\n"})
    environment = TemplateEnvironment(folder, max_output=100)
    with (
        pytest.raises(TemplateError, match="output limit of 100 characters") as caught,
        environment.rendering("en_US"),
    ):
        environment.render("page.txt", {})
    assert (caught.value.name, caught.value.lineno) == ("page.txt", 1)
    environment.max_output = 1000
    with environment.rendering("en_US"):
        assert len(environment.render("page.txt", {})) == 500


RECURSION = HOSTILE / "recursion"


def test_a_recursive_macro_in_the_html_names_its_line(seller: Seller, orders: list[Order]) -> None:
    with pytest.raises(TemplateError) as caught:
        Renderer(seller, templates=RECURSION).email("shipping_confirmation", orders[2])
    assert caught.value.message == "calls nest too deeply (a macro that calls itself without end?)"
    assert (caught.value.name, caught.value.lineno) == (HTML, 2)


def test_a_recursive_macro_in_the_text_names_its_line(
    seller: Seller, orders: list[Order], tmp_path: Path
) -> None:
    folder = folder_with(
        tmp_path,
        {
            "emails/shipping_confirmation.txt": (
                RECURSION / "emails" / "shipping_confirmation.txt"
            ).read_text()
        },
    )
    with pytest.raises(TemplateError, match="calls nest too deeply") as caught:
        Renderer(seller, templates=folder).email("shipping_confirmation", orders[2])
    assert (caught.value.name, caught.value.lineno) == ("emails/shipping_confirmation.txt", 1)


def test_a_recursive_macro_in_a_subject_names_its_line(
    seller: Seller, orders: list[Order], tmp_path: Path
) -> None:
    folder = email_showing(
        tmp_path, "", subject="{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}"
    )
    with pytest.raises(TemplateError, match="calls nest too deeply") as caught:
        Renderer(seller, templates=folder).email("shipping_confirmation", orders[2])
    assert (caught.value.name, caught.value.lineno) == (HTML, 2)


def test_a_recursive_macro_in_a_slip_names_its_line(seller: Seller, orders: list[Order]) -> None:
    with pytest.raises(TemplateError, match="calls nest too deeply") as caught:
        Renderer(seller, templates=RECURSION).packing_slip_html(orders[2])
    assert (caught.value.name, caught.value.lineno) == ("packing_slip/slip.html", 2)
