"""``feedpub validate``: output formats, exit codes, and the build-level checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.sites import Site

from feedpub.cli import main


def validate(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def built(site: Site) -> Site:
    site.article("asia/a", title="A", date="2022-03-05", countries=["sri-lanka", "india"])
    site.article(
        "asia/b",
        title="B",
        date="2022-03-04",
        countries=["india"],
        body="See [more](https://example.org/more).\n",
    )
    site.article("asia/c", title="C", date="2022-03-03", region="asia")
    site.article("europe/d", title="D", date="2022-03-02", countries=["france"])
    site.build()
    return site


def check(site: Site, *args: str) -> tuple[int, list[dict[str, object]]]:
    return check_args("--config", str(site.config), *args)


def check_args(*args: str) -> tuple[int, list[dict[str, object]]]:
    code, out, _ = validate("--format", "json", *args)
    return code, json.loads(out)


def test_a_fresh_build_passes_strictly(built: Site) -> None:
    code, out, err = validate("--config", str(built.config), "--strict")
    assert (code, out) == (0, "")
    assert err == "27 files checked: 0 errors, 0 warnings\n"


def test_a_fresh_build_has_no_finding_at_all_in_feeds_opml_and_pages(built: Site) -> None:
    for args in (("--config", str(built.config)), (str(built.out),)):
        code, records = check_args(*args)
        assert (code, records) == (0, [])
    code, _, err = validate("--strict", str(built.out))
    assert (code, err) == (0, "27 files checked: 0 errors, 0 warnings\n")
    code, _, err = validate(str(built.out / "feeds.opml"), str(built.out / "asia/index.html"))
    assert (code, err) == (0, "2 files checked: 0 errors, 0 warnings\n")


def test_a_corrupted_opml_is_reported_with_its_file_name(built: Site) -> None:
    opml = built.out / "feeds.opml"
    text = opml.read_text()
    opml.write_text(
        text.replace('<opml version="2.0">', '<opml version="1.0">').replace(
            "/feeds/asia/india/rss.xml", "/feeds/asia/nepal/rss.xml"
        )
    )
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "india/rss.xml" in row)
    for args in (("--config", str(built.config)), (str(built.out),)):
        code, out, _ = validate(*args)
        assert code == 1
        assert out == (
            f"{opml}:2:1: error OpmlVersion: opml: <opml> version '1.0' is not '2.0'\n"
            f"{opml}:{line}:7: error BrokenFeedLink: <outline> xmlUrl "
            "'https://example.org/feeds/asia/nepal/rss.xml' names asia/nepal/rss.xml, which is "
            "not a feed in this folder\n"
        )
    opml.write_text(text[: len(text) // 2])
    code, records = check_args(str(built.out))
    assert code == 1
    assert [(r["file"], r["severity"], r["code"]) for r in records] == [
        (str(opml), "error", "SAXError")
    ]


def test_a_page_whose_feed_link_is_broken_is_reported_with_its_file_name(built: Site) -> None:
    page = built.out / "asia/india/index.html"
    text = page.read_text()
    page.write_text(
        text.replace('href="atom.xml"', 'href="atom.xm"').replace(
            "/feeds/asia/india/feed.json", "/feeds/asia/inde/feed.json"
        )
    )
    (built.out / "europe/index.html").unlink()
    rows = text.splitlines()
    link = next(n for n, row in enumerate(rows, 1) if "india/feed.json" in row)
    anchor = next(n for n, row in enumerate(rows, 1) if 'href="atom.xml"' in row)
    code, records = check(built)
    assert code == 1
    assert records == [
        {
            "file": str(page),
            "line": link,
            "column": 1,
            "severity": "error",
            "code": "BrokenFeedLink",
            "message": '<link rel="alternate"> href '
            "'https://example.org/feeds/asia/inde/feed.json' names asia/inde/feed.json, which is "
            "not a feed in this folder",
        },
        {
            "file": str(page),
            "line": anchor,
            "column": 5,
            "severity": "error",
            "code": "BrokenFeedLink",
            "message": "<a> href 'atom.xm' names asia/india/atom.xm, which is not a feed in this "
            "folder",
        },
        {
            "file": str(built.out / "europe/index.html"),
            "line": None,
            "column": None,
            "severity": "error",
            "code": "MissingPage",
            "message": f"{built.out}/europe/index.html should exist and does not",
        },
    ]


def test_a_page_cut_short_is_reported(built: Site) -> None:
    page = built.out / "index.html"
    text = page.read_text()
    page.write_text(text[: text.index('<h2 id="all">')])
    line = text[: text.index("<main")].count("\n") + 1
    section = text[: text.index('<section aria-labelledby="all">')].count("\n") + 1
    code, out, err = validate(str(built.out))
    assert code == 1
    assert out == (
        f"{page}:{line}:1: error UnclosedElement: <main> is never closed (is the page cut "
        "short?)\n"
        f"{page}:{section}:1: error UnclosedElement: <section> is never closed (is the page "
        "cut short?)\n"
    )
    assert err == "27 files checked: 2 errors, 0 warnings\n"


def test_json_records_have_the_documented_keys(built: Site) -> None:
    path = built.out / "asia/india/rss.xml"
    text = path.read_text()
    start = text.index("<description>")
    path.write_text(text[:start] + text[text.index("</description>") + 14 :])  # channel's
    code, records = check(built)
    assert code == 1
    record = next(r for r in records if r["file"] == str(path))
    assert set(record) == {"file", "line", "column", "severity", "code", "message"}


def test_text_output_is_compiler_style(built: Site) -> None:
    path = built.out / "asia/india/rss.xml"
    path.write_text(path.read_text().replace("<pubDate>", "<pubDate>Mon, ", 1))
    code, out, err = validate(str(path))
    assert code == 1
    assert out.startswith(f"{path}:")
    assert " error " in out.splitlines()[0]
    assert err == "1 files checked: 1 error, 0 warnings\n"


def test_an_article_missing_from_its_country_feed(built: Site) -> None:
    path = built.out / "asia/india/feed.json"
    feed = json.loads(path.read_text())
    feed["items"] = [i for i in feed["items"] if i["title"] != "B"]
    path.write_text(json.dumps(feed))
    code, records = check(built)
    assert code == 1
    found = [r for r in records if r["file"] == str(path)]
    assert {r["code"] for r in found} == {"MissingArticle", "FormatsDiffer"}
    missing = next(r for r in found if r["code"] == "MissingArticle")
    assert missing["message"] == (
        f"tag:example.org,2022:2022-03-04/b ({built.root}/content/asia/b.md) belongs in this feed"
    )


def test_an_article_in_a_feed_it_does_not_belong_in(built: Site) -> None:
    source = (built.out / "asia/rss.xml").read_text()
    target = built.out / "europe/france/rss.xml"
    item = source[source.index("<item>") : source.index("</item>") + 7]
    text = target.read_text()
    target.write_text(text.replace("<item>", item + "<item>", 1))
    _, records = check(built)
    assert any(r["code"] == "UnexpectedArticle" and r["file"] == str(target) for r in records)


def test_wrong_order_and_ids_that_differ_between_formats(built: Site) -> None:
    path = built.out / "asia/india/atom.xml"
    text = path.read_text()
    path.write_text(text.replace("2022-03-05/a</id>", "2022-03-05/a-moved</id>"))
    _, records = check(built)
    found = {r["code"] for r in records if r["file"] == str(path)}
    assert {"IdDiffers", "FormatsDiffer", "MissingArticle", "UnexpectedArticle"} <= found
    rss = built.out / "rss.xml"
    text = rss.read_text()
    first = text[text.index("<item>") : text.index("</item>") + 7]
    rest = text[text.index("</item>") + 7 :]
    second = rest[rest.index("<item>") : rest.index("</item>") + 7]
    rss.write_text(text.replace(first, "@@").replace(second, first).replace("@@", second))
    _, records = check(built)
    assert {"NotNewestFirst", "WrongOrder"} <= {r["code"] for r in records if r["file"] == str(rss)}


def test_relative_urls_future_dates_and_self_links(built: Site) -> None:
    path = built.out / "asia/india/feed.json"
    feed = json.loads(path.read_text())
    feed["feed_url"] = "https://example.org/elsewhere.json"
    feed["items"][0]["content_html"] += '<a href="relative/page">x</a>'
    feed["items"][0]["date_published"] = "2099-01-01T00:00:00+00:00"
    path.write_text(json.dumps(feed))
    _, records = check(built)
    found = {r["code"]: r["message"] for r in records if r["file"] == str(path)}
    assert found["RelativeURL"] == (
        "item 1: 'relative/page' is not absolute (readers ignore xml:base)"
    )
    assert found["FutureDate"] == "item 1: dated 2099-01-01T00:00:00+00:00, after the build"
    assert found["SelfLinkMismatch"] == (
        "self link is 'https://example.org/elsewhere.json', but the document is published at "
        "'https://example.org/feeds/asia/india/feed.json'"
    )


def test_missing_and_unknown_channels(built: Site) -> None:
    (built.out / "europe/france/atom.xml").unlink()
    (built.out / "asia/japan").mkdir()
    (built.out / "asia/japan/rss.xml").write_bytes((built.out / "asia/india/rss.xml").read_bytes())
    _, records = check(built)
    assert (str(built.out / "europe/france/atom.xml"), "MissingFeed") in {
        (r["file"], r["code"]) for r in records
    }
    assert (str(built.out / "asia/japan/rss.xml"), "UnknownChannel") in {
        (r["file"], r["code"]) for r in records
    }


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>t</title>'
        "<link>https://example.org/</link><description>d</description><item><title>x</title>"
        "<description>&lt;script&gt;alert(1)&lt;/script&gt;</description></item></channel></rss>"
    )
    code, _, _ = validate(str(feed))
    assert code == 0
    code, out, _ = validate("--strict", str(feed))
    assert code == 1 and " warning " in out


def test_usage_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = validate()
    assert code == 2
    assert "give a PATH to check, or run where feeds.yaml is (or --config)" in err
    code, _, err = validate(str(tmp_path / "nope.xml"))
    assert code == 2 and "does not exist" in err
    code, _, _ = validate("--format", "yaml", str(tmp_path))
    assert code == 2
