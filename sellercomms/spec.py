"""What renders for a seller, here and as one picklable value for workers elsewhere.

A :class:`RenderSetup` is the seller, the template environment over the seller's folder and
how e-mails are inlined: what both pipelines (e-mails and packing slips) render with.

Work sent to other processes or machines (a process pool, a Dask cluster, Celery) carries a
:class:`RenderSpec` instead: the seller, the files of the seller's template folder and the
logo, and the sellercomms version.  A worker needs no shared disk: it writes the files into a
folder of its own once and keeps the setup built from them for every later piece of work with
the same spec (:func:`prepared_setup`), since Dask has no per-worker initializer.  The spec's
:attr:`~RenderSpec.key` is a hash of all of it: a template edited between two batches is a
new spec.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import Final

from .environment import TemplateEnvironment
from .exceptions import RenderError
from .inlining import InlinerName
from .models import Seller
from .version import VERSION

__all__ = ["MAX_SPEC_BYTES", "RenderSetup", "RenderSpec", "prepared_setup"]

#: The most a template folder and logo may hold to travel with the work (every shard).
MAX_SPEC_BYTES: Final = 32 * 1024 * 1024
# Setups a worker keeps: one per spec in use (a seller with a few template versions).
_SETUPS_KEPT: Final = 4


@dataclass(frozen=True, slots=True)
class RenderSetup:
    """The seller, the templates (``templates``, the seller's folder, over the built-ins) and
    whether and by what e-mails get their CSS inlined."""

    seller: Seller
    environment: TemplateEnvironment
    templates: Path | None = None
    inliner: InlinerName = "css-inline"
    inline_css: bool = True

    @classmethod
    def create(
        cls,
        seller: Seller,
        templates: str | Path | None = None,
        *,
        inliner: InlinerName = "css-inline",
        inline_css: bool = True,
    ) -> RenderSetup:
        """A setup with an environment of its own over ``templates``."""
        folder = Path(templates).resolve() if templates is not None else None
        return cls(
            seller=seller,
            environment=TemplateEnvironment(folder),
            templates=folder,
            inliner=inliner,
            inline_css=inline_css,
        )


@dataclass(frozen=True, slots=True)
class RenderSpec:
    """The seller, their template files and logo, and the version that renders them.

    ``files`` are the seller's template folder as (relative path, content) pairs; ``logo``
    the local logo file's name and content.  Built with :meth:`of`.
    """

    seller: Seller
    files: tuple[tuple[str, bytes], ...] = ()
    logo: tuple[str, bytes] | None = None
    inliner: InlinerName = "css-inline"
    inline_css: bool = True
    version: str = VERSION
    #: A SHA-256 of everything above: equal keys render alike.
    key: str = field(init=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256()
        for part in (
            self.version,
            self.inliner,
            str(self.inline_css),
            self.seller.model_dump_json(),
        ):
            digest.update(part.encode() + b"\0")
        for name, content in (*self.files, *([self.logo] if self.logo else [])):
            digest.update(f"{name}\0{len(content)}\0".encode() + content)
        object.__setattr__(self, "key", digest.hexdigest())

    @classmethod
    def of(cls, setup: RenderSetup) -> RenderSpec:
        """The spec of ``setup``: its seller, template folder and logo, read now.

        Raises :class:`RenderError` when they hold more than :data:`MAX_SPEC_BYTES`.
        """
        files = _folder_files(setup.templates) if setup.templates is not None else ()
        logo_path = setup.seller.logo_path
        logo = None
        if logo_path is not None and logo_path.is_file():
            logo = (logo_path.name, logo_path.read_bytes())
        size = sum(len(content) for _, content in files) + (len(logo[1]) if logo else 0)
        if size > MAX_SPEC_BYTES:
            raise RenderError(
                f"the template folder and logo hold {size:,} bytes, more than the "
                f"{MAX_SPEC_BYTES:,} that can be sent to workers"
            )
        return cls(
            seller=setup.seller,
            files=files,
            logo=logo,
            inliner=setup.inliner,
            inline_css=setup.inline_css,
        )


def _folder_files(folder: Path) -> tuple[tuple[str, bytes], ...]:
    # As the template loader reads them: files inside the folder only, links out of it not.
    root = folder.resolve()
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.resolve().is_relative_to(root):
            found.append((path.relative_to(root).as_posix(), path.read_bytes()))
    return tuple(found)


_prepared: OrderedDict[str, tuple[RenderSetup, Path | None]] = OrderedDict()
_prepared_lock = Lock()


def prepared_setup(spec: RenderSpec) -> RenderSetup:
    """The setup of ``spec`` in this process: built on first use, then reused.

    Raises :class:`RenderError` when this process runs another sellercomms version than the
    one that made the spec: the built-in templates would differ.
    """
    if spec.version != VERSION:
        raise RenderError(
            f"this worker runs sellercomms {VERSION}, the batch was made with {spec.version}: "
            "install the same version on every worker"
        )
    with _prepared_lock:
        if spec.key not in _prepared:
            folder, seller, templates = _materialised(spec)
            setup = RenderSetup.create(
                seller, templates, inliner=spec.inliner, inline_css=spec.inline_css
            )
            _prepared[spec.key] = (setup, folder)
            while len(_prepared) > _SETUPS_KEPT:
                _remove(_prepared.popitem(last=False)[1][1])
        _prepared.move_to_end(spec.key)
        return _prepared[spec.key][0]


def _materialised(spec: RenderSpec) -> tuple[Path | None, Seller, Path | None]:
    """A folder of ours holding the files of ``spec``, and its seller and template folder."""
    if not spec.files and spec.logo is None:
        return None, spec.seller, None
    folder = Path(tempfile.mkdtemp(prefix=f"sellercomms-{spec.key[:12]}-"))
    templates = folder / "templates"
    for name, content in spec.files:
        target = templates.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    seller = spec.seller
    if spec.logo is not None:
        logo = folder / "logo" / spec.logo[0]
        logo.parent.mkdir()
        logo.write_bytes(spec.logo[1])
        seller = seller.model_copy(update={"logo": str(logo)})
    return folder, seller, templates if spec.files else None


def _remove(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@atexit.register
def _remove_all() -> None:
    for _, folder in _prepared.values():
        _remove(folder)
