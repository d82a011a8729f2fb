"""Links reversed once per pattern rather than once per row, and static files' addresses once per file.

A register of 500 people or My learning with 100 sessions would otherwise walk the URL resolver for
every row. `row_url("programmes:cancel", pk)` reverses the pattern once with placeholder arguments and
fills in each row's values. Every page's layout also links a dozen fixed pages and static files (the
header, the footer, the navigation, the stylesheets and scripts): `url()` and `static_url()` give them
from what they gave the first time."""

from __future__ import annotations

from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse

# Placeholders no real argument looks like: a large number for <int:...>, a word for <slug:...>.
_INT_MARK = 987654320
_TEXT_MARK = "row-url-placeholder-"


def _marks(kinds: tuple[type, ...]) -> list:
    return [_INT_MARK + n if kind is int else f"{_TEXT_MARK}{n}" for n, kind in enumerate(kinds)]


@cache
def _pattern(name: str, kinds: tuple[type, ...]) -> tuple[str, tuple[str, ...]]:
    marks = _marks(kinds)
    return reverse(name, args=marks), tuple(str(mark) for mark in marks)


def row_url(name: str, *args: int | str) -> str:
    """reverse(name, args=args), from a pattern reversed once per process."""
    path, marks = _pattern(name, tuple(int if isinstance(arg, int) else str for arg in args))
    for mark, arg in zip(marks, args, strict=True):
        path = path.replace(mark, str(arg), 1)
    return path


def url(name: str, *args, **kwargs) -> str:
    """reverse(name, args=args, kwargs=kwargs); from a pattern reversed once when the arguments are
    whole numbers or there are none (text arguments are quoted by `reverse` itself)."""
    if kwargs or not all(type(arg) is int for arg in args):
        return reverse(name, args=args or None, kwargs=kwargs or None)
    return row_url(name, *args)


@cache
def static_url(path: str) -> str:
    """The address of a static file (with its content hash in production), worked out once per file."""
    return static(path)


@receiver(setting_changed)
def _forget_patterns(*, setting, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _pattern.cache_clear()
    if setting in ("STATIC_URL", "STORAGES", "FORCE_SCRIPT_NAME"):
        static_url.cache_clear()
