"""Refused builds: a good site built once through the CLI, then broken; the exact stderr and an
output folder left exactly as it was (inputs' and e2e tests share these)."""

from __future__ import annotations

from click.testing import CliRunner, Result

from feedpub.cli import main
from support.sites import Site

Snapshot = dict[str, tuple[bytes, int, int]]
OUTPUT_FILES = 27  # 6 channels x (3 formats + a page) + the three OPMLs

GOOD = """\
site:
  title: Test Desk
  description: Test feeds
  url: https://example.org/
  feeds_url: https://example.org/feeds/
  language: en
  timezone: Asia/Colombo
  author: {name: Test Desk, email: desk@example.org}
  id_authority: example.org,2022
regions:
  asia:
    title: Asia
    countries:
      sri-lanka: {title: Sri Lanka, language: si}
      india: {title: India}
  europe:
    title: Europe
    countries:
      france: {title: France, language: fr}
"""


def cli_build(site: Site) -> Result:
    return CliRunner(catch_exceptions=False).invoke(main, ["build", "--config", str(site.config)])


def refused(site: Site, before: Snapshot, config: str | bytes | None = None) -> str:
    """Write ``config`` (if given) as feeds.yaml and build again: exit code 3, and public/
    exactly as it was."""
    if isinstance(config, bytes):
        site.config.write_bytes(config)
    elif config is not None:
        site.write_config(config)
    result = cli_build(site)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.stderr
    assert site.snapshot() == before
    return result.stderr


def changed(old: str, new: str, text: str = GOOD) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def lines(site: Site, *problems: str) -> str:
    """The stderr of problems in feeds.yaml: one per line, then how many."""
    return "".join(f"{site.config}{problem}\n" for problem in problems) + summary(len(problems))


def one(site: Site, problem: str) -> str:
    return lines(site, problem)


def path(site: Site, name: str) -> str:
    """How messages name a content file."""
    return f"{site.root}/content/{name}"


def error(site: Site, name: str, message: str) -> str:
    """The stderr of one problem in one content file."""
    return f"{path(site, name)}{message}\n" + summary(1)


def summary(count: int) -> str:
    return f"feedpub: {count} problem{'s' * (count != 1)} found; nothing was published\n"


def front(*lines: str, body: str = "Body.\n") -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body
