"""The versions every "is this still fresh?" decision depends on besides the inputs.

A module of its own, importing nothing heavy, so a no-op build can read them without loading
the Markdown renderer.
"""

# Bump whenever rendering (feedpub.writers.markup) changes: every feed is then rewritten.
RENDER_VERSION = "4"
