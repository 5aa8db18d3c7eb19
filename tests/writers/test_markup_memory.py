"""Rendering frees what cmark-gfm allocates: cmarkgfm's own wrapper leaked the document tree
and the HTML buffer of every body (about 27 KB an article), which a 50,000-article cold build
or a long ``feedpub serve --watch`` piles up."""

from __future__ import annotations

from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from feedpub.writers.markup import markdown_to_html

BODIES = [
    "",
    "Plain *emphasis* and **strong**, a [link](https://example.org/) and `code`.\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ www.example.org\n",
    "<div>raw <b>html</b></div>\n\n> quote\n\n1. one\n2. two\n",
    "# Heading\n\n" + "A long paragraph of words. " * 400 + "\n",
]


@pytest.mark.parametrize("body", BODIES)
def test_the_html_is_cmarkgfms_own(body: str) -> None:
    expected = cmarkgfm.markdown_to_html_with_extensions(
        body, Options.CMARK_OPT_UNSAFE, ["table", "strikethrough", "autolink"]
    )
    assert markdown_to_html(body) == expected


def resident_mib() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_rendering_many_bodies_does_not_grow_the_process() -> None:
    body = BODIES[-1]  # about 11 KB: the leak was larger than the body
    for _ in range(200):
        markdown_to_html(body)
    before = resident_mib()
    for _ in range(3000):
        markdown_to_html(body)
    assert resident_mib() - before < 16  # the leak: about 80 MiB here
