"""No-op and +1 builds at N articles with and without ``topics: {tags: auto}`` (issue 18),
alternating runs, medians: ``python bench/topics.py N WORKDIR``. Archives off; the corpus is
bench/make_corpus.py's, with its tags. Results: bench/results-issue18-topics.md."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUNDS = 5


def make_site(work: Path, n: int, name: str, topics: bool) -> Path:
    root = work / name
    if not root.exists():
        command = [sys.executable, str(HERE / "make_corpus.py"), str(n), str(root)]
        subprocess.run(command, check=True, capture_output=True)
        config = root / "feeds.yaml"
        text = config.read_text().replace("  limit: 50\n", "  limit: 50\n  archives: false\n")
        config.write_text(text + ("topics:\n  tags: auto\n" if topics else ""))
    return root


def build(root: Path) -> float:
    command = [sys.executable, "-m", "feedpub", "build", "-q", "--config", str(root / "feeds.yaml")]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent)
    assert done.returncode == 0, done.stderr[-500:]
    return time.perf_counter() - start


def add_article(root: Path, number: int) -> None:
    first = sorted((root / "content").rglob("*.md"))[0]
    text = first.read_text().replace("title:", "title: Added", 1)
    (first.parent / f"zz-added-{number}.md").write_text(text)


def main() -> None:
    n, work = int(sys.argv[1]), Path(sys.argv[2])
    roots = {"plain": make_site(work, n, "plain", False), "tags": make_site(work, n, "tags", True)}
    for root in roots.values():
        build(root)  # cold
    noop: dict[str, list[float]] = {name: [] for name in roots}
    plus: dict[str, list[float]] = {name: [] for name in roots}
    for number in range(ROUNDS):
        for name, root in roots.items():
            noop[name].append(build(root))
            add_article(root, number)
            plus[name].append(build(root))
    for name in roots:
        print(
            f"{name}: no-op median {statistics.median(noop[name]):.3f} s, "
            f"+1 median {statistics.median(plus[name]):.3f} s"
        )
    print("tag channels:", len(list((roots["tags"] / "public" / "tags").iterdir())))


if __name__ == "__main__":
    main()
