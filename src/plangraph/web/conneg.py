"""Content negotiation: pick a representation from an Accept header, with q-values
(RFC 9110 §12.5.1).

A `Variant` is one representation a route can produce: a key ("html", "turtle" …), the media type
it is served as, and the other media types that ask for it (aliases).
`negotiate(accept, variants)` returns the variant the client prefers, or None when it accepts none
of them (the route answers 406).
Ties go to the route's own order, so the first variant is the default for `*/*` and for a request
without an Accept header.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    key: str
    media_type: str
    aliases: tuple[str, ...] = ()

    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


HTML = Variant("html", "text/html")
TURTLE = Variant("turtle", "text/turtle", ("application/x-turtle",))
JSONLD = Variant("jsonld", "application/ld+json", ("application/json",))
NTRIPLES = Variant("nt", "application/n-triples", ("text/plain",))
RDFXML = Variant("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"))


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How precisely this range names `media_type`: 2 exact, 1 type/*, 0 */*, -1 no match."""
        mtype, _, msub = media_type.partition("/")
        if self.type == "*":
            return 0 if self.subtype == "*" else -1
        if self.type != mtype:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == msub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header. Elements that do not parse are ignored."""
    ranges: list[MediaRange] = []
    for element in (header or "").split(","):
        mime, *params = (part.strip() for part in element.split(";"))
        mtype, slash, subtype = mime.lower().partition("/")
        if not slash or not mtype or not subtype or (mtype == "*" and subtype != "*"):
            continue
        q = 1.0
        valid = True
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    valid = False
                if not 0.0 <= q <= 1.0:
                    valid = False
        if valid:
            ranges.append(MediaRange(mtype, subtype, q))
    return ranges


def match(ranges: list[MediaRange], media_type: str) -> tuple[int, float]:
    """(specificity, q) of the most specific range naming `media_type`; (-1, 0) for none."""
    best, q = -1, 0.0
    for r in ranges:
        s = r.specificity(media_type)
        if s > best or (s == best and s >= 0 and r.q > q):
            best, q = s, r.q
    return best, q if best >= 0 else 0.0


def quality(ranges: list[MediaRange], variant: Variant) -> float:
    """The q-value the client gives a variant. Aliases count only when named exactly (so that
    `application/*` does not pick Turtle for its alias application/x-turtle); the most specific
    mention decides (so `text/turtle;q=0, application/x-turtle` still names Turtle)."""
    found = [match(ranges, variant.media_type)]
    found += [m for m in (match(ranges, alias) for alias in variant.aliases) if m[0] == 2]
    return max(found)[1]


def negotiate(accept: str | None, variants: list[Variant]) -> Variant | None:
    """The variant the client prefers; the first one when it states no preference; None: 406."""
    ranges = parse_accept(accept)
    if not ranges:
        # no Accept header (or nothing in it that parses): anything goes
        return variants[0] if variants else None
    chosen, chosen_q = None, 0.0
    for variant in variants:
        q = quality(ranges, variant)
        if q > chosen_q:
            chosen, chosen_q = variant, q
    return chosen
