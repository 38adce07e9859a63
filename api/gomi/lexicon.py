"""Reading the matcher's lexicon files (everyday*.yml, broader*.yml, foreign.yml)."""
from __future__ import annotations

from pathlib import Path

import yaml

# libyaml's loader reads the lexicons (≈ 0.5 MB together) ten times faster than the pure-Python one,
# which cost about a second at the first match of every process; PyYAML's wheels include it
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_lexicon(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
