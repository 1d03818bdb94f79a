"""The reference data: every fact carries a source; every name in the document resolves."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from plangraph.errors import RegistryError
from plangraph.model.registry import Registry

from .conftest import PROJECT

REGISTRY = PROJECT / "data" / "registry"
# keys whose value is a fact that needs a source, and the key naming it
SOURCED = {"oid": "oid_source", "agency_code": "oid_source", "pcode": "pcode_source",
           "lsid": "lsid_source", "name_en": "name_en_source",
           "description_en": "description_en_source", "enacted": "enacted_source",
           "new_name_en": "new_name_en_source"}


def entries():
    for path in sorted(REGISTRY.glob("*.toml")):
        for table, rows in tomllib.loads(path.read_text(encoding="utf-8")).items():
            for row in rows:
                yield f"{path.name}:{table}:{row.get('id')}", row
                for ev in row.get("event", []):
                    yield f"{path.name}:{table}:{row.get('id')}:event {ev.get('date')}", ev


def test_every_identifier_date_and_english_name_has_a_source():
    sources = {s["id"] for s in tomllib.loads((REGISTRY / "sources.toml").read_text())["source"]}
    missing = []
    for where, row in entries():
        if where.startswith("sources.toml"):
            continue
        for fact, source_key in SOURCED.items():
            if fact in row and row.get(source_key) not in sources:
                missing.append(f"{where}: {fact} = {row[fact]!r} has no known {source_key}")
        if "date" in row and row.get("source") not in sources:      # a dated event
            missing.append(f"{where}: event without a known source")
    assert not missing, "\n".join(missing)


def test_sources_have_titles_and_no_duplicates():
    rows = tomllib.loads((REGISTRY / "sources.toml").read_text())["source"]
    ids = [s["id"] for s in rows]
    assert len(ids) == len(set(ids))
    assert all(s.get("title") for s in rows)


def test_verified_identifiers_from_the_domain_notes(registry):
    """A few identifiers checked against DOMAIN.md's verified tables."""
    aac = registry.resolve("法務部廉政署")
    assert aac.data.oid == "2.16.886.101.20003.20006.20138"
    assert aac.data.agency_code == "A11030000F"
    assert registry.resolve("公職人員財產申報法", ["instrument"]).data.pcode == "I0070005"
    assert registry.resolve("吹哨者保護法", ["instrument"]).data.pcode is None  # a bill
    assert registry.resolve("政黨法", ["instrument"]).data.pcode == "D0020078"


def test_typos_and_split_names_are_aliases(registry):
    assert registry.resolve("各地方方法院檢察署") is registry.resolve("各地方法院檢察署")
    assert registry.resolve("直轄市、縣(市)政府") is registry.resolve("各直轄市、縣(市)政府")
    assert registry.resolve("國家發展委員會檔案管理局").kind == "agency"


def test_longer_names_hide_the_names_inside_them(registry):
    # 政治獻金法制 is a body of law of its own (it comprises 政治獻金法), not the Act
    found = registry.find("健全政治獻金法制，確保公正政治活動。", ["instrument"])
    assert [e.id for e, _, _ in found] == ["political-donations-regime"]
    assert registry.find("加強教育部門之法治教育", ["agency"]) == []     # a phrase: not 教育部
    found = registry.find("辦理遊說法宣導活動", ["instrument"])
    assert [e.name for e, _, _ in found] == ["遊說法"]


def _registry_with(tmp_path, file, old, new):
    """A copy of the registry with one edit to `file`, loaded; the RegistryError it raises."""
    folder = tmp_path / "registry"
    shutil.copytree(REGISTRY, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (folder / file).write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(RegistryError) as caught:
        Registry.load(folder)
    return folder / file, str(caught.value)


def test_the_contextual_names_and_law_links_are_typed(registry):
    """The keys the model reads (a contextual name, a provision's law, an OID's note) are typed
    fields, read as the data says."""
    yuan = registry.contextual["院"]
    assert (yuan.agency, yuan.source, yuan.lines) == ("ey", "chc-moj-plan-page", [170])
    assert yuan.reason.startswith("The plan is an Executive Yuan programme")
    provisions = registry.get("revolving-door-provisions").data
    assert (provisions.part_of_law, provisions.law_link_lines) == ("civil-servant-work-act", [85])
    assert registry.get("political-donations-regime").data.comprises_law == \
        "political-donations-act"
    assert registry.resolve("國家發展委員會檔案管理局").data.oid_note.startswith("recorded in the 2014")


def test_a_contextual_name_of_the_wrong_shape_is_refused(tmp_path):
    path, message = _registry_with(tmp_path, "agencies.toml", 'agency = "ey"\nreason = ',
                                   'agency = "ey"\nreasons = ')
    assert message.startswith(f"{path}: contextual_name[1].reasons: unknown key (known: name, ")
    assert message.endswith("did you mean 'reason'?")
    path, message = _registry_with(tmp_path / "2", "agencies.toml", 'agency = "ey"\n',
                                   'agency = "executive-yuan"\n')
    assert message == "contextual_name '院': agency 'executive-yuan' is not a registry id"


def test_a_law_link_needs_its_reason_and_lines_are_integers(tmp_path):
    old = 'law_link_lines = [85]\nlaw_link_reason = "Line 85'
    path, message = _registry_with(tmp_path, "instruments.toml", old,
                                   'law_link_lines = [85]\nnote = "Line 85')
    assert message == ("instrument 'revolving-door-provisions': a link to a law (part_of_law, "
                       "comprises_law) needs law_link_source and law_link_reason")
    path, message = _registry_with(tmp_path / "2", "instruments.toml", "law_link_lines = [85]",
                                   'law_link_lines = ["85"]')
    text = path.read_text(encoding="utf-8")
    n = text[:text.index('id = "revolving-door-provisions"')].count("[[instrument]]")
    assert message == (f"{path}: instrument[{n}].law_link_lines[1]: expected an integer, found a "
                       'string ("85")')
    path, message = _registry_with(tmp_path / "3", "instruments.toml",
                                   'part_of_law = "civil-servant-work-act"',
                                   'part_of_law = "civil-servant-act"')
    assert message == ("instrument 'revolving-door-provisions': part_of_law 'civil-servant-act' "
                       "is not a registry id")
