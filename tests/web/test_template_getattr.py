"""Templates read ``obj.name`` as Jinja does (attribute first, then item), with no exception raised for a dict."""

from __future__ import annotations

from collections import OrderedDict
from types import SimpleNamespace
from typing import Any

import jinja2
import pytest

from edubrain.web.render import TEMPLATES, template_getattr

JINJA = jinja2.Environment(autoescape=True)


class Both(dict):  # type: ignore[type-arg]
    """A dict with an attribute of its own."""

    year = "attribute"


@pytest.mark.parametrize(
    ("obj", "name"),
    [
        ({"year": 2024, "text": "–"}, "year"),
        ({"items": [1, 2]}, "items"),  # the method, as Jinja gives it (templates write group['items'])
        ({"get": 1}, "get"),
        ({"year": 2024}, "missing"),
        (Both(year="item"), "year"),
        (OrderedDict(year=1), "year"),
        (SimpleNamespace(year=3), "year"),
        (SimpleNamespace(year=3), "missing"),
        ([1, 2], "append"),
        ("text", "upper"),
    ],
)
def test_template_getattr_answers_as_jinja(obj: Any, name: str) -> None:
    ours, theirs = template_getattr(obj, name), JINJA.getattr(obj, name)
    if isinstance(theirs, jinja2.Undefined):
        assert isinstance(ours, jinja2.Undefined) and not ours
    elif callable(theirs):
        assert callable(ours) and ours.__name__ == theirs.__name__
    else:
        assert ours == theirs


def test_templates_render_dict_values_and_undefined_names_as_before() -> None:
    template = TEMPLATES.env.from_string(
        "{{ c.text }}|{{ c.missing or '–' }}|{{ g['items'] | length }}|{{ g.items() | list | length }}"
    )
    assert template.render(c={"text": "<b>"}, g={"items": [1, 2, 3]}) == "&lt;b&gt;|–|3|1"
    assert TEMPLATES.env.getattr is template_getattr
