"""The ``feedpub`` command (and ``python -m feedpub``): a quiet no-op answered first (see
:mod:`feedpub.quick`), anything else by the CLI."""

import sys

from feedpub.quick import check


def main() -> None:
    checked = check(sys.argv[1:])
    if checked.answered:
        return
    from feedpub.cli import main as cli

    cli(obj=checked.walk)  # the build starts from the walk the check made


if __name__ == "__main__":
    main()
