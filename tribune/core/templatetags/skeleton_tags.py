"""`{% keep %}`: a part of a template rendered once per process for what it shows."""

from __future__ import annotations

from hashlib import blake2b

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.urls import get_script_prefix
from django.utils.safestring import SafeString

from tribune.core import skeletons

register = template.Library()


class KeepNode(template.Node):
    def __init__(self, values: list[FilterExpression], nodelist: NodeList) -> None:
        self.values = values
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString | str:
        values = [value.resolve(context) for value in self.values]
        request = context.get("request")
        # None says "nothing may be kept now": a preview, or no generation to trust.
        if request is None or any(value is None for value in values):
            return self.nodelist.render(context)
        # The addresses inside start from the script prefix; the language is in
        # every skeleton's key.
        shown = (get_script_prefix(), *values)
        digest = blake2b(repr(shown).encode(), digest_size=16).hexdigest()
        return skeletons.render_once(
            request, f"keep:{digest}", lambda: self.nodelist.render(context)
        )


@register.tag
def keep(parser: Parser, token: Token) -> KeepNode:
    """`{% keep "name" value ... %}...{% endkeep %}`: the inside, kept per process
    (core/skeletons.py) under the plain values named (ids, numbers, strings: their
    `repr` is the key) and the active language.

    Precondition: everything the inside shows is determined by those values,
    except page-cache holes. A None among them renders the inside every time.
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% keep %} needs at least a name")
    values = [parser.compile_filter(bit) for bit in bits]
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(values, nodelist)
