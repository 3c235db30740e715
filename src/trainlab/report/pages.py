"""What the report pages share: the templates, embedded images, and safe text in HTML and Markdown.

HTML pages are rendered by Jinja2 with autoescaping on, so names that come
from users (titles, variant names, recipe values) cannot inject markup;
figures are embedded as base64 ``data:`` URIs (RFC 2397), so a page is one
self-contained file. Markdown pages come from the same templates folder with
autoescaping off and the filters of this module, which escape Markdown's
special characters and ``<``, ``>``, ``&`` (CommonMark with GitHub tables), so
a variant called ``<script>`` shows as text there too.

Example:
    >>> from trainlab.report.pages import md, md_code
    >>> md("<b>a|b</b>"), md_code("x`y")
    ('&lt;b&gt;a\\\\|b&lt;/b&gt;', '``x`y``')
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).parent / "templates"

_MIME = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}


def html_environment() -> Environment:
    """The Jinja2 environment of the HTML pages (autoescaping, strict undefined names)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["code"] = code
    return env


def markdown_environment() -> Environment:
    """The Jinja2 environment of the Markdown pages: no HTML escaping, Markdown's instead."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md, md_code=md_code, md_ticks=md_ticks)
    return env


def code(text: Any) -> Markup:
    """Escape ``text`` and turn its `backticked` spans into ``<code>`` elements."""
    escaped = str(escape(str(text)))
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))


def data_uri(path: Path) -> str:
    """The file as a base64 ``data:`` URI, its type from its suffix."""
    mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def slug(text: str) -> str:
    """A CSS class name for a verdict or an effect: ``"no clear effect"`` → ``no-clear-effect``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unknown"


def plain(obj: Any) -> Any:
    """Values as YAML-safe Python values (pydantic models, paths, numpy scalars, tuples)."""
    if hasattr(obj, "model_dump"):
        return plain(obj.model_dump(mode="json"))
    if isinstance(obj, Mapping):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [plain(v) for v in obj]
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if hasattr(obj, "item"):  # numpy / torch scalars
        try:
            return obj.item()
        except (TypeError, ValueError):
            pass
    return str(obj)


def md(text: Any) -> str:
    """Text that Markdown shows as written: specials escaped, ``<``/``>``/``&`` as entities."""
    s = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = re.sub(r"([\\`*_\[\]|~])", r"\\\1", s)
    s = re.sub(r"^([#+\-=])(?=\s|$)", r"\\\1", s)  # would start a heading or a list
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", s).replace("\n", " ")


def md_code(text: Any) -> str:
    """A Markdown code span that holds ``text`` whatever backticks it has."""
    s = str(text).replace("\n", " ").replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def md_ticks(text: Any) -> str:
    """Plain text whose `backticked` spans stay code spans, the rest escaped."""
    parts = re.split(r"(`[^`]+`)", str(text))
    return "".join(
        md_code(p[1:-1]) if p.startswith("`") and p.endswith("`") and len(p) > 1 else md(p)
        for p in parts
    )
