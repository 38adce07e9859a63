"""Kept for existing commands: `python -m api.admin.serve` is `python -m api.serve`."""
from __future__ import annotations

import sys

from api.serve import main, serve  # noqa: F401

if __name__ == "__main__":
    sys.exit(main())
