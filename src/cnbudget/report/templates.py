"""Every HTML page is built from a Jinja template with autoescape: text from a document or a
sidecar (a title, a department, an error) can never become markup."""

from functools import cache

from jinja2 import Environment, FunctionLoader, StrictUndefined
from markupsafe import Markup

from ..resources import packaged


def _load(name: str) -> str:
    return packaged("report", "templates", name).read_text(encoding="utf-8")


@cache
def environment() -> Environment:
    return Environment(
        loader=FunctionLoader(_load),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, **context) -> str:
    """Render ``templates/<name>``; values are escaped unless wrapped in ``Markup``."""
    return environment().get_template(name).render(**context)


def stylesheet() -> Markup:
    """The report's CSS (our own file, inlined as is)."""
    return Markup(packaged("report", "style.css").read_text(encoding="utf-8"))


__all__ = ["Markup", "render", "stylesheet"]
