"""An HTTP request written byte by byte, for the header values no HTTP client will send."""

import asyncio
import json
import logging

from yarl import URL

# Non-ASCII and invalid UTF-8, as a forged or broken client may send in a secret header.
BAD_SECRET_HEADERS = {
    "non-ascii": "bí-mật".encode(),
    "latin-1": "bí-mật".encode("latin-1", "replace"),
    "invalid-utf8": b"\xff\xfe\xfd",
    "lone-continuation": b"\x80",
    "encoded-surrogate": b"\xed\xa0\x80",
}


async def post_json(url: str, body: object, header: bytes, value: bytes) -> int:
    """POST `body` as JSON with one extra header given as raw bytes; returns the status."""
    target = URL(url)
    assert target.host is not None and target.port is not None
    payload = json.dumps(body).encode()
    request = b"".join(
        [
            f"POST {target.raw_path} HTTP/1.1\r\n".encode(),
            f"Host: {target.host}:{target.port}\r\n".encode(),
            b"Content-Type: application/json\r\n",
            f"Content-Length: {len(payload)}\r\n".encode(),
            b"Connection: close\r\n",
            header + b": " + value + b"\r\n\r\n",
            payload,
        ]
    )
    reader, writer = await asyncio.open_connection(target.host, target.port)
    try:
        writer.write(request)
        await writer.drain()
        status_line = await reader.readline()
    finally:
        writer.close()
        await writer.wait_closed()
    return int(status_line.split()[1])


def tracebacks(records: list[logging.LogRecord]) -> list[str]:
    """The log records that carry an exception or report an error."""
    return [r.getMessage() for r in records if r.exc_info or r.levelno >= logging.ERROR]
