#!/usr/bin/env bash
# Run the whole test suite: ./test.sh [pytest arguments]
# Installs the test dependencies into .venv and Debian's chromium (when missing and root).
set -euo pipefail
cd "$(dirname "$0")"
. ./scripts_common.sh
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null
  else
    echo "test.sh: Debian's chromium is missing; install it with: sudo apt-get install chromium fonts-dejavu-core" >&2
    [ "${CI:-}" = "true" ] && exit 1
  fi
fi
ensure_venv requirements-dev.txt
exec "$PYTHON" -m pytest "$@"
