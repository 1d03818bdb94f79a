"""The parser on hostile input (Hypothesis): random text, the seed cut, re-encoded, shuffled, with
tabs lost or doubled. Every input gives either a PlanDocument with every part its heading names, or
a SourceError whose message names a line of the input — never another exception.

A cut inside a row or a sentence, or one that loses a part the heading names, is such an error. A
cut after a whole row or clause at the end is not, and cannot be: the copy reads as a whole,
shorter plan (an amendment may remove clauses). The checksum in the metadata is what catches it,
and `plangraph build` refuses a document without one (the last test).

Bounded for the normal run (about 30 s); PLANGRAPH_FUZZ_EXAMPLES=1000 for the full form.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from plangraph.documents.reading import parse_document
from plangraph.documents.source import load_source, read_errata
from plangraph.documents.tree import PlanDocument
from plangraph.errors import PlangraphError, SourceError

from .conftest import SEED, run_cli

EXAMPLES = int(os.environ.get("PLANGRAPH_FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
FAST = settings(FUZZ, max_examples=EXAMPLES * 5)

SEED_BYTES = SEED.read_bytes()
SEED_LINES = SEED_BYTES.decode("utf-8").split("\n")
ERRATA = read_errata(SEED.with_name("plan-2014-04-15.errata.toml"))
PARTS = ["肆", "陸"]  # what the seed's heading (and metadata) says it holds
ROWS = [n for n, line in enumerate(SEED_LINES) if line.count("\t") == 3]


def outcome(registry, data: bytes, *, errata: list | None = None,
            required: list[str] | None = None) -> PlanDocument | SourceError:
    """Parse; a SourceError is returned (checked), anything else but a document propagates."""
    lines = data.count(b"\n") + 1
    try:
        doc = parse_document(data, registry, path="fuzz.txt", errata=errata,
                             required_parts=required, form="tab")
    except SourceError as e:
        assert e.line is not None and 1 <= e.line <= max(lines, max(
            (c.line for c in errata or []), default=0)), f"no line, or a wrong one: {e}"
        assert f"line {e.line}" in str(e), str(e)
        return e
    except PlangraphError as e:  # a PlangraphError that is not a SourceError names no line
        raise AssertionError(f"{type(e).__name__} instead of a SourceError: {e}") from e
    assert isinstance(doc, PlanDocument)
    named = re.findall(r"第([壹貳參肆伍陸柒捌玖拾])點", doc.heading.text.text)
    held = {p.numeral for p in doc.parts}
    assert set(named) | set(required or []) <= held, "a part the heading names is missing"
    assert doc.parts and all(p.areas or p.clauses for p in doc.parts), "an empty part"
    return doc


def test_the_seed_itself_parses(registry):
    doc = outcome(registry, SEED_BYTES, errata=ERRATA, required=PARTS)
    assert isinstance(doc, PlanDocument) and len(doc.measures()) == 91


@FAST
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
@example("肆、具體作為\n")
@example("\t\t\t\n")
@example("具體策略\t執行措施\t績效目標\t辦理機關\n")
def test_random_text(registry, text):
    outcome(registry, text.encode("utf-8", "surrogatepass"))


@FAST
@given(st.binary(max_size=400))
def test_random_bytes(registry, data):
    outcome(registry, data)


@FUZZ
@given(st.integers(0, len(SEED_BYTES)))
def test_seed_cut_at_any_byte(registry, cut):
    outcome(registry, SEED_BYTES[:cut], errata=ERRATA, required=PARTS)


@FUZZ
@given(st.integers(0, len(SEED_LINES)), st.booleans())
def test_seed_truncated_at_a_row_boundary(registry, keep, with_meta):
    # with_meta: the metadata's `amends` names the parts; without it only the heading does
    data = "\n".join(SEED_LINES[:keep]).encode("utf-8")
    outcome(registry, data, errata=ERRATA if keep >= 152 else None,
            required=PARTS if with_meta else None)


@FUZZ
@given(st.integers(1, len(SEED_LINES) - 1), st.integers(1, 40))
def test_seed_with_a_slice_of_lines_cut_out(registry, start, length):
    lines = SEED_LINES[:start] + SEED_LINES[start + length:]
    outcome(registry, "\n".join(lines).encode("utf-8"), required=PARTS)


@FUZZ
@given(st.data())
def test_seed_with_lines_in_another_encoding(registry, data):
    codec = data.draw(st.sampled_from(["big5", "gb18030", "utf-16-le", "cp950", "utf-16"]))
    picked = data.draw(st.sets(st.integers(0, len(SEED_LINES) - 1), min_size=1, max_size=5))
    encoded = {}
    for n in picked:
        try:
            encoded[n] = SEED_LINES[n].encode(codec)  # strict: the text itself, other bytes
        except UnicodeEncodeError:
            pass
    out = [encoded.get(n, line.encode("utf-8")) for n, line in enumerate(SEED_LINES)]
    result = outcome(registry, b"\n".join(out), required=PARTS)

    def readable(b: bytes) -> bool:
        try:
            b.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return False

    foreign = sorted(n for n, b in encoded.items()
                     if b != SEED_LINES[n].encode("utf-8") and not readable(b))
    if foreign:
        # bytes that are not UTF-8: an error naming the first such line (bytes that happen to
        # be valid UTF-8 are other text, which no parser can tell from the real one)
        assert isinstance(result, SourceError), "re-encoded text was read as if it were UTF-8"
        assert result.line is not None and result.line <= foreign[0] + 1, str(result)


@FUZZ
@given(st.permutations(list(range(len(ROWS)))).map(lambda p: p[:6]), st.randoms())
def test_seed_with_rows_shuffled(registry, chosen, rnd):
    lines = list(SEED_LINES)
    rows = [ROWS[i] for i in chosen]
    texts = [lines[n] for n in rows]
    rnd.shuffle(texts)
    for n, t in zip(rows, texts, strict=True):
        lines[n] = t
    outcome(registry, "\n".join(lines).encode("utf-8"), required=PARTS)


@FUZZ
@given(st.sampled_from(ROWS), st.data(), st.sampled_from(["delete", "duplicate"]))
def test_seed_with_a_tab_lost_or_doubled(registry, row, data, how):
    line = SEED_LINES[row]
    tabs = [i for i, c in enumerate(line) if c == "\t"]
    at = data.draw(st.sampled_from(tabs))
    changed = line[:at] + line[at + 1:] if how == "delete" else line[:at] + "\t" + line[at:]
    lines = list(SEED_LINES)
    lines[row] = changed
    errata = ERRATA if row != 151 else None  # line 152 is the errata's own line
    result = outcome(registry, "\n".join(lines).encode("utf-8"), errata=errata, required=PARTS)
    if all(not c.strip() or set(c.strip()) <= {"-"} for c in changed.split("\t")):
        return  # a separator row of dashes: no cell holds text, nothing can be lost
    assert isinstance(result, SourceError), f"line {row + 1} with a tab {how}d was accepted"
    assert result.line == row + 1, f"the error names line {result.line}, not {row + 1}: {result}"


@FUZZ
@given(st.integers(0, len(SEED_LINES) - 1), st.integers(0, 200), st.text(max_size=8))
def test_seed_with_text_inserted(registry, row, offset, text):
    lines = list(SEED_LINES)
    line = lines[row]
    offset = min(offset, len(line))
    lines[row] = line[:offset] + text + line[offset:]
    assume(lines[row] != line)
    outcome(registry, "\n".join(lines).encode("utf-8", "surrogatepass"), required=PARTS)


def test_a_cut_after_a_whole_clause_is_caught_by_the_checksum(registry, tmp_path):
    """Clause 五 of 陸 cut off: what is left reads as a whole plan whose 陸 has four clauses, as a
    version that removed clause 五 would. The parser cannot tell the two apart; the checksum can,
    and without one the build refuses the document rather than take it as whole."""
    cut = "\n".join(SEED_LINES[:-1]).encode("utf-8")
    doc = outcome(registry, cut, errata=ERRATA, required=PARTS)
    assert isinstance(doc, PlanDocument) and len(doc.parts[-1].clauses) == 4

    path = tmp_path / "plan-cut.txt"
    path.write_bytes(cut)
    shutil.copy(SEED.with_name("plan-2014-04-15.errata.toml"), tmp_path / "plan-cut.errata.toml")
    assert load_source(SEED).verified
    assert not load_source(path, "2014-04-15").verified
    out = tmp_path / "build"
    proc = run_cli("build", "--source", str(path), "--version-date", "2014-04-15",
                   "--out", str(out), check=False)
    assert proc.returncode == 1, proc.stderr
    assert f"{path}: no checksum: there is no plan-cut.meta.toml beside it" in proc.stderr
    assert "cannot be known to be whole" in proc.stderr and "--allow-unverified" in proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()

    # with the metadata of the published document beside it: not the file it describes
    shutil.copy(SEED.with_name("plan-2014-04-15.meta.toml"), tmp_path / "plan-cut.meta.toml")
    with pytest.raises(SourceError, match="checksum mismatch"):
        load_source(path)
