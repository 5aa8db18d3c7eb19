"""Safe YAML loading that remembers the line of every mapping key, for error messages.

Only plain values, lists and mappings are built (no ``!!python/...`` objects, sets or merge
keys), a key given twice is an error, and two kinds of hostile document are refused before
they can hurt: one that expands to more than ``MAX_NODES`` values through aliases (an alias
bomb) and one nested deeper than ``MAX_DEPTH`` (which crashes libyaml's composer). PyYAML's
error messages are translated into words a publisher can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

MAX_NODES = 100_000
MAX_DEPTH = 50
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_MERGE = "tag:yaml.org,2002:merge"
_REFUSED_TAGS = ("set", "omap", "pairs")
# Every level of nesting needs one of these characters, so text with few of them is shallow.
_NESTING = "[{-?:"
# An alias can only start where a token starts; without aliases no value is shared.
_ALIAS = re.compile(r"(?:^|[\s\[{,:?-])\*[^\s,\]}]", re.M)


class YamlSourceError(Exception):
    """The text is not acceptable YAML; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Located:
    """A loaded YAML document plus the line each key path was found on."""

    value: Any
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def line_of(self, path: tuple[str, ...]) -> int | None:
        """The line of ``path``, else of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def _refuse_tag(loader: Any, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, f"could not determine a constructor for the tag {node.tag!r}", node.start_mark
    )


def _timestamp_or_text(loader: Any, node: yaml.ScalarNode) -> Any:
    """An unquoted date YAML cannot build (``2022-13-45``) stays text, so the field is named."""
    try:
        value: date = yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError, AttributeError):
        return node.value
    return value


class _StrictLoader(_Base):
    """The libyaml safe loader without sets, ordered maps, merge keys or repeated keys."""

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                _refuse_tag(self, key_node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if len(mapping) < len(node.value):
            seen: dict[Any, None] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
                    )
                seen[key] = None
        return mapping


class _StrictConstructor(yaml.SafeLoader):
    """Builds the scalars of :func:`load_located`, with the same rules as ``_StrictLoader``."""


for _cls in (_StrictLoader, _StrictConstructor):
    _cls.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
    for _name in _REFUSED_TAGS:
        _cls.add_constructor(f"tag:yaml.org,2002:{_name}", _refuse_tag)


def load(text: str) -> Any:
    """Parse one YAML document quickly (libyaml); the line-tracking parse if it has aliases."""
    _check_depth(text)
    if _ALIAS.search(text):
        return load_located(text).value  # counts what the aliases expand to
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a safe loader
    except yaml.YAMLError as exc:
        raise YamlSourceError(*describe(exc, text)) from exc
    except (ValueError, TypeError, OverflowError, AttributeError) as exc:
        # A tagged value its constructor cannot build (``!!int abc``): find its line.
        load_located(text)
        raise YamlSourceError("invalid YAML: a value cannot be read") from exc


def load_located(text: str) -> Located:
    """Parse one YAML document, recording the line of every key (``()`` is the root)."""
    _check_depth(text)
    try:
        root = yaml.compose(text, Loader=_Base)
    except yaml.YAMLError as exc:
        raise YamlSourceError(*describe(exc, text)) from exc
    located = Located(None)
    if root is None:
        return located
    constructor = _StrictConstructor("")
    budget = [MAX_NODES]
    located.lines[()] = root.start_mark.line + 1
    located.value = _build(root, (), located, constructor, budget)
    return located


def _check_depth(text: str) -> None:
    """Refuse text nested deeper than ``MAX_DEPTH``, whatever the YAML library's own limits.

    Flow nesting (``[[[...``) is measured on the text itself: libyaml's scanner reads far ahead
    inside flow collections and has a limit and a message of its own that change between
    releases. Block nesting is then counted from parser events, which come line by line.
    """
    if sum(text.count(c) for c in _NESTING) <= MAX_DEPTH:
        return
    line = _flow_too_deep(text)
    if line is not None:
        raise YamlSourceError(_TOO_DEEP, line)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlSourceError(_TOO_DEEP, _line(event.start_mark))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise YamlSourceError(*describe(exc, text)) from exc


_TOO_DEEP = f"refused: lists and mappings nested more than {MAX_DEPTH} levels deep"


def _flow_too_deep(text: str) -> int | None:
    """The 1-based line where ``[``/``{`` collections nest deeper than ``MAX_DEPTH``, or None.

    One pass over the characters: quoted scalars and comments are skipped, and in block
    context a bracket counts only where a value can start (at a line's start or after ``:``,
    ``-`` or ``?`` and a space, past any tags and anchors), so a ``[`` in plain text is not
    nesting.
    """
    depth = 0
    for number, line in enumerate(text.split("\n"), 1):
        starts = True  # a value may start here (block context)
        position = 0
        while position < len(line):
            char = line[position]
            value_here = depth > 0 or starts
            if char == "#" and (position == 0 or line[position - 1] in " \t"):
                break
            if char in "[{" and value_here:
                depth += 1
                if depth > MAX_DEPTH:
                    return number
            elif char in "]}" and depth:
                depth -= 1
            elif char in "\"'" and value_here:
                position = _after_quote(line, position)
            elif char in " \t":
                starts = starts or line[position - 1] in ":?-"
            elif char in "!&" and starts:
                position = _after_word(line, position)
                continue
            else:
                starts = False
            position += 1
    return None


def _after_word(line: str, start: int) -> int:
    """The index of the first blank after ``start`` (or the line's end)."""
    ends = [index for index in (line.find(" ", start), line.find("\t", start)) if index >= 0]
    return min(ends, default=len(line))


def _after_quote(line: str, start: int) -> int:
    """The index of the quote closing the scalar opened at ``start`` (or the line's end)."""
    quote = line[start]
    position = start + 1
    while position < len(line):
        if quote == '"' and line[position] == "\\":
            position += 2
            continue
        if line[position] == quote:
            if quote == "'" and line[position + 1 : position + 2] == "'":
                position += 2
                continue
            return position
        position += 1
    return position


def _build(
    node: yaml.Node,
    path: tuple[str, ...],
    located: Located,
    constructor: yaml.SafeLoader,
    budget: list[int],
) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        # An aliased node's own mark is where its anchor is; the top-level key is the culprit.
        raise YamlSourceError(
            f"refused: the document expands to more than {MAX_NODES} values (an alias bomb?)",
            located.line_of(path[:1]),
        )
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
        raise YamlSourceError(
            f"refused: YAML tag {shown_tag(node.tag)} is not allowed", node.start_mark.line + 1
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE:
                raise YamlSourceError("refused: YAML merge keys ('<<') are not allowed", line)
            key = _scalar(key_node, constructor)
            if isinstance(key, list | dict):
                raise YamlSourceError("invalid YAML: a mapping key must be a plain value", line)
            if key in result:
                raise YamlSourceError(f"invalid YAML: duplicate key {key_node.value!r}", line)
            child = (*path, str(key))
            located.lines[child] = line
            result[key] = _build(value_node, child, located, constructor, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*path, str(index))
            located.lines[child] = item.start_mark.line + 1
            items.append(_build(item, child, located, constructor, budget))
        return items
    return _scalar(node, constructor)


def _scalar(node: yaml.Node, constructor: yaml.SafeLoader) -> Any:
    line = node.start_mark.line + 1
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise YamlSourceError(describe(exc)[0], line) from exc
    except (ValueError, TypeError, OverflowError, AttributeError) as exc:
        raise YamlSourceError(
            f"invalid YAML: {node.value!r} is not a valid {shown_tag(node.tag)} value", line
        ) from exc


def shown_tag(tag: str) -> str:
    """A tag as it is written: ``'!!python/object'`` for ``tag:yaml.org,2002:python/object``."""
    return repr(tag.replace("tag:yaml.org,2002:", "!!", 1))


# (words in PyYAML's problem, which mark points at the culprit, what to tell the publisher)
_EXPLAINED = (
    ("expected ',' or ']'", "context", "a list opened with '[' is not closed with ']'"),
    ("expected ',' or '}'", "context", "a mapping opened with '{' is not closed with '}'"),
    ("unexpected end of stream", "context", "a quoted text is not closed with its quote"),
    (
        "mapping values are not allowed",
        "problem",
        "unexpected ':' (put text that contains ': ' in quotes, or check the indentation)",
    ),
    ("tab character", "problem", "a tab is used for indentation; indent with spaces"),
    (
        "invalid Unicode character escape",
        "problem",
        'a "\\u" escape in double quotes is not a character (a lone surrogate?); '
        "write the character itself",
    ),
    (
        "unknown escape character",
        "problem",
        "unknown backslash escape in double quotes; use single quotes for text with '\\'",
    ),
    ("expected '-' indicator", "problem", "expected a '- ' list item here; check the indentation"),
    ("did not find expected key", "problem", "expected 'key: value' here; check the indentation"),
    ("could not find expected ':'", "context", "expected 'key: value' here; is a ':' missing?"),
    ("expected node content", "problem", "expected a value here"),
    (
        "block sequence entries are not allowed",
        "problem",
        "unexpected '- ' (put text that starts with '- ' in quotes)",
    ),
    ("another document", "problem", "only one YAML document is allowed; remove the '---' line"),
    ("<document start>", "problem", "only one YAML document is allowed; remove the '...' line"),
    (
        "expected alphabetic or numeric character",
        "problem",
        "'&' and '*' start YAML anchors and aliases; put text starting with them in quotes",
    ),
    ("duplicate anchor", "problem", "the same '&' anchor is defined twice"),
)


def describe(exc: yaml.YAMLError, text: str = "") -> tuple[str, int | None]:
    """A one-line message for a PyYAML error, and the 1-based line it is about."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.encode("utf-8", "surrogatepass")[: exc.position].count(b"\n") + 1
        return f"contains U+{exc.character:04X}, a control character YAML does not allow", line
    problem = str(getattr(exc, "problem", None) or str(exc).splitlines()[0])
    context = getattr(exc, "context", None)
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if isinstance(exc, yaml.constructor.ConstructorError):
        tag = re.search(r"the tag '([^']*)'", problem)
        if tag:
            return f"refused: YAML tag {shown_tag(tag[1])} is not allowed", _line(problem_mark)
        if problem.startswith("duplicate key"):
            return f"invalid YAML: {problem}", _line(problem_mark)
        if "unhashable" in problem:
            return "invalid YAML: a mapping key must be a plain value", _line(problem_mark)
    unclosed = _unclosed_quote(text)
    if unclosed is not None and (problem_mark is None or problem_mark.line + 1 >= unclosed[0]):
        line, key = unclosed
        return f"invalid YAML: {key}: a quoted text is not closed with its quote", line
    found = _token_at(text, problem_mark)
    if "cannot start any token" in problem:
        if found.startswith("\t"):
            return "invalid YAML: a tab is used for indentation; indent with spaces", _line(
                problem_mark
            )
        return (
            f"invalid YAML: {found[:1]!r} cannot start a value; put the text in quotes",
            _line(problem_mark),
        )
    if "undefined alias" in problem:
        return (
            f"invalid YAML: {found!r} is an alias of no '&' anchor "
            "(put text that starts with '*' in quotes)",
            _line(problem_mark),
        )
    for words, mark, message in _EXPLAINED:
        if words in problem:
            where = context_mark if mark == "context" and context_mark else problem_mark
            return f"invalid YAML: {message}", _line(where)
    text_of = f"{context} {problem}" if context else problem
    return f"invalid YAML: {text_of}", _line(problem_mark or context_mark)


# A key line whose value opens with a quote, and a line that looks like the next key.
_QUOTED_VALUE = re.compile(r"^[ ]*(?:- +)?([^\s#'\"\-?:][^:#]*?):[ ]+([\"'])")
_KEY_LINE = re.compile(r"^[ ]*(?:- +)?[^\s#'\"\-?:][^:#]*:(?:[ ]|$)")


def _unclosed_quote(text: str) -> tuple[int, str] | None:
    """(1-based line, key) of a value whose opening quote its line does not close, when the
    next line starts a key: YAML reads on to the next quote it finds, lines later, and
    reports that far line (as a problem of indentation), not the one to fix."""
    lines = text.split("\n")
    for number, line in enumerate(lines[:-1]):
        match = _QUOTED_VALUE.match(line)
        if match is None:
            continue
        end = _after_quote(line, match.start(2))
        closed = end < len(line) and line[end] == match[2]
        if not closed and _KEY_LINE.match(lines[number + 1]):
            return number + 1, match[1].strip()
    return None


def _line(mark: Any) -> int | None:
    return None if mark is None else int(mark.line) + 1


def _token_at(text: str, mark: Any) -> str:
    """The text at a mark (libyaml's messages do not say which character they mean)."""
    if mark is None or not text:
        return ""
    lines = text.split("\n")
    if mark.line >= len(lines):
        return ""
    rest = lines[mark.line][mark.column :]
    match = re.match(r"\S+|\s", rest)
    return match.group() if match else ""
