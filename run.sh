#!/usr/bin/env bash
# Start the dashboard on the bundled sample data: ./run.sh [--server.port 8501 ...]
# CONEXION_WORKERS=N ./run.sh starts N processes behind HAProxy on the same port (deploy/balanced.py).
set -euo pipefail
cd "$(dirname "$0")"
. ./scripts_common.sh
workers="${CONEXION_WORKERS:-1}"
if [ "$workers" -gt 1 ]; then
  ensure_system_packages haproxy || { command -v haproxy >/dev/null 2>&1 || exit 1; }
else
  ensure_system_packages || echo "run.sh: PDF and image exports need them; the dashboard starts anyway." >&2
fi
ensure_venv requirements.txt
if [ "$workers" -gt 1 ]; then
  exec "$PYTHON" -m deploy.balanced --workers "$workers" "$@"
fi
exec "$PYTHON" -m streamlit run dashboard.py --browser.gatherUsageStats false "$@"
