"""One error policy for every render: what template code raises is a TemplateError at its line.

Whoever renders (inside :meth:`TemplateEnvironment.rendering` or not, a whole template or one
block of it), an error of template code is a :class:`TemplateError` naming the innermost
template file and line, raised from the original; our own errors, and the interruptions a
render must not swallow, pass as they were raised.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from traceback import extract_tb

import jinja2
import pytest
from jinja2.exceptions import SecurityError

from sellercomms import Order, PolicyError, Renderer, Seller, TemplateError
from sellercomms.environment import TemplateEnvironment
from tests.test_template_limits import HTML, folder_with

# A render: the environment and the template name to what it renders.
Render = Callable[[TemplateEnvironment, str], str]


def _whole(environment: TemplateEnvironment, name: str) -> str:
    return environment.render(name, {})


def _subject(environment: TemplateEnvironment, name: str) -> str:
    return environment.render_block(name, "subject", {})


RENDERS: dict[str, Render] = {"render": _whole, "render_block": _subject}


def _within(environment: TemplateEnvironment, inside: bool) -> AbstractContextManager[None]:
    return environment.rendering("en_US") if inside else nullcontext()


@pytest.fixture(params=[True, False], ids=["in-rendering", "alone"])
def inside(request: pytest.FixtureRequest) -> bool:
    """Whether the render happens inside ``rendering()``: it makes no difference to errors."""
    return bool(request.param)


@pytest.fixture(params=list(RENDERS), ids=list(RENDERS))
def render(request: pytest.FixtureRequest) -> Render:
    return RENDERS[request.param]


def failing(
    environment: TemplateEnvironment, render: Render, name: str, inside: bool
) -> TemplateError:
    with pytest.raises(TemplateError) as caught, _within(environment, inside):
        render(environment, name)
    return caught.value


# Template code that fails on line 3 of the subject block, and what the error says.
FAILURES = {
    "division": (
        "{{ 1 // 0 }}",
        ZeroDivisionError,
        "ZeroDivisionError: integer division or modulo by zero",
    ),
    "filter": (
        "{{ 5|length }}",
        TypeError,
        "TypeError: object of type 'int' has no len()",
    ),
    "value": ('{{ "abc".index("z") }}', ValueError, "ValueError: substring not found"),
    "undefined": (
        "{{ tracking_link }}",
        jinja2.UndefinedError,
        "undefined variable 'tracking_link'",
    ),
    "sandbox": ("{{ ''.__class__.__mro__ }}", SecurityError, "not allowed in the sandbox"),
    "recursion": (
        "{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}",
        RecursionError,
        "calls nest too deeply (a macro that calls itself without end?)",
    ),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_template_code_fails_the_same_way_on_every_path(
    tmp_path: Path, failure: str, render: Render, inside: bool
) -> None:
    code, cause, message = FAILURES[failure]
    folder = folder_with(
        tmp_path,
        {
            "page.html": "First line\n{% block subject %}Your order\nhas shipped\n"
            + code
            + "\n{% endblock %}\n"
        },
    )
    error = failing(TemplateEnvironment(folder), render, "page.html", inside)
    assert (error.name, error.lineno, error.filename) == ("page.html", 4, str(folder / "page.html"))
    assert error.message.startswith(message)
    assert isinstance(error.__cause__, cause)


@pytest.mark.parametrize("before", [0, 1, 2, 7])
@pytest.mark.parametrize("within", [1, 2, 3])
def test_a_block_reports_its_template_line(
    tmp_path: Path, render: Render, before: int, within: int
) -> None:
    block = "{% block subject %}" + "Shipped\n" * (within - 1) + "{{ 1 // 0 }}{% endblock %}"
    folder = folder_with(tmp_path, {"page.html": "Line\n" * before + block + "\nafter\n"})
    error = failing(TemplateEnvironment(folder), render, "page.html", True)
    assert (error.name, error.lineno) == ("page.html", before + within)


def test_a_block_of_a_child_template_reports_the_child(tmp_path: Path, render: Render) -> None:
    folder = folder_with(
        tmp_path,
        {
            "base.html": "<title>{% block subject %}{% endblock %}</title>\n",
            "child.html": '{% extends "base.html" %}\n\n\n'
            "{% block subject %}\nShipped\n{{ 1 // 0 }}\n{% endblock %}\n",
        },
    )
    error = failing(TemplateEnvironment(folder), render, "child.html", True)
    assert (error.name, error.lineno) == ("child.html", 6)


def test_a_block_the_child_inherits_reports_the_parent(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        {
            "base.html": "<title>\n{% block subject %}\n{{ order.id }}{% endblock %}</title>\n",
            "child.html": '{% extends "base.html" %}\n{% block content %}x{% endblock %}\n',
        },
    )
    error = failing(TemplateEnvironment(folder), _whole, "child.html", True)
    assert (error.name, error.lineno, error.message) == (
        "base.html",
        3,
        "undefined variable 'order'",
    )


def test_super_in_a_block_reports_the_parents_line(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        {
            "base.html": "{% block subject %}\n\n{{ 1 // 0 }}{% endblock %}\n",
            "child.html": '{% extends "base.html" %}\n'
            "{% block subject %}\nA {{ super() }}{% endblock %}\n",
        },
    )
    error = failing(TemplateEnvironment(folder), _whole, "child.html", True)
    assert (error.name, error.lineno) == ("base.html", 3)


@pytest.mark.parametrize(
    "pulls_in",
    [
        '{% import "macros.html" as m %}{{ m.total() }}',
        '{% from "macros.html" import total %}{{ total() }}',
        '{% include "part.html" %}',
    ],
)
def test_an_error_in_a_template_pulled_in_names_that_template(
    tmp_path: Path, render: Render, inside: bool, pulls_in: str
) -> None:
    folder = folder_with(
        tmp_path,
        {
            "macros.html": "{% macro total() %}\n\n{{ 10 / 0 }}\n{% endmacro %}\n",
            "part.html": "Total:\n\n{{ 10 / 0 }}\n",
            "page.html": "{% block subject %}\n" + pulls_in + "{% endblock %}\n",
        },
    )
    error = failing(TemplateEnvironment(folder), render, "page.html", inside)
    assert (error.name, error.lineno) == (pulls_in.split('"')[1], 3)
    assert error.message == "ZeroDivisionError: division by zero"


def test_a_syntax_error_in_an_include_names_the_include(tmp_path: Path, render: Render) -> None:
    folder = folder_with(
        tmp_path,
        {
            "broken.html": "fine\n{% if %}\n",
            "page.html": '{% block subject %}{% include "broken.html" %}{% endblock %}\n',
        },
    )
    error = failing(TemplateEnvironment(folder), render, "page.html", False)
    assert (error.name, error.lineno) == ("broken.html", 2)


def test_a_template_too_deep_to_compile_names_itself(tmp_path: Path, inside: bool) -> None:
    folder = folder_with(tmp_path, {"page.txt": "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}\n"})
    error = failing(TemplateEnvironment(folder), _whole, "page.txt", inside)
    assert (error.name, error.message) == ("page.txt", "nests too deeply to compile")
    assert isinstance(error.__cause__, RecursionError)


def _raising(error: BaseException) -> Callable[[object], str]:
    def raise_it(value: object) -> str:
        raise error

    return raise_it


@pytest.mark.parametrize(
    "interruption",
    [KeyboardInterrupt(), SystemExit(3), MemoryError(), GeneratorExit()],
    ids=lambda error: type(error).__name__,
)
def test_interruptions_pass_through_unchanged(
    tmp_path: Path, render: Render, inside: bool, interruption: BaseException
) -> None:
    folder = folder_with(tmp_path, {"page.html": "{% block subject %}{{ 1|stop }}{% endblock %}"})
    environment = TemplateEnvironment(folder)
    environment.jinja.filters["stop"] = _raising(interruption)
    with pytest.raises(type(interruption)) as caught, _within(environment, inside):
        render(environment, "page.html")
    assert caught.value is interruption
    assert caught.value.__cause__ is None


def test_our_own_errors_pass_through_with_the_template_lines(
    tmp_path: Path, render: Render, inside: bool
) -> None:
    refused = PolicyError("no links here", channel="amazon", rule="amazon.only-needed-links")
    folder = folder_with(
        tmp_path, {"page.html": "{% block subject %}\n\n{{ 1|refuse }}{% endblock %}"}
    )
    environment = TemplateEnvironment(folder)
    environment.jinja.filters["refuse"] = _raising(refused)
    with pytest.raises(PolicyError) as caught, _within(environment, inside):
        render(environment, "page.html")
    assert caught.value is refused
    # The traceback runs through the template's own lines, as Jinja writes them.
    lines = [(Path(frame.filename).name, frame.lineno) for frame in extract_tb(caught.tb)]
    assert ("page.html", 3) in lines


def test_a_subject_failing_on_its_third_line_names_that_line(
    seller: Seller, orders: list[Order], tmp_path: Path
) -> None:
    folder = folder_with(
        tmp_path,
        {
            HTML: '{% extends "emails/_base.html" %}\n'
            "{% block preheader %}{% endblock %}\n"
            "{% block subject %}Shipped:\n"
            "{{ order_number }}\n"
            "{{ (order.items|length) // 0 }}{% endblock %}\n"
            "{% block content %}{% endblock %}\n",
            "emails/shipping_confirmation.txt": "Hello.\n",
        },
    )
    with pytest.raises(TemplateError) as caught:
        Renderer(seller, templates=folder).email("shipping_confirmation", orders[2])
    assert (caught.value.name, caught.value.lineno) == (HTML, 5)
    assert type(caught.value.__cause__) is ZeroDivisionError


def test_a_packing_slip_reports_python_errors_at_their_line(
    seller: Seller, orders: list[Order], tmp_path: Path
) -> None:
    folder = folder_with(tmp_path, {"packing_slip/slip.html": "<p>\n{{ slip.count / 0 }}</p>\n"})
    with pytest.raises(TemplateError) as caught:
        Renderer(seller, templates=folder).packing_slip_html(orders[2])
    assert caught.value.message == "ZeroDivisionError: division by zero"
    assert (caught.value.name, caught.value.lineno) == ("packing_slip/slip.html", 2)
