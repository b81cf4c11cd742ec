"""The batched XML renderer writes the same bytes, in the same chunks, as one escaped element per field did."""

import re
from decimal import Decimal
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from expenses.renderers import XMLRenderer, xml_text

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TAG = re.compile(r"[^A-Za-z0-9_.-]")


def _reference_text(value) -> str:
    """The element text as the renderer wrote it field by field before batching (the frozen behaviour)."""
    if isinstance(value, str) and type(value) is str:
        return escape(_INVALID.sub("", value))
    if type(value) is int:
        return str(value)
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, list | tuple):
        return ",".join(_reference_text(item) for item in value)
    return escape(_INVALID.sub("", str(value)))


def _reference_chunks(items, size=200):
    yield '<?xml version="1.0" encoding="utf-8"?>\n<response>'
    batch = []
    for item in items:
        fields = "".join(f"<{_TAG.sub('_', k)}>{_reference_text(v)}</{_TAG.sub('_', k)}>" for k, v in item.items())
        batch.append(f"<resource>{fields}</resource>")
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    yield "".join(batch)
    yield "</response>\n"


TRICKY = {
    "id": 7, "type": "Fish & Chips <b>", "notes": "quote \" and ' apostrophe, caf\u00e9 \U0001f355 \u65e5\u672c",
    "ctl": "bell\x07 nul\x00 vt\x0b esc\x1b tab\t nl\n cr\r \ufffe\uffff lone\ud800", "empty": "", "none": None,
    "yes": True, "no": False, "ids": [3, 12], "names": ["a&b", "<c>", ""], "nested": ("x", None, True, 2),
    "amp": "&amp; already", "bad key!": "k", "cdata": "]]> <![CDATA[ x ]]>",
}  # fmt: skip

PINNED = (
    '<?xml version="1.0" encoding="utf-8"?>\n<response><resource><id>7</id><type>Fish &amp; Chips &lt;b&gt;</type>'
    "<notes>quote \" and ' apostrophe, caf\u00e9 \U0001f355 \u65e5\u672c</notes>"
    "<ctl>bell nul vt esc tab\t nl\n cr\r  lone</ctl><empty></empty><none></none><yes>1</yes><no></no>"
    "<ids>3,12</ids><names>a&amp;b,&lt;c&gt;,</names><nested>x,,1,2</nested><amp>&amp;amp; already</amp>"
    "<bad_key_>k</bad_key_><cdata>]]&gt; &lt;![CDATA[ x ]]&gt;</cdata></resource>"
    "<resource><id>8</id><type>plain</type></resource></response>\n"
)


def test_tricky_values_give_the_pinned_bytes():
    assert "".join(XMLRenderer().stream([TRICKY, {"id": 8, "type": "plain"}])) == PINNED


def test_a_nul_inside_a_text_of_a_batch_with_markup_is_dropped_not_taken_for_a_separator():
    items = [{"a": "x\x00y", "b": "<"}, {"a": "&", "b": "\x00"}]
    assert list(XMLRenderer().stream(items)) == list(_reference_chunks(items))


def test_chunks_hold_200_resources_across_changes_of_shape():
    items = [{"id": i, "notes": "n&" if i % 7 == 0 else "n"} if i % 150 else {"x": None} for i in range(450)]
    chunks = list(XMLRenderer().stream(items))
    assert chunks == list(_reference_chunks(items))
    assert [chunk.count("<resource>") for chunk in chunks] == [0, 200, 200, 50, 0]


def test_an_empty_stream_and_an_empty_item():
    assert list(XMLRenderer().stream([])) == list(_reference_chunks([]))
    assert XMLRenderer().render_one({}) == "".join(_reference_chunks([{}]))


def test_other_types_are_written_as_their_text():
    class Name(str):
        pass

    item = {"d": Decimal("1.50"), "f": 0.1, "s": Name("a<b"), "bytes": b"<", "set": frozenset()}
    assert XMLRenderer().render_one(item) == "".join(_reference_chunks([item]))


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.text(alphabet="&<>\x00\x01\t\ud800ab,"),
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner),
    max_leaves=6,
)
_items = st.dictionaries(st.sampled_from(["id", "notes", "tags", "a b", "é"]), _values, max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(_items, max_size=12), st.integers(min_value=1, max_value=5))
def test_any_items_give_the_same_chunks_as_one_escaped_element_per_field(items, size):
    renderer = XMLRenderer()
    renderer.batch_size = size
    assert list(renderer.stream(items)) == list(_reference_chunks(items, size))


@given(_values)
def test_xml_text_matches_the_reference(value):
    assert xml_text(value) == _reference_text(value)
