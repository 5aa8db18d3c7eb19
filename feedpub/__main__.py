"""The ``feedpub`` command (and ``python -m feedpub``): a quiet no-op answered first (see
:mod:`feedpub.quick`), anything else by the CLI."""

import os
import sys

from feedpub.quick import check


def main() -> None:
    checked = check(sys.argv[1:])
    if checked.answered:
        return
    from feedpub.cli import main as cli

    try:
        cli(obj=checked.walk)  # the build starts from the walk the check made
    except SystemExit as exc:
        leave(exc.code)
    leave(0)


def leave(code: object) -> None:
    """Exit with ``code`` as ``sys.exit`` would, once the output is flushed, without tearing
    down the interpreter: freeing a build's heap one object at a time (the listings of
    50,000 articles and their channels) cost a fifth of a +1 build after its work was done.
    Everything a command writes is closed by then (files, the state, the lock, the workers)."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: what sys.exit would report, and fail with
        status = status or 1
    os._exit(status)


if __name__ == "__main__":
    main()
