"""Keeping benchmark runs: each run is stored under its label in a JSON file next to its Markdown page,
so a re-run after a change (same data, same command) is shown against the first run, the baseline."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
RESULTS = BASE / "bench" / "results"


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=BASE, capture_output=True, text=True).stdout.strip()

    # The results a run writes are not a change to what it measures.
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results")
    return git("rev-parse", "--short", "HEAD") + (" (with uncommitted changes)" if dirty else "")


def run_save(*, name: str, run: dict, render: Callable[[list[dict]], str]) -> Path:
    """Store the run in results/<name>.json (replacing an earlier run with its label) and write
    results/<name>.md from every stored run, the first being the baseline."""
    store = RESULTS / f"{name}.json"
    history = json.loads(store.read_text()) if store.exists() else []
    history = [kept for kept in history if kept["label"] != run["label"]] + [run]
    RESULTS.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps(history, indent=1) + "\n")
    page = RESULTS / f"{name}.md"
    page.write_text(render(history))
    print(f"Wrote {page}")
    return page


def run_started(label: str, load_before: tuple[float, ...], load_after: tuple[float, ...]) -> dict:
    """What every stored run says about itself: when, on which commit, and how busy the machine was."""
    import datetime as dt
    import os
    import platform

    return {
        "label": label,
        "date": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "commit": git_commit(),
        "load": [round(v, 2) for v in (*load_before, *load_after)],
        "cores": os.cpu_count(),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
    }


def cpu_seconds(connection) -> tuple[float, float | None]:
    """CPU seconds used so far by this process (all its threads) and by the server process of its
    database connection, when that server runs on this machine (the embedded one): on a shared
    machine the elapsed time depends on the others' load, the CPU time much less."""
    import os
    import time

    own = time.process_time()
    host = connection.settings_dict.get("HOST") or ""
    if host not in ("", "localhost", "127.0.0.1") and not host.startswith("/"):
        return own, None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return own, None
    # After the command's name: state is the first field, then utime and stime are the 12th and 13th.
    return own, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_between(before: tuple[float, float | None], after: tuple[float, float | None]) -> dict:
    """The CPU seconds of a step, this process's and its database server's."""
    return {
        "python": round(after[0] - before[0], 2),
        "database": None if before[1] is None or after[1] is None else round(after[1] - before[1], 2),
    }


def runs_compared(history: list[dict]) -> list[tuple[dict, dict]]:
    """The baseline against the latest run and, when they differ, the run before the latest against it."""
    pairs = [(history[0], history[-1])] if len(history) > 1 else []
    if len(history) > 2:
        pairs.append((history[-2], history[-1]))
    return pairs


def run_where(run: dict) -> str:
    return f"Run {run['date']} on commit {run['commit']}, {run['machine']}, {run['cores']} cores (shared)"


def run_load(run: dict) -> str:
    load = run["load"]
    return (
        f"Load average (1, 5, 15 min) {load[0]}, {load[1]}, {load[2]} at the start and "
        f"{load[3]}, {load[4]}, {load[5]} at the end"
    )


def reproduce(heading: str, *commands: str) -> list[str]:
    """A results page's lines saying how to run it again."""
    return [heading, "", "```", *commands, "```", ""]
