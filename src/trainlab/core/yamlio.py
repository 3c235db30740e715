"""YAML reading shared by recipes and studies: named files, line-numbered errors,
no silently repeated keys, and no silently empty files.

Example:
    >>> from trainlab.core.yamlio import is_empty_yaml, parse_yaml
    >>> parse_yaml("a: 1\\nb: [2, 3]\\n", source="demo")
    {'a': 1, 'b': [2, 3]}
    >>> try:
    ...     parse_yaml("a: 1\\na: 2\\n", source="demo")
    ... except ValueError as e:
    ...     print(e)
    demo: line 2: duplicate key 'a'
    >>> is_empty_yaml("# only a comment\\n---\\n"), is_empty_yaml("null\\n")
    (True, False)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from trainlab.core.errors import ConfigError


class _DuplicateKey(yaml.YAMLError):
    pass


class UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate keys (plain YAML keeps the last one silently).

    Keys merged in with ``<<: *anchor`` may be overridden, as YAML intends.
    """

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _DuplicateKey(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str, *, source: str) -> Any:
    """Parse YAML text; a syntax error or a repeated key is a one-line ``ConfigError``."""
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # a SafeLoader subclass
    except _DuplicateKey as exc:
        raise ConfigError(f"{source}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{source}:{where}: {problem}") from None


def is_empty_yaml(text: str) -> bool:
    """True when ``text`` holds no YAML value: nothing, blank lines, comments, ``---``.

    An explicit ``null`` is a value (not empty); a syntax error is not empty
    either, so that :func:`parse_yaml` reports it with its line.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    # "---" alone composes to an implicit null written as nothing at all
    return node is None or (node.tag == "tag:yaml.org,2002:null" and node.value == "")


def read_named(
    path: str | Path, builtin: Callable[[str], Path | None], kind: str, listing: str
) -> tuple[str, Path]:
    """The text of a YAML file, or of the built-in ``kind`` of that name; and its path.

    Args:
        path: a file path or a built-in name.
        builtin: name → path of the built-in, or None.
        kind: "recipe", "study", … (for errors).
        listing: the command that lists the built-ins (for errors).

    Raises:
        ConfigError: no such file or built-in, an unreadable file, or a file
            that holds no YAML value (empty, or comments only).
    """
    p = Path(path)
    if not p.exists():
        found = builtin(str(path))
        if found is None:
            raise ConfigError(
                f"{kind} {str(path)!r}: no such file or built-in {kind} (see `{listing}`)"
            )
        p = found
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{kind} {p}: cannot read ({exc.__class__.__name__})") from None
    if is_empty_yaml(text):
        raise ConfigError(
            f"{kind} {p}: the file is empty; expected a mapping of {kind} settings "
            f"(examples: `{listing}`)"
        )
    return text, p
