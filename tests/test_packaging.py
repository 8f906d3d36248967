"""A wheel built from this checkout works on its own, built-in templates included."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import sellercomms, sys
from pathlib import Path
from sellercomms import Renderer, sample_orders, sample_seller
assert "site-packages" in sellercomms.__file__, sellercomms.__file__
mail = Renderer(sample_seller()).email("shipping_confirmation", sample_orders()[2])
assert "ACME-1003" in mail.subject, mail.subject
print(Path(sellercomms.__file__).parent)
"""


@pytest.mark.packaging
def test_wheel_installs_and_finds_its_templates(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(wheels.glob("sellercomms-*.whl"))
    env_dir = tmp_path / "venv"
    # The fresh environment sees the dependencies already installed here, but not this
    # checkout: sellercomms itself comes from the wheel alone.
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (Path(site) / "dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True)
    result = subprocess.run(
        [str(python), "-I", "-c", CHECK], check=True, capture_output=True, text=True, cwd=tmp_path
    )
    package = Path(result.stdout.strip())
    assert (package / "templates" / "emails" / "shipping_confirmation.html").is_file()
    assert (package / "templates" / "samples" / "orders.json").is_file()
    assert (package / "preview" / "ui" / "static" / "preview.js").is_file()
    # The caniemail snapshot the check reads, with its licence notice.
    assert (package / "checks" / "data" / "caniemail.json").is_file()
    assert (package / "checks" / "data" / "caniemail-LICENSE").is_file()
