"""Logging that cannot leak a token, whatever a library puts in its messages; JSON lines for
a bot that serves, plain lines for the console and the commands."""

import json
import logging
from datetime import UTC, datetime
from urllib.parse import quote

from bot.metrics import CountErrors

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Fields the code may give a line (`extra=`), written as they are: never a secret.
FIELDS = ("update", "channel", "unit", "outcome", "ms")
# Libraries that log every update, request or job run at INFO.
QUIET = ("aiogram.event", "aiohttp.access", "apscheduler", "alembic.runtime.migration")


class Redact(logging.Filter):
    """Replaces every secret in a record's message and traceback with ***."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        # A token in a URL may come percent-encoded (its ':' as %3A).
        variants = {form for secret in secrets if secret for form in (secret, quote(secret))}
        self._secrets = sorted(variants, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = self.scrub(message), None
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message (a traceback included, by
    Redact), and the FIELDS the line was given."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup_logging(level: str, secrets: list[str], json_lines: bool = False) -> None:
    """Log to stderr through the Redact filter; warnings from libraries go the same way, and
    every error is counted for /metrics.

    Raises ValueError naming LOG_LEVEL when the level is not one of LEVELS.
    """
    if level.upper() not in LEVELS:
        raise ValueError(f"LOG_LEVEL '{level}' không hợp lệ (dùng: {', '.join(LEVELS)})")
    handler = logging.StreamHandler()
    if json_lines:
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redact(secrets))
    logging.basicConfig(level=level.upper(), handlers=[handler, CountErrors()], force=True)
    logging.captureWarnings(True)
    if level.upper() != "DEBUG":  # each says again, in its words, what our own lines say
        for chatty in QUIET:
            logging.getLogger(chatty).setLevel(logging.WARNING)
