#!/usr/bin/env bash
# Set up and run the whole test suite (lint first, then pytest). Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh "dev,server"
.venv/bin/python -m ruff check .
.venv/bin/python -m pytest -p no:cacheprovider "$@"
