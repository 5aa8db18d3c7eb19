"""Lay out a Hugo site that publishes the same feeds as feedpub over a corpus's content.

The site reads the corpus's ``content/`` folder in place (``contentDir`` is its absolute path),
so both tools parse the very same files. It renders only feeds: RSS 2.0, Atom and JSON Feed for
the home page (whole site), each region (a top-level section) and each country (a term of the
``countries`` taxonomy), 50 newest entries each, with full HTML content. Article pages are
listed and linked but never written (``_build.render: link``): feedpub writes no HTML pages.
"""

from __future__ import annotations

from pathlib import Path

CONFIG = """\
baseURL: https://bench.example.org/
languageCode: en
title: Bench News
timeZone: Europe/London
contentDir: {content}
disableKinds: [taxonomy, sitemap, robotsTXT, "404"]
pluralizeListTitles: false
ignoreErrors: [error-disable-taxonomy]  # we do mean the /countries/ list page
taxonomies:
  country: countries
mediaTypes:
  application/atom+xml: {{suffixes: [xml]}}
  application/feed+json: {{suffixes: [json]}}
outputFormats:
  Atom: {{mediaType: application/atom+xml, baseName: atom}}
  JSONFeed: {{mediaType: application/feed+json, baseName: feed, isPlainText: true}}
outputs:
  home: [{outputs}]
  section: [{outputs}]
  term: [{outputs}]
cascade:
  - _target: {{kind: page}}
    _build: {{render: link}}  # listed, linked, never written
services:
  rss: {{limit: 50}}
params:
  author: {{name: Bench Desk, email: desk@bench.example.org}}
"""

# The 50 newest regular pages of the home page, a region (section) or a country (term).
NEWEST = """\
{{- $pages := .Pages -}}
{{- if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end -}}
{{- if .IsSection }}{{ $pages = .RegularPagesRecursive }}{{ end -}}
{{- return first 50 $pages.ByDate.Reverse -}}
"""

RSS = """\
{{- $pages := partial "newest.html" . -}}
{{- $link := replaceRE "[^/]*$" "" .Permalink -}}
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" \
xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>{{ .Title }}</title>
<link>{{ $link }}</link>
<description>{{ .Site.Title }}: {{ .Title }}</description>
<language>{{ .Site.LanguageCode }}</language>
<atom:link href="{{ $link }}index.xml" rel="self" type="application/rss+xml"/>
{{- with index $pages 0 }}
<lastBuildDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</lastBuildDate>
{{- end }}
{{- range $pages }}
<item>
<title>{{ .Title }}</title>
<link>{{ .Permalink }}</link>
<guid isPermaLink="true">{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
{{- with .Params.author }}
<dc:creator>{{ . }}</dc:creator>{{ end }}
{{- range .Params.tags }}
<category>{{ . }}</category>{{ end }}
{{- with .Params.image }}
<enclosure url="{{ . }}" type="image/jpeg" length="0"/>{{ end }}
<description>{{ .Summary | html }}</description>
<content:encoded>{{ .Content | html }}</content:encoded>
</item>
{{- end }}
</channel>
</rss>
"""

ATOM = """\
{{- $pages := partial "newest.html" . -}}
{{- $link := replaceRE "[^/]*$" "" .Permalink -}}
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{{ .Site.LanguageCode }}">
<id>{{ $link }}atom.xml</id>
<title>{{ .Title }}</title>
<link href="{{ $link }}"/>
<link href="{{ $link }}atom.xml" rel="self"/>
<author><name>{{ .Site.Params.author.name }}</name></author>
{{- with index $pages 0 }}
<updated>{{ .Date.Format "2006-01-02T15:04:05-07:00" | safeHTML }}</updated>
{{- end }}
{{- range $pages }}
<entry>
<id>{{ .Permalink }}</id>
<title>{{ .Title }}</title>
<link href="{{ .Permalink }}"/>
<published>{{ .Date.Format "2006-01-02T15:04:05-07:00" | safeHTML }}</published>
<updated>{{ .Lastmod.Format "2006-01-02T15:04:05-07:00" | safeHTML }}</updated>
{{- with .Params.author }}
<author><name>{{ . }}</name></author>{{ end }}
{{- range .Params.tags }}
<category term="{{ . }}"/>{{ end }}
<summary type="html">{{ .Summary | html }}</summary>
<content type="html">{{ .Content | html }}</content>
</entry>
{{- end }}
</feed>
"""

JSON_FEED = """\
{{- $pages := partial "newest.html" . -}}
{{- $link := replaceRE "[^/]*$" "" .Permalink -}}
{{- $items := slice -}}
{{- range $pages -}}
  {{- $item := dict "id" .Permalink "url" .Permalink "title" .Title
      "summary" (.Summary | plainify) "content_html" .Content
      "date_published" (.Date.Format "2006-01-02T15:04:05-07:00")
      "tags" .Params.tags "authors" (slice (dict "name" .Params.author)) -}}
  {{- with .Params.image }}{{ $item = merge $item (dict "image" .) }}{{ end -}}
  {{- $items = $items | append $item -}}
{{- end -}}
{{- dict "version" "https://jsonfeed.org/version/1.1" "title" .Title
    "home_page_url" $link "feed_url" (print $link "feed.json")
    "language" .Site.LanguageCode "items" $items | jsonify -}}
"""

LAYOUTS = {
    "partials/newest.html": NEWEST,
    "_default/list.rss.xml": RSS,
    "_default/list.atom.xml": ATOM,
    "_default/list.jsonfeed.json": JSON_FEED,
}


ALL_FORMATS = ("RSS", "Atom", "JSONFeed")


def write_hugo_site(site: Path, content: Path, formats: tuple[str, ...] = ALL_FORMATS) -> None:
    """Write ``site/hugo.yaml`` and ``site/layouts/`` for a site reading ``content`` in place,
    rendering the feeds in ``formats`` (("RSS",) is what the issue's Hugo figures measured)."""
    site.mkdir(parents=True, exist_ok=True)
    config = CONFIG.format(content=content.resolve(), outputs=", ".join(formats))
    (site / "hugo.yaml").write_text(config, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
