"""The production shape, end to end over HTTP: the processes docker-compose.yml starts (gunicorn with
DJANGO_ENV=production, a Celery worker with beat) on the machine's PostgreSQL and Redis.

    .venv/bin/python tests/smoke/production.py

It makes a fresh database `academy_smoke`, migrates it and loads the demo (with the development
settings, as the demo refuses production), collects the static files, starts the web server and the
worker, then as the demo lead: signs in with two-factor authentication (TOTP), enrols on a cohort,
generates a Year in Review PDF and downloads it. An SMTP sink on 127.0.0.1 takes the portal's email,
so the enrolment's confirmation is checked too. Every process it started is stopped at the end.
Run outside pytest (CI runs it from .ci/run); exits non-zero on the first failure.
"""

from __future__ import annotations

import html
import os
import re
import secrets
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

import pyotp

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
PG = os.environ.get("SMOKE_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("SMOKE_REDIS", "redis://127.0.0.1:6379")
DATABASE = "academy_smoke"
LEAD, PASSWORD = "lead@nhs.net", "Academy-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPACADEMYDEMO23456"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def step(message: str) -> None:
    print(f"== {message}", flush=True)


# --- A minimal SMTP sink ----------------------------------------------------------------------------


class SMTPSink(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int):
        self.messages: list[str] = []
        super().__init__(("127.0.0.1", port), SMTPHandler)


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 smoke ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 smoke")
            elif command == "DATA":
                self.reply("354 end with .")
                body = []
                while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    body.append(data.decode(errors="replace"))
                self.server.messages.append("".join(body))
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


# --- A small HTTP client: keeps cookies itself (the portal's are Secure; this talks plain HTTP) ---


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, bytes, str]:
        url = urllib.parse.urljoin(self.base, path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, method="POST" if data is not None else "GET")
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        request.add_header("Referer", url)
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers), response.read(), url

    def get(self, path: str, expect: int = 200) -> bytes:
        status, headers, body, url = self.request(path)
        if status in (301, 302) and expect == 200:
            return self.get(headers["Location"])
        check(status == expect, f"GET {url} answered {status}, expected {expect}")
        return body

    def post(self, path: str, data: dict, token_from: str | None = None) -> tuple[int, dict, bytes]:
        page = self.get(token_from or path).decode()
        data = {"csrfmiddlewaretoken": csrf_token(page), **data}
        status, headers, body, url = self.request(path, data)
        check(status < 500, f"POST {url} answered {status}")
        return status, headers, body

    def follow(self, status: int, headers: dict, body: bytes) -> bytes:
        while status in (301, 302):
            status, headers, body, _ = self.request(headers["Location"])
        check(status == 200, f"answered {status}")
        return body


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    check(match is not None, "the page has no form with a CSRF token")
    return match.group(1)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"SMOKE FAILED: {message}")


# --- The processes ---------------------------------------------------------------------------------


def environment(port: int, smtp_port: int, media: str) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "CELERY_BROKER_URL": f"{REDIS}/10",
        "REDIS_URL": f"{REDIS}/11",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "MEDIA_ROOT": media,
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    check(result.returncode == 0, f"manage.py {' '.join(args)}: {result.stderr[-2000:]}")
    return result.stdout


def prepare_database(env: dict[str, str]) -> dict[str, str]:
    step(f"fresh database {DATABASE}, migrated, with the demo")
    admin = f"{PG}/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {DATABASE}"], check=True)
    # The demo is for development only, so it is loaded with the development settings.
    development = {**env, "DJANGO_ENV": "development"}
    manage(development, "migrate", "--noinput", "-v", "0")
    manage(development, "createcachetable")
    manage(development, "load_demo")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    # An open cohort the lead may join, and the lead's edition: their ids for the journey.
    found = manage(
        development,
        "shell",
        "-c",
        "from academy.models import Person\n"
        "from programmes.models import Programme, Cohort, Session\n"
        "from reporting.models import Edition\n"
        "from django.utils import timezone\n"
        "import datetime as dt\n"
        f"lead = Person.objects.get(user__email='{LEAD}')\n"
        "p = Programme.objects.create(region=lead.region, title='Smoke programme', code='SMK',"
        " slug='smoke-programme', summary='Checks the production shape.', theme='growing',"
        " delivery_mode='virtual', is_published=True)\n"
        "c = Cohort.objects.create(programme=p, region=lead.region, name='Smoke cohort', capacity=5,"
        " status='open')\n"
        "start = timezone.now() + dt.timedelta(days=30)\n"
        "Session.objects.create(cohort=c, title='Day 1', starts_at=start,"
        " ends_at=start + dt.timedelta(hours=2))\n"
        "print('cohort', c.pk, p.slug)\n"
        "print('edition', Edition.objects.filter(region=lead.region).order_by('pk').first().pk)\n",
    )
    ids = dict(line.split(" ", 1) for line in found.splitlines() if line.startswith(("cohort ", "edition ")))
    check({"cohort", "edition"} <= set(ids), f"the demo gave no cohort or edition: {found}")
    return ids


def start(name: str, command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    step(f"start {name}: {' '.join(command)}")
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen, name: str) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    step(f"stopped {name} (exit {process.returncode})")


def wait_for_health(base: str, web: subprocess.Popen) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        check(web.poll() is None, "gunicorn stopped while starting")
        try:
            with urllib.request.urlopen(f"{base}/health/", timeout=20) as response:
                if response.status == 200:
                    return
        except OSError:  # refused while starting, or a slow first answer
            pass
        time.sleep(1)
    check(False, "the web server did not answer /health/ within 3 minutes")


# --- The journey -----------------------------------------------------------------------------------


def journey(base: str, ids: dict[str, str], sink: SMTPSink) -> None:
    browser = Browser(base)
    step("sign in as the lead, with the password and then a TOTP code")
    status, headers, _ = browser.post("/accounts/login/", {"login": LEAD, "password": PASSWORD})
    check(status == 302 and "/accounts/2fa/authenticate/" in headers["Location"], "no two-factor step")
    code = pyotp.TOTP(DEMO_TOTP_SECRET).now()
    status, headers, body = browser.post("/accounts/2fa/authenticate/", {"code": code})
    home = browser.follow(status, headers, body).decode()
    check("Welcome" in home, "signing in did not reach the home page")

    step("enrol on the smoke cohort")
    cohort, slug = ids["cohort"].split()
    status, headers, body = browser.post(
        f"/programmes/cohorts/{cohort}/enrol/", {}, token_from=f"/programmes/{slug}/"
    )
    learning = html.unescape(browser.follow(status, headers, body).decode())
    check("You have a place on Smoke cohort" in learning, "the enrolment was not confirmed")

    step("generate the Year in Review PDF, wait for the worker, download it")
    edition = ids["edition"]
    status, headers, _ = browser.post(
        f"/reports/year-in-review/{edition}/generate/", {}, token_from=f"/reports/year-in-review/{edition}/"
    )
    check(status == 302 and "/runs/" in headers["Location"], f"Generate answered {status}")
    run = re.search(r"/runs/(\d+)/", headers["Location"]).group(1)
    deadline = time.monotonic() + 240
    while True:
        state = browser.get(f"/reports/year-in-review/runs/{run}/status.json").decode()
        if '"finished": true' in state:
            break
        check(time.monotonic() < deadline, f"the report was not ready in 4 minutes: {state}")
        time.sleep(2)
    check('"status": "succeeded"' in state, f"the report failed: {state}")
    status, headers, pdf, _ = browser.request(f"/reports/year-in-review/runs/{run}/download/")
    check(status == 200 and pdf.startswith(b"%PDF-"), f"the download answered {status}, not a PDF")
    check("attachment" in headers.get("Content-Disposition", ""), "the PDF is not sent as an attachment")
    print(f"   the PDF: {len(pdf):,} bytes", flush=True)

    step("the worker sent the enrolment's confirmation email")
    deadline = time.monotonic() + 60
    while not any("Smoke cohort" in m for m in sink.messages):
        check(time.monotonic() < deadline, f"no enrolment email in {len(sink.messages)} messages")
        time.sleep(1)


def main() -> int:
    port, smtp_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    sink = SMTPSink(smtp_port)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    processes: list[tuple[subprocess.Popen, str]] = []
    with tempfile.TemporaryDirectory(prefix="academy-smoke-") as work:
        logs = Path(work)
        env = environment(port, smtp_port, str(logs / "media"))
        try:
            ids = prepare_database(env)
            web = start(
                "gunicorn",
                [str(BIN / "gunicorn"), "academy.wsgi:application", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", "2", "--timeout", "60", "--access-logfile", "-"],
                env,
                logs / "web.log",
            )
            processes.append((web, "gunicorn"))
            worker = start(
                "celery worker with beat",
                [str(BIN / "celery"), "-A", "academy", "worker", "--beat", "--loglevel=INFO"]
                + ["--concurrency=2", f"--schedule={logs / 'celerybeat-schedule'}"],
                env,
                logs / "worker.log",
            )
            processes.append((worker, "celery"))
            wait_for_health(base, web)
            journey(base, ids, sink)
            check(worker.poll() is None, "the worker stopped during the journey")
        except BaseException:
            for name in ("web.log", "worker.log"):
                path = logs / name
                if path.exists():
                    print(f"--- last lines of {name}", file=sys.stderr)
                    print("\n".join(path.read_text().splitlines()[-40:]), file=sys.stderr)
            raise
        finally:
            for process, name in reversed(processes):
                stop(process, name)
            sink.shutdown()
    step("the production shape works")
    return 0


if __name__ == "__main__":
    sys.exit(main())
