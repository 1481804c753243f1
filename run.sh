#!/usr/bin/env bash
# Start the dashboard on the bundled sample data: ./run.sh [--server.port 8501 ...]
set -euo pipefail
cd "$(dirname "$0")"
. ./scripts_common.sh
ensure_system_packages || echo "run.sh: PDF and image exports need them; the dashboard starts anyway." >&2
ensure_venv requirements.txt
exec "$PYTHON" -m streamlit run dashboard.py --browser.gatherUsageStats false "$@"
