#!/usr/bin/env bash
# Create .venv (if missing) and install this project into it, editable, with extras.
# Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh dev   (default: dev)
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-dev}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${extras}]"
