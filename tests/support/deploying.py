"""The deploy tests' site and command: five articles (archive pages appear) with a local image."""

from __future__ import annotations

import copy
from typing import Any

from click.testing import CliRunner, Result

from feedpub.cli import main
from support.sites import BASE_CONFIG, Site


def write_site(site: Site, config: dict[str, Any] | None = None) -> None:
    """Five articles (two feeds' worth: archive pages appear), one with a local image; built."""
    config = copy.deepcopy(config or BASE_CONFIG)
    config["site"].update(limit=2, archive_page_size=2)
    site.write_config(config)
    site.raw("asia/india/photo.png", b"\x89PNG\r\n\x1a\n" + b"1" * 64)
    for day in range(1, 6):
        site.article(
            f"asia/india/day-{day}",
            title=f"Day {day}",
            date=f"2022-03-0{day}",
            countries=["india"],
            **({"image": "photo.png", "image_alt": "A photo"} if day == 5 else {}),
        )
    site.build()


def deploy(site: Site, *args: str) -> Result:
    return CliRunner(catch_exceptions=False).invoke(
        main, ["deploy", "--config", str(site.config), *args]
    )
