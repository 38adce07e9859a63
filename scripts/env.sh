#!/usr/bin/env bash
# Creates and updates the two Python environments, idempotently.
# A stamp (hash of the requirement file) skips pip when nothing changed.
# Both requirement files carry sha256 hashes and are installed with --require-hashes.
#   scripts/env.sh api   -> .venv      (Python 3.11: api, tests)
#   scripts/env.sh bot   -> .venv-bot  (Python 3.10: Rasa, GiNZA, action server)
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {  # $1 = version, e.g. 3.10
  local v=$1 c
  for c in "python$v" "$(pyenv root 2>/dev/null)"/versions/"$v".*/bin/python"$v" /usr/bin/python"$v" /usr/local/bin/python"$v"; do
    if [ -n "$c" ] && "$c" -c 'import sys' >/dev/null 2>&1; then command -v "$c" || echo "$c"; return 0; fi
  done
  return 1
}

ensure() {  # $1 = venv dir, $2 = python version, $3 = requirement file
  local dir=$1 ver=$2 req=$3 stamp want py
  want=$(sha256sum "$req" | cut -d' ' -f1)
  stamp="$dir/.madoguchi-stamp"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  if ! py=$(find_python "$ver"); then
    echo "madoguchi needs Python $ver (python$ver on PATH or under pyenv)." >&2
    echo "Install it, e.g. 'pyenv install $ver' or 'apt-get install python$ver python$ver-venv', then retry." >&2
    exit 1
  fi
  if [ ! -x "$dir/bin/python" ]; then
    echo "== creating $dir with $py"
    "$py" -m venv "$dir"
  fi
  echo "== installing $req into $dir (first time takes a few minutes)"
  "$dir/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip==24.0 >/dev/null
  # --require-hashes: every file pip downloads (from this machine's local indexes or PyPI) must match a
  # sha256 listed in the requirement file, so a swapped or tampered package fails the install instead of
  # being run. It also refuses any dependency not pinned there with == (build dependencies of the few
  # sdists are fetched by pip's build isolation without hash checks).
  "$dir/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$req"
  echo "$want" > "$stamp"
}

case "${1:-all}" in
  api) ensure .venv 3.11 requirements.txt ;;
  bot) ensure .venv-bot 3.10 requirements-bot.txt ;;
  all) ensure .venv 3.11 requirements.txt; ensure .venv-bot 3.10 requirements-bot.txt ;;
  *) echo "usage: $0 [api|bot|all]" >&2; exit 2 ;;
esac
