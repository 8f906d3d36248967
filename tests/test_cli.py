"""The command line, run in-process: files written, exit codes, one line per failed order."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path
from typing import Any

import pytest

from sellercomms.cli import main
from sellercomms.environment import builtin_templates_dir
from sellercomms.samples import sample_seller_path

SELLER = str(sample_seller_path())


def write_orders(path: Path, orders: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(orders), encoding="utf-8")
    return path


def render_email(template: str, orders: Path, out: Path) -> int:
    return main(
        [
            "render",
            "email",
            template,
            "--orders",
            str(orders),
            "--seller",
            SELLER,
            "--out",
            str(out),
        ]
    )


def test_render_email_writes_three_files_per_order(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    own = [o for o in order_dicts if o["marketplace"] == "own"]
    orders = write_orders(tmp_path / "orders.json", own)
    out = tmp_path / "out"
    argv = ["render", "email", "shipping_confirmation", "--orders", str(orders)]
    code = main([*argv, "--seller", SELLER, "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    for order in own:
        eml = (out / f"{order['order_id']}.eml").read_bytes()
        message = email.message_from_bytes(eml, policy=policy.default)
        assert order["order_id"] in str(message["Subject"])
        assert (out / f"{order['order_id']}.html").read_text(encoding="utf-8").startswith("<!")
        assert (out / f"{order['order_id']}.txt").stat().st_size > 0
    assert not list(out.glob(".*.part"))


def test_one_bad_order_fails_alone(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    own = [o for o in order_dicts if o["marketplace"] == "own"]
    own[1]["items"][0]["quantity"] = 0
    orders = write_orders(tmp_path / "orders.json", own)
    out = tmp_path / "out"
    code = render_email("shipping_confirmation", orders, out)
    assert code == 1
    bad = own[1]["order_id"]
    assert capsys.readouterr().err.splitlines() == [
        f"order {bad} (#2): items[0].quantity: must be at least 1"
    ]
    assert sorted(p.stem for p in out.glob("*.eml")) == sorted(
        o["order_id"] for o in own if o["order_id"] != bad
    )


def test_policy_failure_is_one_line(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    orders = write_orders(tmp_path / "orders.json", order_dicts[:3])
    code = render_email("shipping_confirmation", orders, tmp_path / "out")
    assert code == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("order 113-7654321-1234567 (#1): channel: amazon forbids")


def test_existing_files_survive_a_failed_run(
    tmp_path: Path, order_dicts: list[dict[str, Any]]
) -> None:
    order = next(o for o in order_dicts if o["order_id"] == "ACME-1003")
    out = tmp_path / "out"
    out.mkdir()
    (out / "ACME-1003.eml").write_bytes(b"the good one")
    order["currency"] = "ABC"
    orders = write_orders(tmp_path / "orders.json", [order])
    code = render_email("shipping_confirmation", orders, out)
    assert code == 1
    assert (out / "ACME-1003.eml").read_bytes() == b"the good one"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--orders", "missing.json", "--seller", SELLER], "missing.json: no such file"),
        (["--orders", "{orders}", "--seller", "nope.toml"], "nope.toml: no such file"),
        (["--orders", "{orders}"], "no seller profile: pass --seller FILE or create"),
        (["--orders", "{orders}", "--seller", SELLER, "--channel", "fax"], "Invalid value"),
    ],
)
def test_unusable_arguments_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    order_dicts: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    orders = write_orders(tmp_path / "orders.json", order_dicts)
    argv = [a.format(orders=orders) for a in args]
    code = main(["render", "email", "shipping_confirmation", *argv, "--out", "out"])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_unknown_template_exits_2(
    tmp_path: Path, order_dicts: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    orders = write_orders(tmp_path / "orders.json", order_dicts)
    code = render_email("no_such_mail", orders, tmp_path / "out")
    assert code == 2
    assert "no message 'no_such_mail'" in capsys.readouterr().err


def test_seller_profile_is_found_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order_dicts: list[dict[str, Any]]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    orders = write_orders(tmp_path / "orders.json", order_dicts[1:3])
    code = main(["render", "email", "shipping_confirmation", "--orders", str(orders), "--out", "o"])
    assert code == 0
    eml = (tmp_path / "o" / "ACME-1002.eml").read_bytes()
    assert b"support@your-shop.example" in eml


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path)]) == 0
    profile = tmp_path / "sellercomms.toml"
    profile.write_text("# mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert profile.read_text(encoding="utf-8") == "# mine\n"
    assert (tmp_path / "my-templates" / "README.txt").is_file()
    assert "exists already" in capsys.readouterr().err


def test_init_never_writes_into_the_built_in_templates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    builtin = builtin_templates_dir()
    before = sorted(builtin.rglob("*"))
    assert main(["init", str(builtin)]) == 2
    assert main(["init", str(builtin / "emails")]) == 2
    assert sorted(builtin.rglob("*")) == before
    assert "built-in templates" in capsys.readouterr().err


def test_demo_writes_every_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path)]) == 0
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.eml")}
    assert "emails/shipping_confirmation/ACME-1003.eml" in written
    # Amazon forbids sellers' shipping confirmations: the demo says so instead of writing one.
    assert "emails/shipping_confirmation/113-7654321-1234567.eml" not in written
    assert "113-7654321-1234567" in capsys.readouterr().out


def test_schema_is_the_order_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Order"
    assert {"order_id", "marketplace", "placed_at", "currency", "customer", "items"} <= (
        set(schema["required"])
    )
    # Only slips and shipping confirmations need the address; the other messages do without.
    assert "ship_to" in schema["properties"] and "ship_to" not in schema["required"]
    assert schema["additionalProperties"] is False


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "sellercomms" in capsys.readouterr().out
