"""The columns of an import and the parsers that turn a cell's text into a value.

A parser takes the cell's text (already stripped) and returns the value, or raises `CellError` with a
reason written to follow the column's name: "must be a date such as 31/03/2021". Every parser refuses
NUL bytes and text longer than its column allows, so nothing the database would choke on gets past
the preview. Parsers are built by the functions below (`text`, `email`, `whole_number`, `uk_date`,
`choice`, ...); an app may write its own, as long as it raises `CellError`."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# PostgreSQL's integer column: a count past this is refused, not a server error.
INTEGER_MAX = 2**31 - 1
TEXT_MAX = 1000


class CellError(ValueError):
    """Why one cell is wrong, worded to follow the column name ("must be ...", "is not ...")."""


Parser = Callable[[str], Any]


def header_key(name: str) -> str:
    """How headers are compared: case, spaces, underscores, hyphens and full stops do not matter."""
    return re.sub(r"[\s_\-.]+", "", name.strip().lstrip("\ufeff").lower())


@dataclass(frozen=True)
class Column:
    """One column: its name in the template, the other headers people write for it, whether the
    header must be there, how its cells are read, and what it holds (shown on the page)."""

    name: str
    parse: Parser
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: str = ""
    # A blank cell gives this value without calling the parser (a parser that must see blanks, e.g.
    # a required value, sets blank_ok=False).
    blank: Any = ""
    blank_ok: bool = True
    keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", frozenset(header_key(n) for n in (self.name, *self.aliases)))

    def read(self, raw: str) -> Any:
        if "\x00" in raw:
            raise CellError("contains a NUL character (an invisible control character): retype the cell")
        value = raw.strip()
        if not value and self.blank_ok:
            return self.blank
        return self.parse(value)


# --- parsers ---------------------------------------------------------------------------------------


def text(max_length: int = TEXT_MAX, *, required: bool = False) -> Parser:
    def parse(value: str) -> str:
        if required and not value:
            raise CellError("is missing")
        if len(value) > max_length:
            raise CellError(f"is {len(value):,} characters long; at most {max_length:,} are allowed")
        return value

    return parse


# Addresses of the everyday shape (dot-atoms at a domain of letters, digits and hyphens): every one of
# them passes Django's validate_email, so only the others are handed to it (it is most of a large
# preview's time otherwise: its messages are lazy translations, built per call).
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def email(max_length: int = 254) -> Parser:
    plain = _PLAIN_EMAIL.fullmatch

    def parse(value: str) -> str:
        if not value:
            raise CellError("is missing")
        if len(value) > max_length:
            raise CellError(f"is {len(value):,} characters long; an email address has at most {max_length}")
        if plain(value):
            return value.lower()
        try:
            validate_email(value)
        except ValidationError as exc:
            raise CellError(f"“{value}” is not an email address") from exc
        return value.lower()

    return parse


def whole_number(minimum: int = 0, maximum: int = INTEGER_MAX) -> Parser:
    """A whole number as people write it ("6,962", "6962", "6962.0" from a workbook), in range."""

    def parse(value: str) -> int:
        cleaned = value.replace(",", "").replace(" ", "")
        if cleaned.endswith(".0"):
            cleaned = cleaned[:-2]
        if not re.fullmatch(r"[+-]?\d{1,30}", cleaned):
            raise CellError(f"must be a whole number (got “{value[:40]}”)")
        number = int(cleaned)
        if number < minimum:
            raise CellError(f"must be {minimum:,} or more (got {number:,})")
        if number > maximum:
            raise CellError(f"must be at most {maximum:,} (got {number:,})")
        return number

    return parse


def year(minimum: int = 2000, maximum: int = 2100) -> Parser:
    def parse(value: str) -> int:
        cleaned = value.removesuffix(".0")
        if not re.fullmatch(r"\d{4}", cleaned) or not minimum <= int(cleaned) <= maximum:
            raise CellError(f"must be a year such as 2020 (got “{value[:40]}”)")
        return int(cleaned)

    return parse


UK_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")


def uk_date() -> Parser:
    """A date as written in the UK (31/03/2021, 31/03/21, 31 March 2021) or ISO (2021-03-31); never
    month first. A workbook's date cell arrives as 31/03/2021 (see `reading`)."""

    def parse(value: str) -> dt.date:
        # A register repeats a few hundred dates a million times: each is worked out once.
        try:
            return seen[value]
        except KeyError:
            pass
        cleaned = value.split(" 00:00")[0].strip()
        for fmt in UK_DATE_FORMATS:
            try:
                day = dt.datetime.strptime(cleaned, fmt).date()  # noqa: DTZ007 - a date, no time
            except ValueError:
                continue
            if len(seen) < 10_000:
                seen[value] = day
            return day
        raise CellError(f"must be a date such as 31/03/2021 (got “{value[:40]}”)")

    seen: dict[str, dt.date] = {}
    return parse


_CLOCK_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?::00)?").fullmatch


def clock_time() -> Parser:
    """A time of day: 09:30, 9.30, 9:30:00 (as a workbook's time cell arrives), 24-hour."""

    @functools.lru_cache(maxsize=1000)  # a year's cohorts file repeats a few times 120,000 times
    def parse(value: str) -> dt.time:
        match = _CLOCK_TIME(value)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise CellError(f"must be a time such as 09:30 (got “{value[:40]}”)")
        return dt.time(int(match[1]), int(match[2]))

    return parse


def choice(
    choices: Iterable[tuple[Any, str]], *, noun: str, aliases: Mapping[str, Any] | None = None
) -> Parser:
    """One of a TextChoices' values, matched by its stored value, its label or an alias, ignoring case,
    spaces and punctuation: "Band 4", "band4" and "4" are the same pay band. `noun` names what is
    expected ("a pay band")."""
    table: dict[str, Any] = {}
    for stored, label in choices:
        table.setdefault(choice_key(str(label)), stored)
        table.setdefault(choice_key(str(stored)), stored)
    for alias, stored in (aliases or {}).items():
        table[choice_key(alias)] = stored

    @functools.lru_cache(maxsize=1000)  # a column of 50,000 cells holds a few distinct words
    def parse(value: str) -> Any:
        try:
            return table[choice_key(value)]
        except KeyError:
            raise CellError(f"“{value[:60]}” is not {noun}") from None

    return parse


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def choice_key(value: str) -> str:
    return _NOT_ALNUM.sub("", value.lower().replace("&", "and"))


def lookup(table: Mapping[str, Any], *, noun: str) -> Parser:
    """A name looked up in `table` (keys made with `choice_key`), e.g. the region's organisations."""

    @functools.lru_cache(maxsize=10_000)
    def parse(value: str) -> Any:
        try:
            return table[choice_key(value)]
        except KeyError:
            raise CellError(f"“{value[:80]}” is not {noun}") from None

    return parse
