"""Write a deterministic benchmark site: ``feeds.yaml`` plus N Markdown articles.

``python bench/make_corpus.py N DEST [--seed 1]`` gives the same bytes for the same N and seed:
every choice comes from one ``random.Random(seed)`` and dates are spread over 2015-2024 by the
article's index, so article ``a{i}`` is the i-th oldest and the middle index is mid-range.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

VERSION = 3  # bump whenever the output changes, so the bench regenerates cached corpora
REGIONS = 5
COUNTRIES_PER_REGION = 10
FIRST_DAY = datetime(2015, 1, 1, tzinfo=UTC)
DAYS = (datetime(2025, 1, 1, tzinfo=UTC) - FIRST_DAY).days  # the last article is on 2024-12-31
IMAGE_SHARE = 0.3
SUMMARY_SHARE = 0.5
TWO_COUNTRY_SHARE = 0.1
ZONE = ZoneInfo("Europe/London")  # the corpus's site.timezone

FEEDS_HEADER = """\
site:
  title: Bench News
  description: Generated benchmark corpus
  url: https://bench.example.org/
  feeds_url: https://bench.example.org/feeds/
  language: en
  timezone: Europe/London
  author: {name: Bench Desk, email: desk@bench.example.org}
  id_authority: bench.example.org,2024
  limit: 50
regions:
"""

VOCABULARY = """
across action address against agreement airport analysis announce answer approach argue
assembly attention average balance banking barrier benefit border borrow bridge budget
building cabinet campaign capital careful central century chamber change charter citizen
climate coalition coastal college commerce committee common community company concern
conflict congress contract control council country course courtroom crisis culture current
debate decade decision defence deficit delegate demand deputy design despite develop
dispute district doctor domestic drought economy editor effort election electric emergency
employer energy engineer estate evening evidence exchange export factory farmer federal
festival finance foreign forest freight future general govern growth harbour harvest health
highway history hospital household housing import income increase industry inflation inquiry
interest island journal justice labour landlord language leader legal letter library
license limited local machine majority manager market measure medical meeting member
message migrant million minister mining minority modern moment morning motion museum nation
network nurse office official opinion option output parliament partner party pension people
period permit persuade petrol planning police policy political poverty power premier
present president press pressure prison private problem process program project protest
province public quarter railway rainfall reform region report republic research resident
response retail revenue river salary school season secretary sector senate service settle
shipping shortage signal society soldier speech spending station statement steel storage
strategy street strike student subsidy supply support surplus survey tariff teacher
technical tenant territory textile theatre ticket timber tourism trade traffic transport
treaty tribunal union university valley village volunteer wages water weather welfare
winter worker workshop yearly youth the the the and and and of of of to to in in a a for
with on by from that this was were will has have had are is as at its their our after
before over under while about into than more most some many new old first last
""".split()

# One word per byte value, so a run of words costs one ``rng.randbytes`` call (3x ``choices``).
WORDS = [VOCABULARY[i * len(VOCABULARY) // 256] for i in range(256)]

TAGS = """
economy labour health education climate energy housing transport elections courts culture
sport science technology agriculture trade migration security budget environment
""".split()

AUTHORS = """
Amara Okafor
Ben Hartley
Chen Wei
Dana Kowalski
Elif Demir
Farah Haddad
Gabriel Silva
Hana Sato
Ivan Petrov
Julia Moreau
Kofi Mensah
Lena Fischer
Mateo Rojas
Nadia Rahman
Oscar Lindqvist
Priya Nair
Quentin Dubois
Rosa Martinez
Samir Khan
Tanvi Rao
""".strip().splitlines()


Place = tuple[str, str]  # (region, country)


def countries() -> list[Place]:
    """Every ``(region, country)`` pair, in feeds.yaml order."""
    return [
        (f"region-{r}", f"country-{r}-{c:02d}")
        for r in range(1, REGIONS + 1)
        for c in range(1, COUNTRIES_PER_REGION + 1)
    ]


def feeds_yaml() -> str:
    """The site configuration: the fixed ``site:`` block and the 5 x 10 regions and countries."""
    lines = [FEEDS_HEADER]
    current = None
    for region, country in countries():
        if region != current:
            current = region
            lines.append(f"  {region}:\n    title: Region {region.removeprefix('region-')}\n")
            lines.append("    countries:\n")
        lines.append(f"      {country}: {{title: Country {country.removeprefix('country-')}}}\n")
    return "".join(lines)


def words(rng: random.Random, count: int) -> list[str]:
    """``count`` words drawn from the vocabulary."""
    return [WORDS[byte] for byte in rng.randbytes(count)]


def sentences(rng: random.Random, count: int, low: int = 6, high: int = 18) -> list[str]:
    """``count`` capitalised runs of ``low``-``high`` words, each ending in a full stop."""
    lengths = [low + byte % (high - low + 1) for byte in rng.randbytes(count)]
    drawn = words(rng, sum(lengths))
    result, start = [], 0
    for length in lengths:
        result.append(" ".join(drawn[start : start + length]).capitalize() + ".")
        start += length
    return result


def paragraph(rng: random.Random) -> str:
    """3-7 sentences; some carry an ``*emphasis*`` or a ``[relative link](path)``."""
    text = " ".join(sentences(rng, rng.randint(3, 7)))
    tokens = text.split(" ")
    if rng.random() < 0.5:
        at = rng.randrange(1, len(tokens) - 1)
        tokens[at] = f"*{tokens[at].rstrip('.')}*" + ("." if tokens[at].endswith(".") else "")
    if rng.random() < 0.3:
        at = rng.randrange(1, len(tokens) - 2)
        target = "related/" + "-".join(words(rng, 2))
        tokens[at] = f"[{tokens[at]} {tokens[at + 1].rstrip('.')}]({target})"
        tokens[at + 1] = "." if tokens[at + 1].endswith(".") else ""
        tokens = [t for t in tokens if t]
    return " ".join(tokens).replace(" .", ".")


def bullet_list(rng: random.Random) -> str:
    """A short Markdown list of 3-6 items."""
    return "\n".join(f"- {item}" for item in sentences(rng, rng.randint(3, 6), 3, 9))


def body(rng: random.Random) -> str:
    """400-800 words of Markdown: paragraphs, some ``## headings`` and lists."""
    target = rng.randint(400, 800)
    blocks = [paragraph(rng)]
    count = len(blocks[0].split())
    while True:
        roll = rng.random()
        if roll < 0.1:
            block = "## " + " ".join(words(rng, rng.randint(2, 5))).capitalize()
        elif roll < 0.2:
            block = bullet_list(rng)
        else:
            block = paragraph(rng)
        size = len(block.split())
        if count + size > target and count >= 400:
            break
        blocks.append(block)
        count += size
    return "\n\n".join(blocks) + "\n"


@dataclass
class Fields:
    """One article's front matter values, before they are written in one of the two shapes."""

    title: str
    stamp: datetime  # local wall-clock time in ZONE (tzinfo UTC only as a carrier)
    countries: list[str]
    summary: str | None = None
    image: str | None = None
    image_alt: str | None = None
    tags: list[str] = field(default_factory=list)
    author: str = ""


def plain_front_matter(fields: Fields) -> list[str]:
    """The shape feedpub's README shows: unquoted naive dates, flow lists of plain words."""
    lines = [
        f'title: "{fields.title}"',
        f"date: {fields.stamp:%Y-%m-%d %H:%M:%S}",
        f"countries: [{', '.join(fields.countries)}]",
    ]
    if fields.summary is not None:
        lines.append(f'summary: "{fields.summary}"')
    if fields.image is not None:
        lines.append(f"image: {fields.image}")
        lines.append(f'image_alt: "{fields.image_alt}"')
    lines.append(f"tags: [{', '.join(fields.tags)}]")
    lines.append(f"author: {fields.author}")
    return lines


def quoted_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{value}"' for value in values) + "]"


def tooling_front_matter(fields: Fields) -> list[str]:
    """The shape Hugo and Jekyll tooling writes: every string quoted, ISO 8601 dates with the
    offset (the same instant as the plain shape's naive local time), flow lists of quoted
    strings, an explicit ``draft: false``."""
    local = fields.stamp.replace(tzinfo=ZONE)
    lines = [
        f'title: "{fields.title}"',
        f'date: "{local.isoformat()}"',
        "draft: false",
        f"countries: {quoted_list(fields.countries)}",
    ]
    if fields.summary is not None:
        lines.append(f'summary: "{fields.summary}"')
    if fields.image is not None:
        lines.append(f'image: "{fields.image}"')
        lines.append(f'image_alt: "{fields.image_alt}"')
    lines.append(f"tags: {quoted_list(fields.tags)}")
    lines.append(f'author: "{fields.author}"')
    return lines


def article(rng: random.Random, index: int, total: int, places: list[Place]) -> tuple[str, str]:
    """The relative path and text of article ``index`` of ``total``."""
    day = FIRST_DAY + timedelta(days=DAYS * (index + rng.random()) // total)
    # Local wall-clock times from 06:00 to 21:59 never fall in a DST gap or overlap.
    stamp = day.replace(hour=rng.randint(6, 21), minute=rng.randrange(60))
    title_words = words(rng, rng.randint(4, 9))
    slug = f"a{index:06d}-" + "-".join(title_words[:4])
    region, country = rng.choice(places)
    tagged = [country]
    if rng.random() < TWO_COUNTRY_SHARE:
        pool = [p for p in places if p[0] == region] if rng.random() < 0.5 else places
        other = rng.choice([c for _, c in pool if c != country])
        tagged.append(other)
    # Odd articles are written as Hugo and Jekyll tooling writes front matter, even ones plainly.
    shape = tooling_front_matter if index % 2 else plain_front_matter
    fields = Fields(" ".join(title_words).title(), stamp, tagged)
    if rng.random() < SUMMARY_SHARE:
        fields.summary = " ".join(sentences(rng, rng.randint(1, 2)))
    if rng.random() < IMAGE_SHARE:
        fields.image = f"https://bench.example.org/images/{index}.jpg"
        fields.image_alt = sentences(rng, 1, 3, 8)[0]
    fields.tags = sorted(set(rng.choices(TAGS, k=rng.randint(1, 3))))
    fields.author = rng.choice(AUTHORS)
    front = ["---", *shape(fields), "---"]
    return f"{region}/{country}/{slug}.md", "\n".join(front) + "\n" + body(rng)


def write_corpus(total: int, dest: Path, seed: int = 1) -> None:
    """Write ``dest/feeds.yaml`` and ``dest/content/...``, replacing any earlier content."""
    content = dest / "content"
    if content.exists():
        shutil.rmtree(content)
    places = countries()
    for region, country in places:
        (content / region / country).mkdir(parents=True, exist_ok=True)
    (dest / "feeds.yaml").write_text(feeds_yaml(), encoding="utf-8", newline="\n")
    rng = random.Random(seed)
    for index in range(total):
        path, text = article(rng, index, total, places)
        (content / path).write_text(text, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, metavar="N", help="number of articles")
    parser.add_argument("dest", type=Path, metavar="DEST", help="site folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    write_corpus(args.n, args.dest, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
