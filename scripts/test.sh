#!/usr/bin/env bash
# The whole test suite: environments, model, unit tests (both environments),
# Rasa data validation and test stories, then end-to-end tests against the real services.
set -euo pipefail
cd "$(dirname "$0")/.."
# No call home: Rasa's usage reports only when the operator opts in (MADOGUCHI_RASA_TELEMETRY=1).
case "${MADOGUCHI_RASA_TELEMETRY:-0}" in 1|[Tt]rue|[Yy]es|[Oo]n) export RASA_TELEMETRY_ENABLED=true ;; *) export RASA_TELEMETRY_ENABLED=false ;; esac
bash scripts/env.sh all
export TF_CPP_MIN_LOG_LEVEL=3 PYTHONPATH=.

# The model trains (.venv-bot, Rasa) while the api's unit tests run (.venv, no Rasa): the two
# take about as long each, and together about as long as the longer of them on two cores.
mkdir -p var
echo "== model (training in the background: var/train.log) and unit tests: api (.venv)"
bash scripts/train.sh > var/train.log 2>&1 &
training=$!
api_status=0
.venv/bin/python -m pytest -q tests/api || api_status=$?
train_status=0
wait "$training" || train_status=$?
echo "== model"
cat var/train.log
if [ "$train_status" -ne 0 ] || [ "$api_status" -ne 0 ]; then
  echo "model training exit $train_status, api unit tests exit $api_status" >&2
  exit 1
fi

echo "== unit tests: bot and actions (.venv-bot)"
.venv-bot/bin/python -m pytest -q -p no:cacheprovider tests/bot

echo "== rasa data validate"
.venv-bot/bin/rasa data validate --fail-on-warnings --quiet

echo "== rasa test stories"
rm -rf results
.venv-bot/bin/rasa test core --model models/madoguchi.tar.gz --stories tests/rasa \
  --fail-on-prediction-errors --out results --quiet

echo "== browser test tools: Debian's Chromium, axe-core from npm"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1
  fi
fi
npm ci --prefix tests/browser --no-audit --no-fund --silent

echo "== end to end and browser (.venv, real api + Rasa + action server, headless Chromium)"
.venv/bin/python -m pytest -q tests/e2e tests/browser
