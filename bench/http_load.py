"""The offer page over HTTP: gunicorn (3 workers) with the production settings on 127.0.0.1, a signed-in
participant, and wrk driving the page and its bare view (bench/bare.py) at 10 and 50 concurrent
connections for a fixed time each. Reports requests/s, p50 and p99 and writes bench/results/http.md.

    EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python bench/http_load.py --label "after: Jinja2" [--seconds 20]

Needs wrk (Debian: apt-get install wrk) and bench/data.py's data in the embedded server's academy_bench
database. The server runs with DJANGO_ENV=production (DEBUG off, compressed manifest static files,
secure cookies, SSL redirect behind a proxy: every request carries X-Forwarded-Proto: https as the proxy
would add), pointed at the embedded PostgreSQL through DATABASE_URL; the cache stays in PostgreSQL (no
Redis here). Everything it starts is stopped on the way out. Each run is kept in bench/results/http.json
under its label; http.md shows them all."""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

from bench.runs import git_commit, reproduce, run_load, run_save, run_started, run_where, runs_compared  # noqa: E402

HOST = "127.0.0.1"  # loopback only
SESSIONS = 50  # one signed-in session per connection at most, so no two requests wait on one session row
OFFER, BARE = "Find a programme, first page", "Bare view"
COMMAND = "EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python bench/http_load.py"
WARM_UP_SECONDS = 240


def production_environment(database: str) -> dict[str, str]:
    """The production settings, pointed at the embedded server's socket (it only listens there)."""
    from academy.embedded_db import embedded_database

    db = embedded_database(BASE / ".data" / "postgres", name=database)
    return {
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"postgres://{db['USER']}@/{db['NAME']}?host={quote(db['HOST'])}&port={db['PORT']}",
        "EMAIL_HOST": HOST,  # required by production; nothing is sent by the pages measured
        "LOG_LEVEL": "WARNING",
    }


def signed_in_cookies(count: int) -> list[str]:
    """Session cookies of the bench learner (bench/data.py), made in this process with the server's
    settings and secret key, as a sign-in would."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from academy.models import User
    from bench.data import LEARNER_EMAIL

    learner = User.objects.get(email=LEARNER_EMAIL)
    cookies = []
    for _ in range(count):
        client = Client()
        client.force_login(learner)
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
    return cookies


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(url: str, cookie: str) -> tuple[int, bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def wait_until_serving(base_url: str, server: subprocess.Popen, cookie: str) -> None:
    # A cold worker's first request (imports, the Jinja2 environment, the stamped components) has taken
    # over 30 s on the shared 2 cores at a load of 11, so the wait allows for three of them in turn.
    deadline = time.monotonic() + WARM_UP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before serving; see its log above.")
        try:
            if get(f"{base_url}/health/", cookie)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer /health/ within {WARM_UP_SECONDS} s.")


WRK_SCRIPT = """
local cookies = {%s}
local threads = 0
function setup(thread)
  thread:set("offset", threads * 25)
  threads = threads + 1
end
local n = 0
request = function()
  n = n + 1
  local cookie = cookies[((n + offset) %% #cookies) + 1]
  return wrk.format("GET", "%s", {["Cookie"] = cookie, ["X-Forwarded-Proto"] = "https"})
end
"""


def load(base_url: str, path: str, cookies: list[str], connections: int, seconds: int, workdir: Path) -> dict:
    """One wrk run: each request takes the next session cookie in turn."""
    script = workdir / "offer.lua"
    script.write_text(WRK_SCRIPT % (", ".join(json.dumps(c) for c in cookies), path))
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            script,
            base_url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    get(
        f"{base_url}/health/", cookies[0]
    )  # queued behind what wrk left in the backlog: drained when it answers
    total = int(re.search(r"(\d+) requests in", out).group(1))
    size, unit = re.search(r"requests in [\d.]+\w+, ([\d.]+)(\w+) read", out).groups()
    read = float(size) * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency_ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1)),
        "p99_ms": latency_ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1)),
        "requests": total,
        "kb_per_response": read / total / 1024 if total else 0,
        "errors": (int(errors.group(1)) if errors else 0),
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


def latency_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def main(label: str, seconds: int, rounds: int, database: str) -> None:
    environment = production_environment(database)
    os.environ.update(environment)
    cookies = signed_in_cookies(SESSIONS)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE,
        env=os.environ,
        check=True,
    )
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    pages = [(OFFER, "/programmes/"), (BARE, "/bench-bare/programmes/")]
    workdir = Path(tempfile.mkdtemp(prefix="academy-http-bench-"))
    log = (workdir / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(BASE / ".venv" / "bin" / "gunicorn"),
            "academy.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            "3",
            "--timeout",
            "60",
        ],
        cwd=BASE,
        env=os.environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    results: list[dict] = []
    try:
        wait_until_serving(base_url, server, cookies[0])
        for _, path in pages:
            for cookie in cookies:  # every session signs in and answers with the page itself
                status, body = get(base_url + path, cookie)
                assert status == 200 and b"Find a programme" in body, (path, status)
            load(base_url, path, cookies, 3, 3, workdir)  # warm every worker
        load_before = os.getloadavg()
        for round_number in range(rounds):
            for connections in (10, 50):
                for name, path in pages:
                    result = load(base_url, path, cookies, connections, seconds, workdir)
                    results.append(
                        {"page": name, "path": path, "connections": connections, "round": round_number + 1}
                        | result
                    )
                    print(
                        f"{name:<30} c={connections:<3} {result['rps']:7.1f} req/s  p50 {result['p50_ms']:7.1f} ms  "
                        f"p99 {result['p99_ms']:7.1f} ms  {result['requests']} requests, {result['errors']} errors",
                        flush=True,
                    )
        load_after = os.getloadavg()
        for _, path in pages:  # the sessions were still signed in at the end
            assert get(base_url + path, cookies[-1])[0] == 200, path
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    log_text = (workdir / "gunicorn.log").read_text()
    if "Traceback" in log_text:
        print(log_text[-4000:])
    shutil.rmtree(workdir)
    run = run_started(label, load_before, load_after) | {
        "seconds": seconds,
        "rounds": rounds,
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split(" [")[0]
        or "wrk",
        "rows": results,
    }
    run_save(name="http", run=run, render=render)


def render(history: list[dict]) -> str:
    lines = [
        "# The offer page over HTTP",
        "",
        "gunicorn with 3 sync workers on 127.0.0.1, `DJANGO_ENV=production` settings (DEBUG off, hashed (not",
        "precompressed) static files, secure cookies; X-Forwarded-Proto: https on each request, as a proxy adds) against",
        "the embedded PostgreSQL, cache in PostgreSQL. A participant signed in with 50 sessions, one per",
        "request in turn. wrk (2 threads) runs on the same 2 cores as the server and the database, so these",
        "are the figures of one small box doing everything; the bare view (bench/bare.py: one hand-written",
        "query, minimal HTML, same middleware) shows what the same box serves when the page costs nothing",
        "to build. Target: the offer page at least twice the baseline's requests/s.",
        "",
        *reproduce(
            "Reproduce:",
            "apt-get install wrk",
            "EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python manage.py migrate",
            "EMBEDDED_DATABASE_NAME=academy_bench .venv/bin/python bench/data.py",
            f'{COMMAND} --label "after: Jinja2, commit <sha>"',
        ),
    ]
    # The machine's load moves the figures a lot: compare runs whose bare view served alike.
    for first, last in runs_compared(history):
        lines += [
            f"## {first['label']} → {last['label']} (offer page, best round)",
            "",
            f"Load average at the start: {first['load'][0]} before, {last['load'][0]} after (2 cores).",
            "",
            "| connections | requests/s before | requests/s after | gain | p50 before (ms) | p50 after (ms) "
            "| bare view's requests/s before / after (the machine's state) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for connections in (10, 50):
            b, a = (best(run, OFFER, connections) for run in (first, last))
            bare_b, bare_a = (best(run, BARE, connections) for run in (first, last))
            lines.append(
                f"| {connections} | {b['rps']:.0f} | {a['rps']:.0f} | {a['rps'] / b['rps']:.1f}× "
                f"| {b['p50_ms']:.0f} | {a['p50_ms']:.0f} | {bare_b['rps']:.0f} / {bare_a['rps']:.0f} |"
            )
        lines.append("")
    for run in history:
        lines += [
            f"## {run['label']}",
            "",
            f"{run_where(run)}, {run['wrk']}. {run_load(run)}. {run['seconds']} s per measurement, "
            f"{run['rounds']} round(s), page and bare view in turn.",
            f'Command: `{COMMAND} --label "{run["label"]}" --seconds {run["seconds"]} --rounds {run["rounds"]}`',
            "",
            "| page | connections | round | requests/s | p50 (ms) | p99 (ms) | requests | KB per response | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {r['page']} | {r['connections']} | {r['round']} | {r['rps']:.0f} | {r['p50_ms']:.0f} "
            f"| {r['p99_ms']:.0f} | {r['requests']} | {r['kb_per_response']:.1f} "
            f"| {r['errors']}{' ' + r['socket_errors'] if r['socket_errors'] else ''} |"
            for r in run["rows"]
        ]
        lines.append("")
    return "\n".join(lines)


def best(run: dict, page: str, connections: int) -> dict:
    return max(
        (r for r in run["rows"] if r["page"] == page and r["connections"] == connections),
        key=lambda r: r["rps"],
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="", help='what this run measures, e.g. "after: Jinja2"')
    parser.add_argument("--seconds", type=int, default=20, help="length of each wrk run")
    parser.add_argument(
        "--rounds", type=int, default=2, help="times each page is measured at each concurrency"
    )
    options = parser.parse_args()
    database = os.environ.get("EMBEDDED_DATABASE_NAME", "academy_bench")
    main(options.label or f"commit {git_commit()}", options.seconds, options.rounds, database)
