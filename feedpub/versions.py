"""The versions every "is this still fresh?" decision depends on besides the inputs.

A module of its own, importing nothing heavy, so a no-op build can read them without loading
the Markdown renderer.
"""

from feedpub import __version__

# Bump whenever rendering (feedpub.writers.markup) changes: every feed is then rewritten.
RENDER_VERSION = "4"

# The state file's PRAGMA user_version: bump whenever a table or record changes.
STATE_VERSION = 12


def build_key() -> str:
    """What every freshness decision depends on besides the inputs: a new feedpub, a new
    renderer or a new state layout rewrites every feed."""
    return f"{__version__}:{RENDER_VERSION}:{STATE_VERSION}"
