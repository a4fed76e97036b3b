"""Logging that cannot leak a token, whatever a library puts in its messages."""

import logging
from urllib.parse import quote

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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


def setup_logging(level: str, secrets: list[str]) -> None:
    """Log to stderr through the Redact filter; warnings from libraries go the same way.

    Raises ValueError naming LOG_LEVEL when the level is not one of LEVELS.
    """
    if level.upper() not in LEVELS:
        raise ValueError(f"LOG_LEVEL '{level}' không hợp lệ (dùng: {', '.join(LEVELS)})")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redact(secrets))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    logging.captureWarnings(True)
