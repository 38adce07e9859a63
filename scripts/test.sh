#!/usr/bin/env bash
# The whole test suite: environments, model, unit tests (both environments),
# Rasa data validation and test stories, then end-to-end tests against the real services.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/env.sh all
bash scripts/train.sh
export TF_CPP_MIN_LOG_LEVEL=3 PYTHONPATH=.

echo "== unit tests: api (.venv)"
.venv/bin/python -m pytest -q tests/api

echo "== unit tests: bot and actions (.venv-bot)"
.venv-bot/bin/python -m pytest -q -p no:cacheprovider tests/bot

echo "== rasa data validate"
.venv-bot/bin/rasa data validate --fail-on-warnings --quiet

echo "== rasa test stories"
rm -rf results
.venv-bot/bin/rasa test core --model models/madoguchi.tar.gz --stories tests/rasa \
  --fail-on-prediction-errors --out results --quiet

echo "== end to end (.venv, real api + Rasa + action server)"
.venv/bin/python -m pytest -q tests/e2e
