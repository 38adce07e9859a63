"""Alembic's command line on madoguchi's migrations, from any directory, on the api's
database (MADOGUCHI_DB_URL, else var/madoguchi.db):

    .venv/bin/python -m api.migrations revision --autogenerate -m "tickets: add priority"
    .venv/bin/python -m api.migrations current | history | heads | check
"""
from __future__ import annotations

import sys

from alembic.config import CommandLine

from api.migrations import alembic_config


def main(argv: list[str] | None = None) -> None:
    cli = CommandLine(prog="python -m api.migrations")
    options = cli.parser.parse_args(argv)
    if not hasattr(options, "cmd"):
        cli.parser.error("too few arguments")
    cli.run_cmd(alembic_config(), options)


if __name__ == "__main__":
    main(sys.argv[1:])
