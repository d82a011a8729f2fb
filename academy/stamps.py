"""Stamps: an NHS.UK component drawn once through its own macro with placeholders, then filled per row.

A 500-row table drawn through the `table` macro calls the attributes macro for every cell and takes about
a second; the markup of each row is the same but for its values. A stamp renders the macro once (per
process) with a *slot* in place of each changing value, learns from that output where each value lands and
how the macro treats it there, and then fills the gaps for every row:

- escaped: a value is escaped unless it is markup (a `Markup`, what another macro or stamp drew),
  wherever it lands: as the macro does for `text` and attributes, and, where the macro prints a value as
  given (`html`), as a page must before handing text to it. Each placeholder carries an `&`, so a macro
  that escaped it twice, or altered it, is caught;
- trimmed: the placeholder starts and ends with a tab, which the macro's `trim` removes when the value
  is at the edge of what is trimmed; the value is then trimmed the same way;
- indented: the placeholder holds a line break and a blank line, so the output shows the indentation the
  macro's `indent` filters give a value's later lines (and its blank lines);
- nested: a stamp may stand in another's params (radios in a table cell): both macros run together
  once per variant, so the row is one stamp with the slots of both;
- structure: a slot whose value is empty, None or a boolean changes what the macro draws (`{% if
  item.text %}`, `checked`), so the stamp keeps one rendering per combination of those values, each made
  through the macro with the real values (a "variant").

A value's line breaks are made `\\n` (Jinja's `indent` would treat `\\r\\n` and the rare others the same
way only where it indents). The macro's own runs of line breaks and indentation are drawn as one line
break (`squeeze`): HTML shows them the same, and they were most of a long register's bytes. Markup still
comes only from the macro, and tests/academy/test_stamps.py checks that filled stamps equal the macro's
own output but for the length of those runs.

Slots may only stand where a macro prints a value (escaped or not), never where it tests, compares,
lowercases or measures one; a placeholder the stamp cannot find again in the output raises ValueError."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from types import CodeType
from typing import Any, TypeVar

from markupsafe import Markup

_SLOT = "\t\x00S {}&\n\n\x00\t"
_FOUND = re.compile(r"(\t?)\x00S ([A-Za-z0-9_]+)(&amp;|&)\n( *)\n( *)\x00(\t?)")
_IN_PARAMS = re.compile(r"\t\x00S ([A-Za-z0-9_]+)&\n\n\x00\t")
# What Jinja's `indent` splits lines on besides "\n": a value's line breaks are made "\n" first.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_FILLED = object()  # a variant key part: the slot has a value the stamp fills in


def slot(name: str) -> str:
    """The placeholder for the value called `name` (letters, digits, underscores)."""
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise ValueError(f"slot names are letters, digits and underscores: {name!r}")
    return _SLOT.format(name)


def _slot_names(params: Any, found: list[str]) -> list[str]:
    if isinstance(params, Stamp):  # a component inside another's params: its slots are the outer's too
        found += [n for n in params.names if n not in found]
    elif isinstance(params, str):
        found += [n for n in _IN_PARAMS.findall(params) if n not in found]
    elif isinstance(params, Mapping):
        for value in params.values():
            _slot_names(value, found)
    elif isinstance(params, list | tuple):
        for value in params:
            _slot_names(value, found)
    return found


def _substitute(params: Any, values: Mapping[str, Any]) -> Any:
    """The params with the given slots replaced by their values (a slot alone by the value itself, one
    inside a longer string by its text, as Jinja's `~` would), the rest left as placeholders."""
    if isinstance(params, Stamp):
        return Markup(params._render(_substitute(params._params, values)))
    if isinstance(params, str):
        whole = _IN_PARAMS.fullmatch(params)
        if whole:
            return values.get(whole[1], params) if whole[1] in values else params
        if "\x00" not in params:
            return params
        return _IN_PARAMS.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], params)
    if isinstance(params, Mapping):
        return {k: _substitute(v, values) for k, v in params.items()}
    if isinstance(params, list | tuple):
        return [_substitute(v, values) for v in params]
    return params


def _structural(value: Any) -> Any:
    """The part of a value that changes the markup: a filled-in value is just "filled"; an empty one,
    None, a boolean or an undefined value is drawn by the macro as it is."""
    if isinstance(value, bool) or not value:
        return value
    if isinstance(value, str | int | float):
        return _FILLED
    raise TypeError(f"a stamp fills strings and numbers, not {type(value).__name__}")


def _escape(value: Any) -> str:
    """markupsafe's `escape` as a plain string: markup as it is, anything else escaped."""
    if type(value) is not str and hasattr(value, "__html__"):
        return str(value.__html__())
    return (
        str(value)
        .replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


_LINE_STARTS = re.compile(r"\n(?=[^\n])")
# The macros' own blank lines and indentation: each `{% if %}` of a component leaves a line of spaces,
# and a 500-row register's rows would be megabytes of them (every copy of the page's text, every byte
# sent, costs time).
_LINE_BREAK_SPACE = re.compile(r"\n[ \t\n]+")


def squeeze(markup: str) -> str:
    """The macro's output with each run of line breaks and indentation made one line break: whitespace
    between tags and words, which HTML shows as one space either way. Left as it is where whitespace is
    content (`<pre>`, `<textarea>`)."""
    if "<pre" in markup or "<textarea" in markup:
        return markup
    return _LINE_BREAK_SPACE.sub("\n", markup)


def _placed(text: str, kind: tuple[int, bool, bool, str, str]) -> str:
    """An escaped value placed where the macro would have put it: its line breaks made "\\n", trimmed
    where the macro trims, its later lines indented as the macro indents them."""
    _index, ltrim, rtrim, indent, blank_indent = kind
    if _BREAKS.search(text):
        text = _BREAKS.sub("\n", text)
    if ltrim:
        text = text.lstrip()
    if rtrim:
        text = text.rstrip()
    if "\n" in text and (indent or blank_indent):
        if blank_indent:
            lines = text.split("\n")
            return "\n".join([lines[0]] + [indent + line if line else blank_indent for line in lines[1:]])
        return _LINE_STARTS.sub("\n" + indent, text)
    return text


class _Compiled:
    """One variant's output cut at its slots: the text between the slots, and for each gap which
    distinct placing of a value (which value, trimmed or not, indented how) fills it. A row is the
    pieces joined with the gaps filled in, by a function written for this variant when it is first
    drawn (one escape a value, one join a row), not a format string parsed again for every row (a
    500-row register's rows are several kilobytes each)."""

    __slots__ = ("pieces", "gaps", "kinds", "fill")

    def __init__(self, output: str, names: tuple[str, ...]):
        self.kinds: list[tuple[int, bool, bool, str, str]] = []
        self.gaps: list[int] = []  # the kind filling each gap, in order
        self.pieces: list[str | None] = []  # text, gap, text, gap, ..., text
        position = 0
        for match in _FOUND.finditer(output):
            lead, name, _amp, blank_indent, indent, trail = match.groups()
            if name not in names:
                raise ValueError(f"the macro drew a slot it was not given: {name}")
            kind = (names.index(name), not lead, not trail, indent, blank_indent)
            if kind not in self.kinds:
                self.kinds.append(kind)
            self.gaps.append(self.kinds.index(kind))
            self.pieces += [output[position : match.start()], None]
            position = match.end()
        self.pieces.append(output[position:])
        self.pieces[::2] = [squeeze(piece) for piece in self.pieces[::2]]
        if any("\x00" in piece for piece in self.pieces[::2]):
            raise ValueError(
                "the macro changed a slot's placeholder (a slot stands where it is tested or altered)"
            )
        self.fill = self._writer()

    def _writer(self) -> Callable[[list], str]:
        """`fill(values)`: each value the variant shows escaped once, placed as each of its kinds
        needs (text with no line break, tab or space at a trimmed edge is placed as it is), and the
        pieces joined. Written as Python source from the variant's own gaps, and compiled once."""
        used = sorted({index for index, *_ in self.kinds})
        texts = [f"p{position}" for position in range(0, len(self.pieces), 2)]
        lines = [f"def fill(values, {', '.join(f'{name}=pieces[{name[1:]}]' for name in texts)}):"]
        lines += [f"    t{index} = _escape(values[{index}])" for index in used]
        for number, (index, ltrim, rtrim, _indent, _blank) in enumerate(self.kinds):
            plain = f"t{index}.isprintable()"
            if ltrim:
                plain += f" and t{index}[:1] != ' '"
            if rtrim:
                plain += f" and t{index}[-1:] != ' '"
            lines.append(f"    k{number} = t{index} if {plain} else _placed(t{index}, kinds[{number}])")
        parts = [
            f"p{position}" if position % 2 == 0 else f"k{self.gaps[position // 2]}"
            for position in range(len(self.pieces))
        ]
        lines.append(f"    return ''.join(({', '.join(parts)},))")
        scope = {"_escape": _escape, "_placed": _placed, "kinds": tuple(self.kinds), "pieces": self.pieces}
        exec(compile("\n".join(lines), "<stamp>", "exec"), scope)  # noqa: S102 (source made above from numbers only)
        return scope["fill"]


def _get(values, name: str) -> Any:
    return values[name] if isinstance(values, Mapping) else getattr(values, name)


_PLAIN = frozenset({str, int, float, Markup})


class Stamp:
    """A component drawn once per variant through `render(params)` (its macro), filled per use."""

    def __init__(self, render: Callable[[Any], str], params: Any):
        self._render = render
        self._params = params
        self.names = tuple(_slot_names(params, []))  # none: a component the same on every page
        self._variants: dict[tuple, _Compiled] = {}

    def _values(self, values, constants: Mapping[str, Any] | None = None) -> list:
        if constants:
            return [constants[n] if n in constants else _get(values, n) for n in self.names]
        if type(values) is dict or isinstance(values, Mapping):
            return [values[n] for n in self.names]
        if isinstance(values, list | tuple):  # the slots' values in the order the slots first appear
            if len(values) != len(self.names):
                raise ValueError(f"{len(self.names)} values expected, not {len(values)}")
            return list(values)
        return [getattr(values, n) for n in self.names]

    def _variant(self, key: tuple) -> _Compiled:
        compiled = self._variants.get(key)
        if compiled is None:
            structural = {n: k for n, k in zip(self.names, key, strict=True) if k is not _FILLED}
            compiled = self._compile(structural)
            self._variants[key] = compiled
        return compiled

    def _compile(self, structural: dict[str, Any]) -> _Compiled:
        return _Compiled(str(self._render(_substitute(self._params, structural))), self.names)

    def fill_str(self, values: Mapping[str, Any] | Any, constants: Mapping[str, Any] | None = None) -> str:
        values = self._values(values, constants)
        key = tuple([_FILLED if (v.__class__ in _PLAIN and v) else _structural(v) for v in values])
        return self._variant(key).fill(values)

    def fill(self, values: Mapping[str, Any] | Any = None, /, **kwargs) -> Markup:
        """The component for these values (a mapping, keywords, or an object with the slots' names as
        attributes)."""
        return Markup(self.fill_str(kwargs if values is None else values))

    __call__ = fill


class TableStamp(Stamp):
    """The NHS.UK table with every body row stamped from one row of cells with slots. The table's own
    params (head, caption, classes, scroll) are drawn by the macro once; `render(rows)` fills a row per
    item of `rows` (mappings or objects with the slots' names as attributes)."""

    _BODY = '<tbody class="nhsuk-table__body">'

    def _values(self, values, constants: Mapping[str, Any] | None = None) -> list:
        """A cell's number as its digits: the macro shows a cell's text only when it is truthy, and a
        table's count of 0 is a value to show, not a blank cell."""
        return [str(v) if v.__class__ in (int, float) else v for v in super()._values(values, constants)]

    def __init__(self, render: Callable[[Any], str], params: Mapping[str, Any], cells: list):
        if _slot_names(dict(params), []):
            raise ValueError("slots belong in the row's cells, not the table's own params")
        self._table = lambda rows: str(render({**params, "rows": rows}))
        super().__init__(lambda row: row, cells)
        self._frame: tuple[str, str, str] | None = None
        self._empty: str | None = None

    def _split(self, cells) -> tuple[str, str, str, str]:
        """(before the first row, the row, between two rows, after the last row) for these cells."""
        one, two = self._table([cells]), self._table([cells, cells])
        start = one.index(self._BODY) + len(self._BODY)
        start = one.index("\n", start) + 1
        end = one.rindex("</tr>", 0, one.rindex("</tbody>")) + len("</tr>")
        before, row, after = one[:start], one[start:end], one[end:]
        between = two[len(before) + len(row) : len(two) - len(after) - len(row)]
        if two != before + row + between + row + after:
            raise ValueError("the table macro's rows are not one after another")
        return before, row, between, after

    def _compile(self, structural: dict[str, Any]) -> _Compiled:
        before, row, between, after = self._split(_substitute(self._params, structural))
        if self._frame is None:
            self._frame = (before, between, after)
        elif self._frame != (before, between, after):
            raise ValueError("the table's frame changed with a row's values")
        return _Compiled(row, self.names)

    def render(self, rows: Iterable, **constants) -> Markup:
        """The table with a row per item of `rows`; `constants` gives slots that are the same on every
        row (`csrf=csrf_input`)."""
        filled = [self.fill_str(row, constants) for row in rows]
        if not filled:
            if self._empty is None:
                self._empty = squeeze(self._table([]))
            return Markup(self._empty)
        before, between, after = self._frame
        # One join for the whole table: a 500-row table is megabytes, and each copy of it counts.
        pieces = [between] * (2 * len(filled) + 1)
        pieces[1::2] = filled
        pieces[0], pieces[-1] = before, after
        return Markup("".join(pieces))


def freeze(value: Any) -> Any:
    """A hashable key for params: markup and text apart, True apart from 1, mappings by their items,
    a nested stamp by identity (the outer stamp holds it, so its id is not reused). Anything else
    raises TypeError: its text may not follow from its repr, so it is not cached."""
    kind = type(value)
    if kind is dict:  # the common cases first, by their exact type (an ABC check costs more)
        return ("mapping", tuple((k, freeze(v)) for k, v in value.items()))
    if kind in (str, int, float, bool) or value is None:
        return (kind.__name__, value)
    if kind is list or kind is tuple:
        return ("list", tuple(freeze(v) for v in value))
    if isinstance(value, Markup):
        return ("markup", str(value))
    if isinstance(value, Mapping):
        return ("mapping", tuple((k, freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("list", tuple(freeze(v) for v in value))
    if isinstance(value, Stamp):
        return ("stamp", id(value))
    if isinstance(value, CodeType):
        return ("code", value)
    raise TypeError(f"not cached: {type(value).__name__}")


T = TypeVar("T")


class DrawnCache:
    """Markup drawn once per process (stamps, the fields the form bridge draws), kept by what it was drawn
    from: the macro and its exact params. Least recently used entries go first."""

    def __init__(self, size: int = 512):
        self._size = size
        self._drawn: OrderedDict[tuple, Any] = OrderedDict()

    def clear(self) -> None:
        self._drawn.clear()

    def get(self, key_parts: Any, make: Callable[[], T]) -> T:
        try:
            key = freeze(key_parts)
        except TypeError:  # params that cannot be told apart safely: drawn for this page alone
            return make()
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = make()
            self._drawn[key] = drawn
            if len(self._drawn) > self._size:
                self._drawn.popitem(last=False)
        else:
            with suppress(KeyError):  # dropped by another thread meanwhile (the development server's)
                self._drawn.move_to_end(key)
        return drawn
