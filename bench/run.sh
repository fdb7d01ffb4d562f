#!/usr/bin/env bash
# The side-by-side benchmark in one command (see bench/README.md):
#   bash bench/run.sh                       # small and large sets, 3 rounds of 4 s per URL
#   bash bench/run.sh --sizes small --rounds 3 --duration 4
# Makes bench/.venvs/* from PyPI, the SQLite files, installs wrk (apt-get, as root) if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/peers.py "$@"
