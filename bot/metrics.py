"""What the bot is doing, for Prometheus (`/metrics`): one registry per process.

Each process counts its own work; Prometheus scrapes every process and adds them up.
"""

import logging

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry()
UPDATES = Counter(
    "thidua_updates",
    "Updates handled, by channel and outcome (handled, duplicate, error, refused)",
    ["channel", "outcome"],
    registry=REGISTRY,
)
HANDLING = Histogram(
    "thidua_update_seconds",
    "Time from an update's arrival to its answers sent",
    ["channel"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "thidua_deliveries",
    "Messages tried, by channel, kind (answer, reminder, broadcast, notice) and status "
    "(sent, queued again, blocked, failed)",
    ["channel", "kind", "status"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "thidua_rate_limited", "429 answers from a chat service", ["channel"], registry=REGISTRY
)
ERRORS = Counter("thidua_errors", "Errors logged, by logger", ["logger"], registry=REGISTRY)
OUTBOX_DEPTH = Gauge(
    "thidua_outbox_depth", "Messages queued or being sent (all processes)", registry=REGISTRY
)
PROCESSES = Gauge(
    "thidua_processes", "Bot processes alive, as this one sees them", registry=REGISTRY
)
SCHEDULER = Gauge(
    "thidua_scheduler_held", "1 while this process runs the scheduler", registry=REGISTRY
)


class Observer:
    """Counts the events the conversations handle (handlers.dispatch.Observer)."""

    def handled(self, channel: str, outcome: str, seconds: float) -> None:
        UPDATES.labels(channel, outcome).inc()
        HANDLING.labels(channel).observe(seconds)


class CountErrors(logging.Handler):
    """Every ERROR line logged is counted, whoever logged it."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        ERRORS.labels(record.name).inc()


def exposition() -> bytes:
    """The metrics in Prometheus's text format."""
    return generate_latest(REGISTRY)
