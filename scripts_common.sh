# Shared by run.sh and test.sh: create .venv and install a requirements file when it changed.
ensure_venv() {
  local requirements="$1"
  local venv="${CONEXION_VENV:-.venv}"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
  fi
  local stamp="$venv/.installed-$(basename "$requirements")"
  local digest
  digest=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    echo "$digest" > "$stamp"
  fi
  PYTHON="$venv/bin/python"
}

# Debian's chromium (browser tests, chart export with kaleido) and DejaVu fonts (PDF), when
# missing and running as root; otherwise say what to install. Extra Debian packages named as
# arguments are checked by their command (haproxy: several server processes, deploy/balanced.py).
ensure_system_packages() {
  local missing=()
  local extra
  for extra in "$@"; do
    command -v "$extra" >/dev/null 2>&1 || missing+=("$extra")
  done
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]} (install with: sudo apt-get install ${missing[*]})" >&2
    return 1
  fi
}
