"""Where templates are read from: a seller's folder over the built-ins, never outside them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from .exceptions import TemplateError

__all__ = ["FolderLoader"]


class FolderLoader(jinja2.BaseLoader):
    """Templates from ``folders`` in order, never from outside them.

    A name is split at ``/`` and may not contain ``..``; the file it names is resolved
    (symbolic links followed) and must still lie inside the folder it was found in.  Each
    stylesheet (a ``.css`` template) is passed to ``on_stylesheet`` when it is loaded, which
    may raise :class:`TemplateError` to refuse it.
    """

    def __init__(
        self,
        folders: Iterable[Path],
        *,
        on_stylesheet: Callable[[str, str], None] | None = None,
    ) -> None:
        self.folders = tuple(Path(folder).resolve() for folder in folders)
        self.on_stylesheet = on_stylesheet

    def locate(self, name: str) -> Path | None:
        """The file of template ``name`` (in the first folder that has it), or ``None``."""
        pieces = split_template_path(name)  # raises TemplateNotFound on ".." segments
        for folder in self.folders:
            path = folder.joinpath(*pieces)
            if path.is_file():
                if not path.resolve().is_relative_to(folder):
                    raise TemplateError(
                        f"{path} leads outside the template folder {folder} "
                        "(templates are read only from inside their folder)",
                        name=name,
                        filename=str(path),
                    )
                return path
        return None

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.locate(template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        source = path.read_text(encoding="utf-8")
        if self.on_stylesheet is not None and template.endswith(".css"):
            self.on_stylesheet(template, source)
        mtime = path.stat().st_mtime

        def uptodate() -> bool:
            try:
                return path.stat().st_mtime == mtime
            except OSError:
                return False

        return source, str(path), uptodate
