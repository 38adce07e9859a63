#!/usr/bin/env bash
# Trains the Rasa model only when config, domain, training data or NLU components changed.
set -euo pipefail
cd "$(dirname "$0")/.."
# No call home: Rasa's usage reports only when the operator opts in (MADOGUCHI_RASA_TELEMETRY=1).
case "${MADOGUCHI_RASA_TELEMETRY:-0}" in 1|[Tt]rue|[Yy]es|[Oo]n) export RASA_TELEMETRY_ENABLED=true ;; *) export RASA_TELEMETRY_ENABLED=false ;; esac
bash scripts/env.sh bot
want=$(cat config.yml domain.yml requirements-bot.txt $(find data bot -type f \( -name '*.yml' -o -name '*.py' \) | sort) | sha256sum | cut -d' ' -f1)
if [ -f models/madoguchi.tar.gz ] && [ "$(cat models/.fingerprint 2>/dev/null)" = "$want" ]; then
  echo "== Rasa model is up to date (models/madoguchi.tar.gz)"
  exit 0
fi
echo "== training the Rasa model (config or data changed)"
start=$(date +%s)
PYTHONPATH=. TF_CPP_MIN_LOG_LEVEL=3 .venv-bot/bin/rasa train --fixed-model-name madoguchi --out models --quiet
echo "$want" > models/.fingerprint
echo "== trained in $(( $(date +%s) - start )) s"
