"""The README holds to the code: its feeds.yaml and front matter tables list exactly the keys
and defaults the code has, and its quick start and cron commands run as written."""

from __future__ import annotations

import dataclasses
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from support.sites import ROOT

from feedpub.inputs.articles import FRONT_MATTER_KEYS
from feedpub.inputs.config import (
    COUNTRY_KEYS,
    DEPLOY_KEYS,
    REGION_KEYS,
    SITE_KEYS,
    WEBFEEDS_KEYS,
)
from feedpub.inputs.topics import FILTER_KEYS, TERM_KEYS, TOPIC_KEYS
from feedpub.model import CacheControl, Site

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def table(text: str) -> dict[str, list[str]]:
    """The first cell (without backquotes) -> the other cells, of each row of the tables."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) >= 3:
            rows[cells[0].strip("`")] = cells[1:]
    return rows


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_feeds_yaml_table_lists_every_key_with_its_default() -> None:
    rows = table(section("feeds.yaml"))
    site = {
        k.removeprefix("site."): v
        for k, v in rows.items()
        if k.count(".") == 1 and k.startswith("site.")
    }
    webfeeds = {k.removeprefix("site.webfeeds.") for k in rows if k.startswith("site.webfeeds.")}
    region = {
        k.removeprefix("regions.<key>."): v
        for k, v in rows.items()
        if k.startswith("regions.<key>.") and ".countries.<key>." not in k
    }
    country = {
        k.removeprefix("regions.<key>.countries.<key>."): v
        for k, v in rows.items()
        if ".countries.<key>." in k
    }
    deploy = {k.removeprefix("deploy."): v for k, v in rows.items() if k.startswith("deploy.")}
    assert set(site) == SITE_KEYS
    assert webfeeds == WEBFEEDS_KEYS
    assert set(region) == REGION_KEYS
    assert set(country) == COUNTRY_KEYS
    topics = {k.removeprefix("topics.") for k in rows if k.startswith("topics.")}
    kinds = {k for k in topics if "." not in k}
    assert kinds == TOPIC_KEYS - {"filters"}
    assert {k.removeprefix("<kind>.<term>.") for k in topics if "<term>" in k} == TERM_KEYS
    assert {k.removeprefix("filters.<key>.") for k in topics if "<key>" in k} == FILTER_KEYS
    cache = {f"cache_control.{f.name}": f.default for f in dataclasses.fields(CacheControl)}
    assert set(deploy) == DEPLOY_KEYS - {"cache_control"} | set(cache)
    for key, value in cache.items():
        assert yaml.safe_load(deploy[key][1].strip("`")) == value, key
    defaults = {f.name: f.default for f in dataclasses.fields(Site)}
    for key, (_, default, _) in site.items():
        value = defaults[key]
        if value is dataclasses.MISSING:
            assert default == "required", key
        elif value is None:
            assert default == "none", key
        else:
            listed = list(value) if isinstance(value, tuple) else value  # YAML has lists
            assert yaml.safe_load(default.strip("`")) == listed, key


def test_content_table_lists_every_front_matter_key() -> None:
    assert set(table(section("Content files"))) == FRONT_MATTER_KEYS


def test_every_command_is_documented() -> None:
    from feedpub.cli import main

    commands = section("The commands")
    for name, command in main.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", {name: command})
        for sub in subcommands:
            full = name if sub == name else f"{name} {sub}"
            assert f"`feedpub {full}" in commands, full


def exit_code_table(text: str) -> dict[int, str]:
    return {int(code): meaning for code, meaning in re.findall(r"^\| (\d) \| (.*) \|$", text, re.M)}


def test_every_exit_code_is_documented() -> None:
    from feedpub import errors

    codes = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    build = exit_code_table(section("Running from cron"))
    deploy = exit_code_table(section("Deploying: `feedpub deploy`"))
    assert set(build) | set(deploy) == codes == set(errors.ExitCode)
    assert build == errors.BUILD_EXIT_MEANINGS
    assert deploy == errors.DEPLOY_EXIT_MEANINGS


def test_deploy_help_says_the_readme_exit_codes() -> None:
    from feedpub import errors
    from feedpub.cli import main

    help_text = " ".join(CliRunner().invoke(main, ["deploy", "--help"]).output.split())
    meanings = errors.DEPLOY_EXIT_MEANINGS.items()
    listed = "; ".join(f"{code} {meaning.replace('`', '')}" for code, meaning in meanings)
    assert f"Exit codes: {listed}" in help_text
    assert "6 a partial deploy: some files were uploaded, in order, and the rest not" in help_text


def test_build_help_says_the_readme_exit_codes() -> None:
    from feedpub.cli import main

    help_text = " ".join(CliRunner().invoke(main, ["build", "--help"]).output.split())
    assert (
        "Exit codes: 0 success; 1 a generated document failed validation (nothing was "
        "published); 2 usage error; 3 an error in feeds.yaml or content (nothing was "
        "published; with site.on_error: skip, all but the broken content files were); "
        "4 another build holds the lock (--wait waits instead); 5 an I/O error "
        "(disk full, permissions, ...)"
    ) in help_text


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A copy of the repository's sample site with ``.venv`` the venv running the tests."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(ROOT / "feeds.yaml", root / "feeds.yaml")
    shutil.copytree(ROOT / "content", root / "content")
    (root / ".venv").symlink_to(Path(sys.prefix))
    return root


def run(
    command: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = env or {**os.environ, "EDITOR": "true", "NO_COLOR": "1"}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def need_installed_feedpub() -> None:
    """The README's commands run the installed ``feedpub``; CI (FEEDPUB_REQUIRE_TOOLS=1) has it."""
    if not (Path(sys.prefix) / "bin" / "feedpub").exists():
        message = "feedpub is not installed in the test venv (pip install -e .)"
        if os.environ.get("FEEDPUB_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)


# An editor session, as a script: the article's text in place of feedpub new's placeholder.
EDITOR_SCRIPT = """#!/bin/sh
sed -i 's/^Write the article here, in place of this line.*$/Queues ran for days in Colombo./' "$1"
"""


def editor_env(folder: Path, variable: str | None) -> dict[str, str]:
    """The environment of a user whose editor is the script above: as ``$EDITOR``, or, with
    ``variable`` None, as the ``vi`` on their PATH and no ``$EDITOR`` at all."""
    bin_folder = folder / "bin"
    bin_folder.mkdir()
    script = bin_folder / ("vi" if variable is None else "my-editor")
    script.write_text(EDITOR_SCRIPT)
    script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
    env["PATH"] = f"{bin_folder}:{env['PATH']}"
    env["NO_COLOR"] = "1"
    if variable is not None:
        env["EDITOR"] = str(script)
    return env


@pytest.mark.parametrize("editor", ["$EDITOR", "no $EDITOR"])
def test_quick_start_runs_as_written(site_copy: Path, tmp_path: Path, editor: str) -> None:
    need_installed_feedpub()
    (block,) = code_blocks(section("Quick start: from nothing to a cron job"), "sh")
    lines = [line for line in block.splitlines() if line.strip()]
    # The install line is what CI and the top of the README run; no network here.
    assert lines[0] == "python3 -m venv .venv && .venv/bin/pip install -e ."
    env = editor_env(tmp_path, "EDITOR" if editor == "$EDITOR" else None)
    for line in lines[1:]:
        result = run(line, site_copy, env)
        assert result.returncode == 0, (line, result.stdout, result.stderr)
    assert (site_copy / "content/asia/sri-lanka/sri-lanka-fuel-queues-day-three.md").is_file()
    draft = site_copy / "content/asia/kazakhstan/kazakhstan-strikes-spread-west.md"
    assert "draft: true\n" in draft.read_text()
    assert "asia/sri-lanka " in result.stdout  # feedpub channels lists the channel
    rss = (site_copy / "public/asia/sri-lanka/rss.xml").read_text()
    # The article went out with what was written in the editor, not its title as its content.
    assert "&lt;p&gt;Queues ran for days in Colombo.&lt;/p&gt;" in rss
    assert "Kazakhstan: Strikes Spread West" not in (site_copy / "public/rss.xml").read_text()


def test_quick_start_without_editing_publishes_nothing(site_copy: Path) -> None:
    """Saving the file unchanged (an editor quit at once): check and build refuse it."""
    need_installed_feedpub()
    (block,) = code_blocks(section("Quick start: from nothing to a cron job"), "sh")
    new = block.splitlines()[1]
    assert run(new, site_copy).returncode == 0  # EDITOR=true: nothing written in it
    result = run(".venv/bin/feedpub build", site_copy)
    path = "content/asia/sri-lanka/sri-lanka-fuel-queues-day-three.md"
    assert (result.returncode, result.stderr) == (
        3,
        f"{path}:8: body: is still the placeholder feedpub new wrote; write the article in "
        "its place (or add draft: true until it is ready)\n"
        "feedpub: 1 problem found; nothing was published\n",
    )
    assert not (site_copy / "public").exists()


class _OldSite(http.server.BaseHTTPRequestHandler):
    """The old site: its feed at /feed/ (the WordPress fixture), until ``moved`` says it
    answers 301 to the new site's feed, as the README tells the publisher to do."""

    server: _OldServer

    def do_GET(self) -> None:  # http.server's name
        if self.path == "/feed/" and self.server.moved:
            self.send_response(301)
            self.send_header("Location", "/feeds/atom.xml")
            self.end_headers()
            return
        if self.path == "/feed/":
            body = (ROOT / "tests/data/import/wordpress.xml").read_bytes()
        elif self.path.startswith("/feeds/"):
            body = (self.server.public / self.path.removeprefix("/feeds/")).read_bytes()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _OldServer(http.server.ThreadingHTTPServer):
    moved = False
    public = Path()


@pytest.fixture
def old_site(site_copy: Path) -> Iterator[_OldServer]:
    server = _OldServer(("127.0.0.1", 0), _OldSite)
    server.public = site_copy / "public"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def test_migration_runs_as_written_and_a_rerun_after_the_301_writes_nothing(
    site_copy: Path, old_site: _OldServer
) -> None:
    need_installed_feedpub()
    block = code_blocks(section("Migrating from an existing feed"), "sh")[0]
    old = f"http://127.0.0.1:{old_site.server_port}/feed/"
    lines = [line.replace("https://old.example/feed/", old) for line in block.splitlines()]
    assert any(old in line for line in lines)
    for line in lines:
        result = run(line, site_copy)
        assert result.returncode == 0, (line, result.stdout, result.stderr)
    content = {p: p.read_bytes() for p in (site_copy / "content").rglob("*.md")}
    published = (site_copy / "public/rss.xml").read_bytes()
    assert b"https://old.example/?p=" in published  # the old guids, verbatim
    # The publisher redirects the old feed, as the README says; someone runs the import again.
    old_site.moved = True
    again = run(lines[0], site_copy)
    assert again.returncode == 3
    assert "is this site's own feed" in again.stderr and "nothing was written" in again.stderr
    assert {p: p.read_bytes() for p in (site_copy / "content").rglob("*.md")} == content
    rebuilt = run(lines[1], site_copy)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert (site_copy / "public/rss.xml").read_bytes() == published


def test_cron_line_and_systemd_service_run_as_written(site_copy: Path) -> None:
    need_installed_feedpub()
    cron = section("Running from cron")
    (crontab,) = code_blocks(cron, "cron")
    command = crontab.strip().split(None, 5)[5]
    assert command.endswith(" --wait")  # a run behind a long one waits: no mail of exit 4
    result = run(command.replace("/srv/site", str(site_copy)), site_copy)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (site_copy / "public/rss.xml").is_file()
    service = next(b for b in code_blocks(cron, "ini") if "[Service]" in b)
    workdir = re.search(r"^WorkingDirectory=(.*)$", service, re.M)
    exec_start = re.search(r"^ExecStart=(.*)$", service, re.M)
    user = re.search(r"^User=(.*)$", service, re.M)
    assert workdir and exec_start
    # Not root (the default without User=): a root build leaves public/ and .feedpub/ behind
    # that the site's own user cannot write.
    assert user and user[1] not in ("", "root", "0"), "the unit names the site's user"
    assert f"`User=` is\nthe account that owns `/srv/site` (here `{user[1]}`" in cron
    cwd = Path(workdir[1].replace("/srv/site", str(site_copy)))
    result = run(exec_start[1].replace("/srv/site", str(site_copy)), cwd)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
