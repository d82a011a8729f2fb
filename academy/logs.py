"""Logging: one line per event. Django's request logger attaches the exception to every 4xx it logs
(a 403 from PermissionDenied, a 404 from Http404); a client's error is not the server's, so the line
is kept and the traceback dropped. Server errors (5xx) keep theirs."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and (record.name.startswith("django.security") or (status and status < 500)):
            record.exc_info = None
            record.exc_text = None
        return True
