"""``python -m nseers``: the same as the ``nseers`` command."""

from nseers.cli.main import main

main()
