# The bot with the bundled campaign, as one process: `thidua run` (see compose.yaml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    WEB_HOST=0.0.0.0 \
    WEB_PORT=8080 \
    THIDUA_CAMPAIGN_FILE=/app/campaigns/lao-cai-2025.yaml \
    THIDUA_UNITS_FILE=/app/campaigns/lao-cai-units.csv

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot bot
COPY domain domain
COPY handlers handlers
COPY schedules schedules
COPY storage storage
COPY campaigns campaigns
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app thidua

USER thidua
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"
CMD ["thidua", "run"]
