#!/usr/bin/env bash
# Set up and run the demo admin on SQLite with seeded data: http://127.0.0.1:8000
# Environment: HOST, PORT, DATABASE_URL, AUTH_DISABLED=1, DEMO_PASSWORD.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh server
exec .venv/bin/python -m examples.demo "$@"
