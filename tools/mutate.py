"""Mutation testing of function bodies, decorated ones included (mutmut leaves `@transaction.atomic`
services alone): each mutant is one small change to one function, kept only if the given tests still
pass.

    DJANGO_ENV=test .venv/bin/python tools/mutate.py programmes/services/enrolment.py \\
        tests/programmes/test_places.py tests/programmes/test_services.py [--only NAME] [--timeout 60]

It runs as a pytest plugin inside one test session: the tests are collected and the database set up
once, then for each mutant the function's code object is swapped for the mutated one (every caller,
decorator and `from ... import` sees it at once), the tests run until the first failure, and the
original code is put back. Nothing is written to the source files.

Mutations (one per mutant): a comparison operator flipped (< <=, > >=, == !=, in / not in, is / is
not), an integer constant ±1, True/False swapped, `and`/`or` swapped, `not` dropped, + and - swapped,
a statement that is a call deleted, a returned value replaced by None, a `continue`/`break` swapped,
an `if` condition forced true or false. Module-level constants are not mutated.

A function that builds and returns an inner function (a parser factory such as `text(20)`) has its
inner functions mutated too: closures built before the run (at import, e.g. a module-level parser)
are given the mutated inner code as well, so they are tested, not silently left as they were.

Prints every surviving mutant (file:line, function, change) and the score; `--json PATH` writes them,
with each caught mutant and the first test that failed on it.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import signal
import sys
import time
import types
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

COMPARE_SWAP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass
class Mutant:
    function: str  # qualified name: "f" or "Class.method"
    line: int
    change: str
    index: int  # which candidate in the function, in walk order
    variant: int = 0
    outcome: str = ""  # killed, survived, timeout, error
    caught_by: str = ""  # the first test that failed on it


# --- finding and making mutants ------------------------------------------------------------------------


def _candidates(node: ast.AST) -> list[tuple[ast.AST, int, str]]:
    """(node, variant, description) for every mutation of one node."""
    out: list[tuple[ast.AST, int, str]] = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in COMPARE_SWAP:
                new = COMPARE_SWAP[type(op)].__name__
                out.append((node, i, f"{type(op).__name__} -> {new}"))
    elif isinstance(node, ast.Constant) and type(node.value) is bool:
        out.append((node, 0, f"{node.value} -> {not node.value}"))
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        out.append((node, 0, f"{node.value} -> {node.value + 1}"))
        out.append((node, 1, f"{node.value} -> {node.value - 1}"))
    elif isinstance(node, ast.BoolOp):
        out.append(
            (node, 0, f"{type(node.op).__name__} -> {'Or' if isinstance(node.op, ast.And) else 'And'}")
        )
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append((node, 0, "not dropped"))
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        out.append(
            (node, 0, f"{type(node.op).__name__} -> {'Sub' if isinstance(node.op, ast.Add) else 'Add'}")
        )
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        out.append((node, 0, f"call deleted: {ast.unparse(node.value)[:60]}"))
    elif isinstance(node, ast.Return) and node.value is not None and not _is_none(node.value):
        out.append((node, 0, f"return None instead of {ast.unparse(node.value)[:50]}"))
    elif isinstance(node, ast.Continue):
        out.append((node, 0, "continue -> break"))
    elif isinstance(node, ast.Break):
        out.append((node, 0, "break -> continue"))
    elif isinstance(node, ast.If | ast.While):
        out.append((node, 0, "condition -> True"))
        if isinstance(node, ast.If):
            out.append((node, 1, "condition -> False"))
    return out


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _body_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef):
    """Every node of the body in a fixed order, leaving out the docstring, annotations and decorators."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    for statement in body:
        yield from ast.walk(statement)


def _functions(tree: ast.Module):
    """(qualified name, node) of module-level functions and methods of module-level classes."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{node.name}.{item.name}", item


def find_mutants(tree: ast.Module, only: set[str] | None = None) -> list[Mutant]:
    mutants = []
    for name, function in _functions(tree):
        if only and name not in only and name.split(".")[0] not in only:
            continue
        for index, node in enumerate(_body_nodes(function)):
            for target, variant, change in _candidates(node):
                mutants.append(Mutant(name, target.lineno, change, index, variant))
    return mutants


def _apply(node: ast.AST, variant: int) -> None:
    if isinstance(node, ast.Compare):
        node.ops[variant] = COMPARE_SWAP[type(node.ops[variant])]()
    elif isinstance(node, ast.Constant) and type(node.value) is bool:
        node.value = not node.value
    elif isinstance(node, ast.Constant):
        node.value = node.value + (1 if variant == 0 else -1)
    elif isinstance(node, ast.BoolOp):
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif isinstance(node, ast.BinOp):
        node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
    elif isinstance(node, ast.Expr | ast.Return):
        node.value = ast.Constant(None)
    elif isinstance(node, ast.If | ast.While):
        node.test = ast.Constant(variant == 0)


class _DropNot(ast.NodeTransformer):
    def __init__(self, target):
        self.target = target

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return node.operand if node is self.target else node


class _SwapLoopJump(ast.NodeTransformer):
    def __init__(self, target):
        self.target = target

    def visit_Continue(self, node):
        return ast.Break() if node is self.target else node

    def visit_Break(self, node):
        return ast.Continue() if node is self.target else node


def mutated_code(tree: ast.Module, mutant: Mutant, filename: str) -> types.CodeType:
    """The code object of the mutated function (compiled alone, in its module's file name)."""
    tree = copy.deepcopy(tree)
    function = dict(_functions(tree))[mutant.function]
    node = list(_body_nodes(function))[mutant.index]
    if isinstance(node, ast.UnaryOp):
        _DropNot(node).visit(function)
    elif isinstance(node, ast.Continue | ast.Break):
        _SwapLoopJump(node).visit(function)
    else:
        _apply(node, mutant.variant)
    function.decorator_list = []
    module = ast.Module(body=[function], type_ignores=[])
    ast.fix_missing_locations(module)
    compiled = compile(module, filename, "exec")
    return _find_code(compiled, function.name)


def _find_code(code: types.CodeType, name: str) -> types.CodeType:
    for const in code.co_consts:
        if isinstance(const, types.CodeType) and const.co_name == name:
            return const
    raise LookupError(name)


def _inner_codes(code: types.CodeType):
    """Every code object defined inside `code` (inner functions, lambdas, comprehensions), by
    (name, first line)."""
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield (const.co_name, const.co_firstlineno), const
            yield from _inner_codes(const)


def closures_by_code() -> dict[int, list[types.FunctionType]]:
    """Live functions by id of their code object: the closures already built when the run starts."""
    import gc

    found: dict[int, list[types.FunctionType]] = {}
    for obj in gc.get_objects():
        # `type()`, not `isinstance()`: isinstance reads `__class__`, which a lazy object left over from
        # a test (the CSP nonce of a page already sent) answers by raising.
        if type(obj) is types.FunctionType:
            found.setdefault(id(obj.__code__), []).append(obj)
    return found


def _swap_closures(original: types.CodeType, mutated: types.CodeType, live) -> list:
    """Give the closures built from `original`'s inner functions the mutated inner code; returns
    (function, its code) to put back. A closure whose free variables the mutant changed is left."""
    replacements = dict(_inner_codes(mutated))
    swapped = []
    for key, inner in _inner_codes(original):
        new = replacements.get(key)
        if new is None or new.co_code == inner.co_code and new.co_consts == inner.co_consts:
            continue
        for function in live.get(id(inner), ()):
            try:
                function.__code__ = new
            except ValueError:
                continue
            swapped.append((function, inner))
    return swapped


def _live_function(module: types.ModuleType, qualified: str):
    """The plain function object behind a module-level name or a method (unwrapping decorators)."""
    owner, _, name = qualified.rpartition(".")
    target = getattr(getattr(module, owner), name) if owner else getattr(module, name)
    if isinstance(target, property):
        target = target.fget
    if isinstance(target, staticmethod | classmethod):
        target = target.__func__
    while hasattr(target, "__wrapped__"):
        target = target.__wrapped__
    return target


# --- the pytest plugin -----------------------------------------------------------------------------------


class Timeout(Exception):
    pass


class MutationPlugin:
    def __init__(self, path: Path, only: set[str] | None, timeout: int):
        self.path = path
        self.only = only
        self.timeout = timeout
        self.mutants: list[Mutant] = []
        self.failed = False

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.failed = True
            self.failed_test = report.nodeid
            self.last_failure = f"{report.nodeid} ({report.when}): {str(report.longrepr)[-1500:]}"

    def _run_items(self, session) -> bool:
        """Run every collected test until the first failure; True when all passed. The session's
        fixtures (the test database) stay set up between runs: after the last test, and after a
        failure, only what the first test does not share is torn down."""
        self.failed = False
        items = session.items
        for i, item in enumerate(items):
            next_item = items[i + 1] if i + 1 < len(items) else items[0]
            item.config.hook.pytest_runtest_protocol(item=item, nextitem=next_item)
            if self.failed:
                session._setupstate.teardown_exact(items[0])
                return False
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        import importlib

        source = self.path.read_text()
        tree = ast.parse(source)
        module_name = ".".join(self.path.relative_to(ROOT).with_suffix("").parts)
        module = importlib.import_module(module_name)
        self.mutants = find_mutants(tree, self.only)

        # The tests' own progress (a dot per test, per mutant) is not shown: only the survivors are.
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            import os

            from _pytest._io import TerminalWriter  # noqa: PLC2701 (the one way to quiet the reporter)

            reporter._tw = TerminalWriter(open(os.devnull, "w"))  # noqa: SIM115 (lives as long as the run)

        def write(text):
            sys.__stdout__.write(text + "\n")
            sys.__stdout__.flush()

        if not self._run_items(session):
            write(f"The tests fail without any mutation: fix them first.\n{self.last_failure}")
            session.testsfailed = 1
            return True
        write(f"{len(self.mutants)} mutants in {self.path}")

        def on_alarm(signum, frame):
            raise Timeout

        # Whatever stops the run part-way is printed (the reporter is quiet) and fails it: the mutants
        # not judged are counted apart, never as survivors or as caught.
        try:
            signal.signal(signal.SIGALRM, on_alarm)
            live = closures_by_code()
            for mutant in self.mutants:
                function = _live_function(module, mutant.function)
                original = function.__code__
                try:
                    function.__code__ = mutated_code(tree, mutant, str(self.path))
                except (ValueError, LookupError, SyntaxError, TypeError) as error:
                    mutant.outcome = f"error: {error}"
                    continue
                closures = _swap_closures(original, function.__code__, live)
                signal.alarm(self.timeout)
                try:
                    passed = self._run_items(session)
                    mutant.outcome = "survived" if passed else "killed"
                    mutant.caught_by = "" if passed else self.failed_test
                except Timeout:
                    mutant.outcome = "timeout"
                    session._setupstate.teardown_exact(items[0] if (items := session.items) else None)
                finally:
                    signal.alarm(0)
                    function.__code__ = original
                    for closure, code in closures:
                        closure.__code__ = code
                if mutant.outcome == "survived":
                    write(f"SURVIVED {self.path}:{mutant.line} {mutant.function}: {mutant.change}")
        except Exception:  # noqa: BLE001 (reported whole, then the run fails)
            import traceback

            write(f"The run stopped before every mutant was judged:\n{traceback.format_exc()}")
            session._setupstate.teardown_exact(None)
            session.testsfailed = 1
            return True
        session._setupstate.teardown_exact(None)
        session.testsfailed = 0
        return True

    def summary(self) -> dict:
        run = [m for m in self.mutants if m.outcome in ("killed", "timeout", "survived")]
        caught = [m for m in run if m.outcome in ("killed", "timeout")]
        return {
            "module": str(self.path),
            "mutants": len(run),
            "not_judged": sum(1 for m in self.mutants if not m.outcome),
            "caught": len(caught),
            "score": round(100 * len(caught) / len(run), 1) if run else None,
            "survived": [asdict(m) for m in run if m.outcome == "survived"],
            "caught_mutants": [asdict(m) for m in caught],
            "errors": [asdict(m) for m in self.mutants if m.outcome.startswith("error")],
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="the source file to mutate, e.g. academy/suppression.py")
    parser.add_argument("tests", nargs="+", help="the test files that should catch its mutants")
    parser.add_argument("--only", action="append", help="only this function (or class); repeatable")
    parser.add_argument(
        "--timeout", type=int, default=120, help="seconds per mutant before it counts as caught"
    )
    parser.add_argument("--json", help="write the summary (survivors included) to this file")
    args = parser.parse_args(argv)
    plugin = MutationPlugin(
        (ROOT / args.module).resolve(), set(args.only) if args.only else None, args.timeout
    )
    started = time.monotonic()
    code = pytest.main(["-q", "-p", "no:cacheprovider", "-W", "ignore", *args.tests], plugins=[plugin])
    summary = plugin.summary()
    summary["seconds"] = round(time.monotonic() - started)
    print(
        f"\n{summary['module']}: {summary['caught']} of {summary['mutants']} mutants caught, "
        f"score {summary['score']}% ({len(summary['survived'])} survived, {summary['seconds']} s)"
    )
    if summary["not_judged"]:
        print(f"{summary['not_judged']} mutants were not judged: the run stopped (see above).")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(summary, indent=2, default=str) + "\n")
    if summary["not_judged"] and code in (0, pytest.ExitCode.OK):
        return 1
    return 0 if code in (0, pytest.ExitCode.OK) else int(code)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
