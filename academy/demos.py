"""Every app's demo data loader, registered from its `AppConfig.ready()` (as navigation entries and
Year in Review chapters are), so that `manage.py load_demo` never imports a domain app:

    from academy import demos
    demos.register("reporting", "Reporting", "reporting.demo", after=["programmes"])

A loader is a module path with a `load(stdout)` function, imported only when the demo is loaded
(never in production, never at start-up). `load_demo` runs academy's own demo first, then every
registered loader after those it names in `after`, in the order the apps were registered otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Protocol


class DemoModule(Protocol):
    def load(self, stdout=None) -> object: ...


@dataclass(frozen=True)
class DemoLoader:
    app: str  # the app's label
    label: str  # what the command prints while loading it
    module: str  # dotted path of a module with `load(stdout)`
    after: tuple[str, ...] = ()  # labels of the apps whose demo data this one reads

    def load(self, stdout=None) -> None:
        module: DemoModule = import_module(self.module)
        module.load(stdout)


_loaders: dict[str, DemoLoader] = {}


def register(app: str, label: str, module: str, *, after: list[str] | tuple[str, ...] = ()) -> None:
    """Add an app's demo loader; registering an app again is a no-op (`ready()` may run twice)."""
    _loaders.setdefault(app, DemoLoader(app, label, module, tuple(after)))


def in_dependency_order() -> list[DemoLoader]:
    """Every loader after those it depends on (a dependency that is not registered is ignored)."""
    ordered: list[DemoLoader] = []
    visiting: set[str] = set()

    def visit(loader: DemoLoader) -> None:
        if loader in ordered:
            return
        if loader.app in visiting:
            raise ValueError(f"Demo loaders depend on each other in a circle: {loader.app}")
        visiting.add(loader.app)
        for app in loader.after:
            if app in _loaders:
                visit(_loaders[app])
        visiting.discard(loader.app)
        ordered.append(loader)

    for loader in _loaders.values():
        visit(loader)
    return ordered
