#!/usr/bin/env bash
# Set up and run the whole test suite: system test dependencies (chromium, database servers
# when none runs), the Python environment, ruff, then pytest. Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_test_deps.sh
bash scripts/setup.sh "dev,server,flask"
.venv/bin/python -m ruff check .
.venv/bin/python -m pytest -p no:cacheprovider "$@"
