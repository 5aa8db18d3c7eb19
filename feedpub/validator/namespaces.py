"""XML namespace URIs the validator knows, and which of them it checks element by element."""

from __future__ import annotations

ADMIN = "http://webns.net/mvcb/"
ATOM = "http://www.w3.org/2005/Atom"
ATOM_03 = "http://purl.org/atom/ns#"
BLOGCHANNEL = "http://backend.userland.com/blogChannelModule"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
CREATIVE_COMMONS = "http://backend.userland.com/creativeCommonsRssModule"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
FEEDBURNER = "http://rssnamespace.org/feedburner/ext/1.0"
FEED_HISTORY = "http://purl.org/syndication/history/1.0"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
GEORSS = "http://www.georss.org/georss"
GEOURL = "http://geourl.org/rss/module/"
ICBM = "http://postneo.com/icbm"
GML = "http://www.opengis.net/gml"
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
MEDIA = "http://search.yahoo.com/mrss/"
MEDIA_WITHOUT_SLASH = "http://search.yahoo.com/mrss"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
OPENSEARCH_10 = "http://a9.com/-/spec/opensearchrss/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SLASH = "http://purl.org/rss/1.0/modules/slash/"
SY = "http://purl.org/rss/1.0/modules/syndication/"
THR = "http://purl.org/syndication/thread/1.0"
TOMBSTONES = "http://purl.org/atompub/tombstones/1.0"  # RFC 6721
TRACKBACK = "http://madskills.com/public/xml/rss/module/trackback/"
WEBFEEDS = "http://webfeeds.org/rss/1.0"  # Feedly's channel branding: not checked, accepted
WFW = "http://wellformedweb.org/CommentAPI/"
XHTML = "http://www.w3.org/1999/xhtml"
XML = "http://www.w3.org/XML/1998/namespace"

# Namespaces the W3C Feed Validation Service recognises (its `base.namespaces` table).
# An attribute from one of these on an element that does not define it is an error there;
# attributes from namespaces nobody knows are extensions and pass.
KNOWN: frozenset[str] = frozenset(
    {
        ADMIN,
        ATOM,
        BLOGCHANNEL,
        CONTENT,
        CREATIVE_COMMONS,
        DC,
        DCTERMS,
        FEEDBURNER,
        FEED_HISTORY,
        GEO,
        GEORSS,
        GML,
        ITUNES,
        MEDIA,
        OPENSEARCH,
        OPENSEARCH_10,
        RDF,
        SLASH,
        SY,
        THR,
        TRACKBACK,
        WFW,
        XHTML,
        "http://purl.org/rss/1.0/modules/aggregation/",
        "http://purl.org/rss/1.0/modules/annotate/",
        "http://www.w3.org/2007/app",
        "http://web.resource.org/cc/",
        "http://purl.org/rss/1.0/modules/event/",
        GEOURL,
        ICBM,
        "http://xmlns.com/foaf/0.1/",
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://purl.org/rss/1.0/modules/taxonomy/",
        "http://purl.org/rss/1.0/",
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1998/Math/MathML",
    }
)

# Namespaces whose vocabulary `extensions.py` lists completely: an element from one of these
# that the list does not name (or names for another level) is an UndefinedElement error,
# as in the W3C validator. Elements from any other namespace are accepted unchecked.
CHECKED: frozenset[str] = frozenset(
    {
        ADMIN,
        ATOM,
        BLOGCHANNEL,
        CONTENT,
        CREATIVE_COMMONS,
        DC,
        DCTERMS,
        FEEDBURNER,
        FEED_HISTORY,
        GEO,
        GEORSS,
        ITUNES,
        MEDIA,
        OPENSEARCH,
        OPENSEARCH_10,
        SLASH,
        SY,
        THR,
        TOMBSTONES,
        TRACKBACK,
        WFW,
    }
)
