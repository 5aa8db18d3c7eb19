"""A build with nothing changed imports nothing it does not need (interpreter start-up counts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from support.sites import ROOT, Site

# Each is only needed to parse content, render, generate or validate documents, or fan out to
# worker processes; none of that happens when nothing changed.
HEAVY = [
    "dateutil",
    "feedgen",
    "lxml",
    "cmarkgfm",
    "nh3",
    "json",
    "multiprocessing",
    "concurrent.futures",
    "feedpub.inputs.frontmatter",
    "feedpub.writers.markup",
    "feedpub.writers.feeds",
    "feedpub.validator",
    "feedpub.validator.output",
    "boto3",
    "botocore",
    "feedpub.commands.deploy",
    "feedpub.deploy.plan",
    "feedpub.deploy.ledger",
]

# json is imported only after the build, to report.
_PROBE = """
import sys
from feedpub.cli import main
try:
    main(["build", "--config", sys.argv[1], "--quiet"])
except SystemExit as exc:
    code = exc.code
imported = [name for name in sys.argv[2].split(",") if name in sys.modules]
import json
print(json.dumps([code, imported]))
"""


def modules_of_a_build(site: Site) -> tuple[int, list[str]]:
    """The exit code of ``feedpub build`` in a fresh interpreter and the HEAVY modules it
    imported."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(site.config), ",".join(HEAVY)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    code, imported = json.loads(done.stdout.splitlines()[-1])
    return code, imported


def test_a_no_op_build_imports_nothing_heavy(sample: Site) -> None:
    code, imported = modules_of_a_build(sample)  # the cold build: needs them all
    assert code == 0
    assert "feedgen" in imported and "lxml" in imported  # the probe sees what a build imports
    before = sample.snapshot()
    code, imported = modules_of_a_build(sample)
    assert code == 0
    assert imported == []
    assert sample.snapshot() == before  # it was the no-op path
