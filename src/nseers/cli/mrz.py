"""``nseers mrz``: read and validate ICAO 9303 machine-readable zones (issue 6, in progress)."""

from __future__ import annotations

import typer

mrz_app = typer.Typer(help="Read and validate ICAO 9303 machine-readable zones.",
                      no_args_is_help=True)
