# The dashboard in a container: Debian 12 with Python 3.11 (the version the pins are tested with),
# Debian's chromium, DejaVu fonts and poppler for chart and PDF exports, and haproxy for
# CONEXION_WORKERS > 1 (deploy/balanced.py). Build: docker build -t conexion .  (see docs/deploy.md)
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        chromium fonts-dejavu-core poppler-utils haproxy \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The pinned requirements first: this layer is rebuilt only when they change.
COPY requirements.txt .
RUN pip install --no-cache-dir --disable-pip-version-check -r requirements.txt

COPY . .

# One unprivileged user; the store, its backups and the fates cache live on volumes.
RUN useradd --create-home --uid 10001 conexion \
    && mkdir -p /data /cache /config \
    && chown conexion:conexion /data /cache /config
USER conexion
ENV CONEXION_DATA_DIR=/data \
    CONEXION_CACHE_DIR=/cache \
    CONEXION_CREDENTIALS_FILE=/config/credentials.yaml \
    CONEXION_MODE=production \
    CONEXION_WORKERS=1 \
    BROWSER_PATH=/usr/bin/chromium \
    PYTHONUNBUFFERED=1
VOLUME ["/data", "/cache"]
EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"

# One Streamlit process, or CONEXION_WORKERS of them behind HAProxy on the same port.
CMD ["sh", "-c", "if [ \"$CONEXION_WORKERS\" -gt 1 ]; then exec python -m deploy.balanced --workers \"$CONEXION_WORKERS\" --port 8501; else exec python -m streamlit run dashboard.py --server.port 8501 --server.address 0.0.0.0; fi"]
