"""One strict YAML loader for everything aidf reads from people (request files, case suites).

YAML 1.1, which PyYAML speaks, reads `NO` as false, `057000000` as an octal number, `1:30` as 90
and `0x10` as 16: a request written by hand would then be decided on a number its author never
wrote. This loader reads plain scalars as JSON would: true/false are the only booleans, integers
are decimal (a leading zero is text, which the schemas refuse; `1_700` is 1700), a fraction is
written with a point (`3e26` stays the text an operation count is), a date stays the string the
schemas expect. It refuses a key given twice, anchors, aliases and merge keys (so
nothing is built twice or from itself: no value grows beyond what the file holds), and any tag
outside JSON's types (!!binary, !!set, !!python/...).
"""
from __future__ import annotations

import re

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,2}(?:_[0-9]{3})+|[1-9][0-9]*)$")
# A decimal fraction only: "3e26" and "1.31e26" stay text, as operation counts are written.
_FLOAT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_JSON_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}


def loader(what: str = "a request"):
    """A safe loader class (libyaml's when present) reading `what` strictly (see the module)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):
        yaml_implicit_resolvers = {}

        def construct_object(self, node, deep=False):
            if node in self.constructed_objects or node in self.recursive_objects:
                raise yaml.constructor.ConstructorError(
                    None, None, f"anchors and aliases (&name, *name) are not allowed in {what}", node.start_mark)
            if node.tag not in _JSON_TAGS:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the tag {node.tag} is not allowed in {what}", node.start_mark)
            return super().construct_object(node, deep=deep)

        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                seen = set()
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge" or (key_node.value == "<<" and not key_node.style):
                        raise yaml.constructor.ConstructorError(
                            None, None, f"merge keys (<<) are not allowed in {what}", key_node.start_mark)
                    if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                        raise yaml.constructor.ConstructorError(
                            None, None, "a key must be text (a name), not a number, list or mapping",
                            key_node.start_mark)
                    if key_node.value in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"key {key_node.value!r} appears twice in one mapping", key_node.start_mark)
                    seen.add(key_node.value)
            return super().construct_mapping(node, deep=deep)

    for tag, pattern, first in (
            ("tag:yaml.org,2002:bool", _BOOL, list("tTfF")),
            ("tag:yaml.org,2002:int", _INT, list("-+0123456789")),
            ("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789")),
            ("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""])):
        StrictLoader.add_implicit_resolver(tag, pattern, first)
    return StrictLoader
