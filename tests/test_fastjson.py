"""The report's JSON writer must write exactly what json.dumps(indent=2) writes."""
import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.report.fastjson import dumps

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(), inner, max_size=4), max_leaves=30)


@settings(max_examples=300)
@given(values)
def test_the_same_text_as_json_dumps(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_what_it_does_not_handle_goes_to_json_dumps():
    odd = {1: "int key", "set-free": [math.inf, -math.inf], "nested": {}}
    assert dumps(odd) == json.dumps(odd, ensure_ascii=False, indent=2)
    assert dumps({"a": [1, {"b": "é\u2028\"\\"}]}, indent=4) == json.dumps({"a": [1, {"b": "é\u2028\"\\"}]},
                                                                         ensure_ascii=False, indent=4)
