#!/usr/bin/env bash
# Run the whole test suite: ./test.sh [pytest arguments]
# Installs the test dependencies into .venv and Debian's chromium, fonts, poppler and haproxy when missing (as root).
set -euo pipefail
cd "$(dirname "$0")"
. ./scripts_common.sh
if ! ensure_system_packages haproxy; then  # haproxy: tests/test_balancer_browser.py
  [ "${CI:-}" = "true" ] && exit 1
fi
ensure_venv requirements-dev.txt
exec "$PYTHON" -m pytest "$@"
