"""Request templates and plain-word questions, built from the JSON Schemas (no click here).

`aidf new` writes a commented YAML template (or a plain JSON one) and runs an interview that asks
for every field in plain words. Both read the shape of a request from schemas/*.schema.json, so a
field added to a schema appears in both; what the schemas do not say in words (a short question
for each field, example values) is in the tables below, and tests/test_cli_new.py fails when a
schema field has none. YAML request files accept the same plain answers as the interview
(`accept_plain_words`): country names, yes/no, "1,700".
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import decimal
import difflib
import functools
import json
import re
import textwrap
import unicodedata

from . import limits, resources, validation

# -- the schemas as a tree of fields ---------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Condition:
    """An optional field that becomes required when `test` (a JSON Schema) holds on the object
    at `anchor` (a schema path), e.g. nationality when the transaction is a deemed export."""

    anchor: tuple[str, ...]
    test: dict
    text: str


@dataclasses.dataclass(frozen=True)
class Field:
    key: str                        # the JSON name ("" for the request itself)
    path: tuple[str, ...]           # schema path from the request; "*" stands for any list index
    kind: str                       # const, object, objects, countries, country, choice, yes_no,
                                    # integer, number, operations, date, text
    schema: dict                    # the field's schema, every $ref resolved
    required: bool                  # always required in its object
    description: str = ""           # the schema's description, if any
    format_note: str = ""           # the description of the shared definition it uses (a date...)
    choices: tuple = ()
    children: tuple[Field, ...] = ()                 # an object's fields
    item: Field | None = None                        # a list's entries
    alternatives: tuple[tuple[str, ...], ...] = ()   # "either these fields or those" (oneOf)
    conditions: tuple[Condition, ...] = ()

    @property
    def parent_key(self) -> str:
        names = [p for p in self.path[:-1] if p != "*"]
        return names[-1] if names else ""

    def child(self, key: str) -> Field | None:
        return next((c for c in self.children if c.key == key), None)


def actions() -> list[str]:
    return sorted(validation.ACTION_SCHEMAS)


def title(action: str) -> str:
    """The schema's title of an action's request, e.g. "aidf request: export, reexport or ..."."""
    return _schema_file(validation.ACTION_SCHEMAS[action]).get("title", action)


@functools.lru_cache(maxsize=None)
def _schema_file(name: str) -> dict:
    return json.loads((resources.schemas_dir() / name).read_text())


def _pointer(document: dict, pointer: str):
    node = document
    for part in filter(None, pointer.split("/")):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _resolve(node: dict, file: str) -> tuple[dict, str, str]:
    """The node with its $ref merged in (its own keywords win), the file the result came from,
    and the name of the last definition followed ("country_code", "date"...)."""
    name = ""
    for _ in range(16):  # a chain of references, never a cycle in the shipped schemas
        if "$ref" not in node:
            break
        target_file, _, pointer = node["$ref"].partition("#")
        target_file = target_file or file
        name = pointer.rsplit("/", 1)[-1]
        target = _pointer(_schema_file(target_file), pointer)
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        file = target_file
    return node, file, name


def _inline(node, file: str, depth: int = 0):
    """A copy of a schema with every $ref replaced by what it names, to run on its own."""
    if depth > 32:
        raise ValueError("schema references nest too deeply")
    if isinstance(node, list):
        return [_inline(n, file, depth + 1) for n in node]
    if not isinstance(node, dict):
        return node
    node, file, _ = _resolve(node, file)
    return {k: _inline(v, file, depth + 1) for k, v in node.items() if k not in ("$schema", "$id")}


def _merge_all_of(schema: dict, file: str) -> tuple[dict, list[tuple[dict, dict, str]]]:
    """allOf merged into one schema; its if/then pairs (and the node's own) returned apart."""
    merged = {k: v for k, v in schema.items() if k not in ("allOf", "if", "then")}
    conditions = []
    for part in schema.get("allOf", []):
        if "if" in part:
            conditions.append((part["if"], part.get("then", {}), file))
            continue
        resolved, part_file, _ = _resolve(part, file)
        resolved, more = _merge_all_of(resolved, part_file)
        conditions.extend(more)
        for key, value in resolved.items():
            merged.setdefault(key, value)
    if "if" in schema:
        conditions.append((schema["if"], schema.get("then", {}), file))
    return merged, conditions


def _then_targets(then: dict, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    targets = [prefix + (key,) for key in then.get("required", [])]
    for key, sub in (then.get("properties") or {}).items():
        targets.extend(_then_targets(sub, prefix + (key,)))
    return targets


def _describe(test: dict) -> str:
    """A condition in words: "transaction is deemed_export", "eccn is omitted"."""
    parts = []
    properties = test.get("properties") or {}
    for key, sub in properties.items():
        if "const" in sub:
            parts.append(f"{key} is {_json_word(sub['const'])}")
        elif "enum" in sub and len(sub["enum"]) <= 6:
            parts.append(f"{key} is {_or_list([_json_word(v) for v in sub['enum']])}")
        elif "title" in sub:
            parts.append(f"{key} is a {sub['title']}")
    parts.extend(f"{key} is given" for key in test.get("required", []) if key not in properties)
    negated = test.get("not") or {}
    parts.extend(f"{key} is omitted" for key in negated.get("required", []))
    return " and ".join(parts) or "its conditions hold"


def _json_word(value) -> str:
    return json.dumps(value) if isinstance(value, (bool, type(None))) else str(value)


def _or_list(words: list[str], joiner: str = "or") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {joiner} {words[-1]}"


def _kind(schema: dict, definition: str) -> str:
    if "const" in schema:
        return "const"
    if definition in ("country_code", "date", "operations"):
        return {"country_code": "country"}.get(definition, definition)
    if "enum" in schema:
        return "choice"
    return {"boolean": "yes_no", "integer": "integer", "number": "number", "object": "object",
            "array": "list"}.get(schema.get("type"), "text")


def _build(key: str, path: tuple[str, ...], node: dict, file: str, required: bool,
           pending: dict[tuple[str, ...], list[Condition]]) -> Field:
    own_description = node.get("description", "")
    schema, file, definition = _resolve(node, file)
    schema, conditions = _merge_all_of(schema, file)
    kind = _kind(schema, definition)
    format_note = ""
    if definition:
        definition_schema = _pointer(_schema_file(file), f"/$defs/{definition}")
        format_note = definition_schema.get("description", "")
    # A shared definition's description says how to write a value (format_note), not what the
    # field means; a description merged in through allOf (e.g. "Either tpp, or chips...") does.
    description = own_description or ("" if definition else schema.get("description", ""))
    fields = dict(key=key, path=path, kind=kind, required=required, description=description, format_note=format_note, choices=tuple(schema.get("enum", ())),
                  conditions=tuple(pending.get(path, ())))
    if kind == "object":
        for test, then, test_file in conditions:
            condition = Condition(path, _inline(test, test_file), _describe(_inline(test, test_file)))
            for target in _then_targets(then):
                pending.setdefault(path + target, []).append(condition)
        needed = set(schema.get("required", []))
        fields["children"] = tuple(_build(name, path + (name,), sub, file, name in needed, pending)
                                   for name, sub in (schema.get("properties") or {}).items())
        fields["alternatives"] = tuple(tuple(alt["required"]) for alt in schema.get("oneOf", []) if "required" in alt)
    elif kind == "list":
        item = _build(key, path + ("*",), schema.get("items", {}), file, True, pending)
        fields["item"] = item
        fields["kind"] = "countries" if item.kind == "country" else "objects"
    fields["schema"] = _inline(schema, file)
    return Field(**fields)


@functools.lru_cache(maxsize=None)
def request_fields(action: str) -> Field:
    """The request of an action as a tree of fields, in the schema's order."""
    if action not in validation.ACTION_SCHEMAS:
        raise KeyError(action)
    file = validation.ACTION_SCHEMAS[action]
    return _build("", (), _schema_file(file), file, True, {})


def walk(field: Field):
    """Every field below `field`, parents before children (list entries as their list's item)."""
    for child in field.children:
        yield child
        yield from walk(child.item if child.item and child.item.kind == "object" else child)


def field_at(action: str, path: tuple) -> Field | None:
    """The field at a concrete path (list indices as integers), or None."""
    field = request_fields(action)
    for part in path:
        if isinstance(part, int):
            if field.item is None:
                return None
            field = field.item
        else:
            field = field.child(part)
            if field is None:
                return None
    return field


def parse_problem_path(path: str) -> tuple | None:
    """"$.items[0].quantity" -> ("items", 0, "quantity"); None for anything else."""
    if not path.startswith("$"):
        return None
    parts = []
    for name, index in re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]", path[1:]):
        parts.append(int(index) if index else name)
    rebuilt = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
    return tuple(parts) if rebuilt == path else None


def value_at(request, path: tuple):
    node = request
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node


def required_now(field: Field, request: dict, where: tuple) -> bool:
    """Whether an optional field is needed, given the answers so far (its conditions)."""
    if field.required:
        return True
    import jsonschema  # only an interview or a template needs it

    for condition in field.conditions:
        anchor = value_at(request, where[:len(condition.anchor)])
        if isinstance(anchor, dict) and jsonschema.Draft202012Validator(condition.test).is_valid(anchor):
            return True
    return False


# -- plain words -------------------------------------------------------------------------
# The question for each field, in words a lawyer uses. Looked up as "parent.key", then "key".
# Schema descriptions, where they exist, are shown beside them (they carry the citations).

WORDS = {
    "request_id": "Your own reference for this request (it is repeated in the decision)",
    "view": "Which view of the law: the rule as written, or what BIS enforces",
    "as_of": "Date to apply the rule on (default: today)",
    "transaction": "What kind of transaction is it?",
    "destination": "Country the items go to",
    "end_use": "What will the items be used for?",
    "direct_to_ultimate_consignee": "Do the items ship directly to the ultimate consignee (not through a distributor)?",
    "ultimate_consignee": "The ultimate consignee (who receives the items)",
    "ultimate_consignee.name": "Name of the ultimate consignee",
    "ultimate_consignee.located_in": "Country where the consignee is located (default: the destination)",
    "located_in": "Country where it is located",
    "headquarters": "Country of its headquarters",
    "ultimate_parent_headquarters": "Country of its ultimate parent's headquarters (its own if it has no parent)",
    "foreign_government_owned_or_controlled":
        "Does a government other than the United States own or otherwise control it?",
    "veu": "Data Center VEU authorizations it holds",
    "uveu": "Does it hold a Universal Data Center VEU authorization?",
    "nveu_countries": "Countries for which it holds a National Data Center VEU authorization",
    "items": "The items",
    "items.description": "Description of the item",
    "eccn": "Declared ECCN (leave it out to classify a chip from its parameters)",
    "quantity": "How many units?",
    "tpp_per_unit": "Total processing performance (TPP) of one unit",
    "performance_density": "Performance density (TPP per mm2 of die area)",
    "designed_for_data_centers": "Is it designed or marketed for use in data centers?",
    "designed_by_approved_ic_designer": "Was it designed by an approved or authorized IC designer?",
    "history": "History",
    "lpp_tpp_received_this_year": "TPP the ultimate parent already received under LPP this calendar year",
    "country_licensed_tpp": "TPP already licensed to the destination country under its allocation",
    "aia_cumulative_tpp": "TPP this consignee has received under AIA so far",
    "owner": "The company that owns the compute",
    "owner.name": "Name of the company that owns the compute",
    "installed": "Installed AI compute",
    "installed.country": "Country where this compute is installed",
    "installed.description": "Description of this compute",
    "tpp": "Total processing performance (TPP) of this compute",
    "chips": "Number of chips",
    "tpp_per_chip": "TPP of one chip",
    "placement": "The compute to be placed",
    "placement.country": "Country where the compute will be placed",
    "placement.description": "Description of the placement",
    "new_data_center": "Does it go to a data center location new to the owner?",
    "transfer_from": "Country the chips are moved from (only for a move within the company)",
    "notice_given_on": "Date BIS was notified",
    "country": "The destination country",
    "licensed_tpp": "TPP already licensed to the country since 2025",
    "proposed_tpp": "TPP of the proposed licence",
    "model": "The model",
    "model.name": "Name of the model",
    "weights_published": "Are the model's weights published?",
    "training_operations": "Operations used to train the model (pre-training plus all later training)",
    "synthetic_data": "Models that generated synthetic training data for it",
    "generator": "Name of the model that generated the data",
    "data_published": "Is the generated data published?",
    "operations_on_its_data": "Operations of this model's training that used the generator's data",
    "generation_operations": "Operations the generator used to generate the data",
    "generator_weights_published": "Are the generator's weights published?",
    "generator_training_operations": "The generator's own training operations",
    "already_counted_operations": "Of these, operations already counted in the model's training operations",
    "derived_from_published_model": "Training from published weights",
    "base_model_operations": "Training operations of the published base model",
    "derived_from_published_model.additional_operations": "Operations of the further training",
    "less_capable_than_most_advanced_published":
        "Is there a finding that the model is less capable than the most advanced published model?",
    "recipient": "Who receives the weights",
    "recipient.name": "Name of the recipient",
    "permanent_regular_employee": "Is the foreign person a permanent regular employee of the recipient?",
    "nationality": "The foreign person's country of citizenship or permanent residency",
    "storage": "Where and how the weights will be stored",
    "facility_country": "Country of the storage facility",
    "meets_supp10_paragraphs_14_15_18":
        "Does the facility meet the security standards of Supp. No. 10 to part 748, paras. 14, 15 and 18?",
    "storage.data_center_veu": "Is the facility a Data Center VEU?",
    "operator_headquarters": "Country of the storage operator's headquarters",
    "operator_ultimate_parent_headquarters": "Country of the storage operator's ultimate parent's headquarters",
    "service": "Which service is provided?",
    "provider": "The provider of the service",
    "provider.name": "Name of the provider",
    "provider.data_center_veu": "Is the compute held under a Data Center VEU?",
    "customer": "The customer",
    "customer.name": "Name of the customer",
    "intends_to_export_weights": "Will the customer export the resulting weights? (leave it out until it has answered)",
    "training_location": "Country where the training or service runs",
    "fine_tuning": "The fine-tuning",
    "original_operations": "Training operations of the original model",
    "fine_tuning.additional_operations": "Operations the fine-tuning adds",
}

# The question that opens an optional group of fields (an object or a list).
OPENERS = {
    "veu": "Does it hold any Data Center VEU authorization?",
    "history": "Has TPP been received or licensed before (LPP this year, the country's allocation, AIA)?",
    "installed": "Does the corporate group already have AI compute installed?",
    "synthetic_data": "Was the model trained on synthetic data generated by other models?",
    "derived_from_published_model": "Was the model trained further from published weights?",
    "storage": "Do you know where the weights will be stored?",
    "model": "Do you want to describe the model?",
    "fine_tuning": "Is this a fine-tuning of an existing model?",
}

# The question after each entry of a list.
ANOTHER = {
    "items": "Add another item?",
    "installed": "Add another installed compute entry?",
    "synthetic_data": "Add another generator of synthetic data?",
}


def _lookup(table: dict, field: Field):
    return table.get(f"{field.parent_key}.{field.key}") or table.get(field.key)


def label(field: Field) -> str:
    """The plain-word question for a field (never its JSON name alone)."""
    return _lookup(WORDS, field) or _first_sentence(field.description) or field.key.replace("_", " ").capitalize()


def opener(field: Field) -> str:
    return _lookup(OPENERS, field) or f"Give {label(field)[0].lower()}{label(field)[1:]}?"


def another(field: Field) -> str:
    return _lookup(ANOTHER, field) or "Add another?"


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?\.)(\s|$)", text)
    return match.group(1) if match else text


def number_words(value) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def hint(field: Field, *, in_file: bool = False) -> str:
    """How to write an answer for this field, in words: in the interview, or in a YAML file."""
    schema = field.schema
    bounds = ""
    if "minimum" in schema and "maximum" in schema:
        bounds = f" from {number_words(schema['minimum'])} to {number_words(schema['maximum'])}"
    if field.kind == "country":
        return "ISO code or name, e.g. DE or Germany."
    if field.kind == "countries":
        if in_file:
            return "A list of ISO codes or names, e.g. [IN, Germany]; [] for none."
        return "ISO codes or names, separated by commas, e.g. IN, Germany."
    if field.kind == "choice":
        return f"One of: {', '.join(str(c) for c in field.choices)}."
    if field.kind == "yes_no":
        return "true or false." if in_file else "yes or no."
    if field.kind == "integer":
        return f"A whole number{bounds}."
    if field.kind == "number":
        return f"A number{bounds}."
    if field.kind == "operations":
        example = "in quotes, such as '3e26' or '1.31e26'" if in_file else "such as 3e26, 1.31e26 or 3 x 10^26"
        return (f"A count {example}: at most 10^{limits.MAX_OPERATIONS.adjusted()}, "
                f"a whole multiple of 10^{limits.OPERATIONS_UNIT.adjusted()}.")
    if field.kind == "date":
        return _first_sentence(field.format_note) or "YYYY-MM-DD."
    return ""


def status(field: Field, alternatives: tuple[tuple[str, ...], ...] = ()) -> str:
    """"Optional.", "Optional; needed when ...", "Either tpp, or chips and tpp_per_chip." or ""."""
    group = next((g for g in alternatives if field.key in g), None)
    if group is not None:
        others = [" and ".join(g) for g in alternatives if g is not group]
        return f"Give either {' and '.join(group)} or {_or_list(others)}, not both."
    if field.required:
        return ""
    if field.conditions:
        return f"Optional, but needed when {', or when '.join(c.text for c in field.conditions)}."
    return "Optional."


# -- countries by name -----------------------------------------------------------------
# Common names that are not the rule's own spelling (facts/country_names) nor derived from it.
COUNTRY_ALIASES = {
    "USA": "US", "United States of America": "US", "America": "US", "UK": "GB", "Great Britain": "GB",
    "Britain": "GB", "South Korea": "KR", "Czech Republic": "CZ", "Turkey": "TR", "UAE": "AE",
    "Russian Federation": "RU", "Viet Nam": "VN", "People's Republic of China": "CN", "Mainland China": "CN",
    "Macao": "MO", "Ivory Coast": "CI", "Cape Verde": "CV", "Swaziland": "SZ", "Myanmar": "MM",
    "Holland": "NL", "Brunei": "BN", "Vatican": "VA", "Vatican City": "VA", "Democratic Republic of the Congo": "CD",
    "DR Congo": "CD", "Republic of the Congo": "CG", "Syrian Arab Republic": "SY", "Lao PDR": "LA",
    "Macedonia": "MK", "East Timor": "TL", "Palestine": "PS", "Micronesia": "FM",
}


def _fold(text: str) -> str:
    """"Côte d'Ivoire" -> "cote divoire": case, accents, punctuation and "the" do not matter."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("&", " and ")
    text = re.sub(r"[.'’`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO code -> the rule's name for it (policies/aidf/facts/country_names)."""
    path = resources.shipped_policies_dir() / "aidf" / "facts" / "country_names" / "data.json"
    return json.loads(path.read_text())


@functools.lru_cache(maxsize=1)
def _country_index() -> dict[str, str | None]:
    """Folded name -> code; None for a shortened name two countries share. Each name is indexed
    as written, without its parenthesis ("China"), by what the parenthesis says ("Malvinas"), and
    with a trailing ", X" moved to the front ("North Korea")."""
    codes = set(_schema_file("common.schema.json")["$defs"]["country_code"]["enum"])
    index: dict[str, str | None] = {}

    def add(name: str, code: str) -> None:
        key = _fold(name)
        if key and index.get(key, code) != code:
            index[key] = None
        elif key:
            index[key] = code

    names = {code: name for code, name in country_names().items() if code in codes}
    for code, name in names.items():
        bare = re.sub(r"\s*\(.*?\)", "", name)
        add(bare, code)
        add(" ".join(re.findall(r"\((.*?)\)", name)), code)
        if "," in bare:
            head, _, tail = bare.partition(",")
            add(f"{tail} {head}", code)
    for code, name in names.items():  # a country's own name wins over a shortened one ("Congo")
        index[_fold(name)] = code
    for name, code in COUNTRY_ALIASES.items():
        index[_fold(name)] = code
    for code in codes:
        index[_fold(code)] = code
    return index


class BadAnswer(ValueError):
    """An answer that cannot be read as a value of its field; the message says why."""


def country_code(text: str, *, suggest: bool = True) -> str:
    """"Germany", "germany", "DE", "de" -> "DE"; BadAnswer (with suggestions) otherwise."""
    folded = _fold(text)
    if not folded:
        raise BadAnswer("give a country name or its ISO code")
    code = _country_index().get(folded, "")
    if code:
        return code
    if code is None:
        matches = sorted(c for c, n in country_names().items() if _fold(re.sub(r"\s*\(.*?\)", "", n)) == folded)
        raise BadAnswer(f"{text!r} names more than one country: "
                        f"{_or_list([f'{country_names()[c]} ({c})' for c in matches])}")
    if not suggest:  # a file's unknown country is validation's to report, without the cost of a search
        raise BadAnswer(f"{text!r} is not a country aidf knows")
    close = difflib.get_close_matches(folded, [k for k, v in _country_index().items() if v and len(k) > 2], n=3)
    suggestion = ""
    if close:
        found = dict.fromkeys(_country_index()[k] for k in close)
        suggestion = f"; did you mean {_or_list([f'{country_names().get(c, c)} ({c})' for c in found])}?"
    raise BadAnswer(f"{text!r} is not a country aidf knows{suggestion}")


# -- reading a plain answer ------------------------------------------------------------

_YES, _NO = {"y", "yes", "true", "t"}, {"n", "no", "false", "f"}
_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_MAX_ANSWER_CHARS = 200
_MAX_LIST_ANSWER_CHARS = 5000
_NAME_TOKENS = 3  # the most comma-separated parts one country name has ("Korea, North")


def _decimal(text: str) -> decimal.Decimal:
    """"1,700", "1 700", "1_700", "1.7 million", "1e6" -> a finite Decimal."""
    words = text.strip().lower()
    scale = 1
    match = re.fullmatch(r"(.*?)\s*(thousand|million|billion|trillion)", words)
    if match:
        words, scale = match.group(1), _SCALE[match.group(2)]
    compact = re.sub(r"[\s_\u00a0\u202f]", "", words)
    if "," in compact:
        if not _GROUPED.fullmatch(compact):
            raise BadAnswer("commas may only separate groups of three digits, as in 1,700")
        compact = compact.replace(",", "")
    try:
        value = decimal.Decimal(compact)
    except decimal.InvalidOperation:
        raise BadAnswer(f"{text.strip()!r} is not a number") from None
    if not value.is_finite() or value.adjusted() > 40:
        raise BadAnswer(f"{text.strip()!r} is not a number aidf can use")
    return value * scale


def _choice(field: Field, text: str, numbered: bool):
    answer = text.strip()
    if numbered and answer.isdigit() and 1 <= int(answer) <= len(field.choices):
        return field.choices[int(answer) - 1]
    wanted = re.sub(r"[\s-]+", "_", answer.casefold())
    for choice in field.choices:
        if str(choice).casefold() == wanted or str(choice).casefold() == answer.casefold():
            return choice
    close = difflib.get_close_matches(wanted, [str(c) for c in field.choices], n=1)
    suggestion = f"; did you mean {close[0]}?" if close else ""
    how = "the number or the name of one of the choices" if numbered else f"one of {', '.join(map(str, field.choices))}"
    raise BadAnswer(f"{answer!r} is not one of the choices{suggestion} (give {how})")


def _operations(text: str) -> str:
    """"3 x 10^26" -> "3e26"; "300,000,...,000" -> digits; "1.31e26" as it is."""
    answer = text.strip()
    match = re.fullmatch(r"(?:([0-9][0-9.,_ ]*?)\s*[x×*·]\s*)?10\s*(?:\^|\*\*)\s*\+?([0-9]{1,3})", answer, re.I)
    if match:
        mantissa = str(_decimal(match.group(1) or "1"))
        return f"{mantissa}e{match.group(2)}"
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?[eE]\+?[0-9]{1,3}", answer):
        return answer
    value = _decimal(answer)
    if value != value.to_integral_value():
        raise BadAnswer(f"{answer!r} is not a whole number of operations")
    return str(int(value))


def parse_answer(field: Field, text: str, *, numbered: bool = True):
    """A plain-word answer as the JSON value of its field, or BadAnswer. `numbered`: a choice
    may be given by its number in the list shown (the interview; not in a file)."""
    limit = {"text": limits.MAX_STRING_CHARS, "countries": _MAX_LIST_ANSWER_CHARS}.get(field.kind, _MAX_ANSWER_CHARS)
    if len(text) > limit:
        raise BadAnswer(f"the answer is longer than {limit:,} characters")
    answer = text.strip()
    if field.kind == "country":
        return country_code(answer, suggest=numbered)
    if field.kind == "countries":
        return _countries(answer)
    if field.kind == "choice":
        return _choice(field, answer, numbered)
    if field.kind == "yes_no":
        if answer.casefold() in _YES:
            return True
        if answer.casefold() in _NO:
            return False
        raise BadAnswer("answer yes or no")
    if field.kind in ("integer", "number"):
        value = _decimal(answer)
        if value == value.to_integral_value():
            return int(value)
        if field.kind == "integer":
            raise BadAnswer(f"{answer!r} is not a whole number")
        if value != round(value, validation.DENSITY_PLACES):
            raise BadAnswer(f"{answer!r} has more than {validation.DENSITY_PLACES} decimal places; round it up")
        return float(value)
    if field.kind == "operations":
        return _operations(answer)
    if field.kind == "date":
        if answer.casefold() == "today":
            return dt.datetime.now(dt.timezone.utc).date().isoformat()
        try:
            return dt.date.fromisoformat(answer).isoformat()
        except ValueError:
            raise BadAnswer(f"{answer!r} is not a date in YYYY-MM-DD form") from None
    if not answer:
        raise BadAnswer("the answer is empty")
    return answer


def _countries(text: str) -> list[str]:
    """"India, Germany" -> ["IN", "DE"]; a name with a comma ("Korea, North") is kept whole."""
    if not text.strip() or text.strip().casefold() in ("none", "[]"):
        return []
    tokens = [t.strip() for t in re.split(r"[;,]", text)]
    codes, start = [], 0
    while start < len(tokens):
        for end in range(min(len(tokens), start + _NAME_TOKENS), start, -1):  # the longest run naming a country
            try:
                code = country_code(", ".join(tokens[start:end]))
            except BadAnswer:
                continue
            break
        else:
            country_code(tokens[start])  # raises, naming the token that is not a country
        if code not in codes:
            codes.append(code)
        start = end
    return codes


def _plain_message(error, field: Field) -> str:
    schema = error.schema
    if error.validator == "minimum":
        return f"must be at least {number_words(schema['minimum'])}"
    if error.validator == "maximum":
        return f"must be at most {number_words(schema['maximum'])}"
    if error.validator == "minLength":
        return "must not be empty"
    if error.validator == "maxLength":
        return f"must be at most {schema['maxLength']:,} characters long"
    if error.validator in ("pattern", "format") and field.kind == "date":
        return f"is not a date aidf evaluates ({_first_sentence(field.format_note)})"
    if error.validator == "pattern" and field.kind == "operations":
        return "is not a count aidf reads; write it like 3e26, 1.31e26 or 3 x 10^26"
    if error.validator == "maxItems":
        return f"may hold at most {schema['maxItems']:,} entries"
    return validation.quote(error.message)


def answer_problems(field: Field, value) -> list[str]:
    """What is wrong with a value for this field on its own (its schema, and the checks a schema
    cannot express); checks that involve other fields wait for the whole request."""
    import jsonschema

    checker = jsonschema.Draft202012Validator(field.schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    found = [_plain_message(e, field) for e in checker.iter_errors(value)]
    if not found and field.kind == "operations":
        count = decimal.Decimal(value)
        if count > limits.MAX_OPERATIONS:
            found.append(f"is more than 10^{limits.MAX_OPERATIONS.adjusted()} operations")
        elif count.as_tuple().exponent > limits.MAX_OPERATIONS.adjusted():
            found.append("has too large an exponent; write it with a smaller one")
        elif count % limits.OPERATIONS_UNIT != 0:
            found.append(f"is not a whole multiple of 10^{limits.OPERATIONS_UNIT.adjusted()} operations; round it up")
    return found


def accept_plain_words(request):
    """A YAML request with plain answers turned into JSON values where the field says which:
    country names into codes, yes/no into booleans, "1,700" into 1700, "3 x 10^26" into "3e26".
    A value that is not a plain answer is left alone for validation to report, and so is a list
    longer than its schema allows (nothing in a hostile file costs more than reading it). Never
    raises."""
    try:
        if isinstance(request, dict) and request.get("action") in validation.ACTION_SCHEMAS:
            _accept(request_fields(request["action"]), request)
    except Exception:  # noqa: BLE001 - a hostile file is validation's to refuse, with a message
        pass
    return request


def _accept(field: Field, node: dict) -> None:
    for child in field.children:
        if child.key not in node:
            continue
        value = node[child.key]
        if isinstance(value, list) and len(value) > child.schema.get("maxItems", limits.MAX_ARRAY_ITEMS):
            continue
        if child.kind == "object" and isinstance(value, dict):
            _accept(child, value)
        elif child.kind == "objects" and isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict):
                    _accept(child.item, entry)
        elif child.kind == "countries" and isinstance(value, list):
            node[child.key] = [_plain(child.item, v) for v in value]
        else:
            node[child.key] = _plain(child, value)


def plain_value(action, path: tuple, value):
    """A value typed on a command line (`--set PATH=VALUE`) read as the field at `path` reads a
    plain answer: a country name becomes its code, yes/no a boolean. Anything else is left alone
    for validation to report. Never raises."""
    try:
        field = field_at(action, path) if action in validation.ACTION_SCHEMAS else None
    except Exception:  # noqa: BLE001 - an odd path is validation's to refuse, with a message
        return value
    if field is None:
        return value
    if field.kind == "countries" and isinstance(value, list):
        return [_plain(field.item, v) for v in value]
    return _plain(field, value)


def _plain(field: Field, value):
    if not isinstance(value, str) or field.kind in ("text", "const", "date") or value in field.choices:
        return value  # not a plain answer, or already a valid code or choice: never reinterpreted
    try:
        return parse_answer(field, value, numbered=False)
    except BadAnswer:
        return value


# -- examples and templates ------------------------------------------------------------
# A realistic request of each action with every field filled in. Fields listed in COMMENTED are
# written commented out in the YAML template (and left out of the JSON one): alternatives to a
# field given, or facts that change what the request describes.

_MODEL = {
    "name": "Frontier-3",
    "weights_published": False,
    "training_operations": "3e26",
    "synthetic_data": [{
        "generator": "Generator-2", "data_published": False, "operations_on_its_data": "2e25",
        "generation_operations": "1e24", "generator_weights_published": False,
        "generator_training_operations": "5e25", "already_counted_operations": "0",
    }],
    "derived_from_published_model": {"base_model_operations": "5e25", "additional_operations": "1e25"},
    "less_capable_than_most_advanced_published": False,
}

EXAMPLES = {
    "export_chips": {
        "transaction": "export",
        "destination": "DE",
        "end_use": "data_center",
        "direct_to_ultimate_consignee": True,
        "ultimate_consignee": {
            "name": "Example Cloud GmbH", "located_in": "DE", "headquarters": "US",
            "ultimate_parent_headquarters": "US", "foreign_government_owned_or_controlled": False,
            "veu": {"uveu": False, "nveu_countries": []},
        },
        "items": [{
            "description": "H100 SXM GPUs", "eccn": "3A090.a", "quantity": 1000, "tpp_per_unit": 15832,
            "performance_density": 19.4, "designed_for_data_centers": True, "designed_by_approved_ic_designer": True,
        }],
        "history": {"lpp_tpp_received_this_year": 0, "country_licensed_tpp": 0, "aia_cumulative_tpp": 0},
    },
    "deploy_compute": {
        "owner": {"name": "Example Cloud Inc.", "headquarters": "US", "ultimate_parent_headquarters": "US",
                  "veu": {"uveu": True, "nveu_countries": []}},
        "installed": [
            {"country": "US", "tpp": 600000000, "description": "US data centers"},
            {"country": "DE", "chips": 18950, "tpp_per_chip": 15832, "description": "Frankfurt cluster"},
        ],
        "placement": {"country": "MY", "tpp": 47496000, "chips": 3000, "tpp_per_chip": 15832, "new_data_center": True,
                      "transfer_from": "US", "notice_given_on": "2025-07-15", "description": "Johor data center"},
    },
    "country_allocation": {"country": "MY", "licensed_tpp": 700000000, "proposed_tpp": 90000000},
    "transfer_model_weights": {
        "transaction": "export",
        "model": _MODEL,
        "recipient": {"name": "Frontier Labs UAE branch", "located_in": "AE", "headquarters": "US",
                      "ultimate_parent_headquarters": "US", "permanent_regular_employee": True, "nationality": "AE"},
        "storage": {"facility_country": "AE", "meets_supp10_paragraphs_14_15_18": True, "data_center_veu": False,
                    "operator_headquarters": "US", "operator_ultimate_parent_headquarters": "US"},
    },
    "train_model": {
        "service": "iaas_training",
        "provider": {"name": "Example Cloud Inc.", "headquarters": "US", "ultimate_parent_headquarters": "US",
                     "data_center_veu": True},
        "customer": {"name": "Tokyo AI KK", "headquarters": "JP", "ultimate_parent_headquarters": "JP",
                     "intends_to_export_weights": False},
        "training_location": "US",
        "model": {**_MODEL, "name": "customer model", "training_operations": "1.2e26"},
        "fine_tuning": {"original_operations": "1e26", "additional_operations": "2e25"},
    },
}

_MODEL_EXTRAS = {("model", "synthetic_data"), ("model", "derived_from_published_model")}
COMMENTED = {
    "export_chips": set(),
    "deploy_compute": {("placement", "tpp"), ("placement", "transfer_from")},
    "country_allocation": set(),
    "transfer_model_weights": _MODEL_EXTRAS | {("recipient", "permanent_regular_employee"), ("recipient", "nationality")},
    "train_model": _MODEL_EXTRAS | {("fine_tuning",)},
}


def _today() -> str:
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def full_example(action: str, as_of: str | None = None, view: str | None = None) -> dict:
    """The example of an action, every field present (commented-out ones too), in schema order."""
    return {"action": action, "request_id": "my-reference-1", "view": view or "as_written", "as_of": as_of or _today(),
            **copy.deepcopy(EXAMPLES[action])}


def _without(value, commented: set, path: tuple = ()):
    if isinstance(value, dict):
        return {k: _without(v, commented, path + (k,)) for k, v in value.items() if path + (k,) not in commented}
    if isinstance(value, list):
        return [_without(v, commented, path + (i,)) for i, v in enumerate(value)]
    return value


def json_template(action: str, as_of: str | None = None, view: str | None = None) -> dict:
    """The example request as JSON has it: no comments, so no commented-out fields."""
    return _without(full_example(action, as_of, view), COMMENTED[action])


WIDTH = 100


def _scalar(field: Field, value) -> str:
    import yaml

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)  # 700_000_000 reads as 700000000
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(field, v) for v in value) + "]"
    style = "'" if field.kind == "operations" else None  # a count stays a string in any YAML reader
    text = yaml.safe_dump(value, default_style=style, allow_unicode=True, width=10**6)
    return text[:-len("\n...\n")] if text.endswith("\n...\n") else text.rstrip("\n")


def _comment(lines: list[str], indent: int, text: str) -> None:
    for line in textwrap.wrap(text, WIDTH - indent - 2, break_on_hyphens=False):
        lines.append(" " * indent + "# " + line)


def note(field: Field, parent: Field) -> str:
    """The comment above a field: what it means, whether it is optional, how to write it."""
    words, meaning = label(field), field.description
    if field.kind in ("object", "objects"):
        text = f"{words}. {meaning}" if meaning else f"{words}."
    else:  # the schema's own words where it has them: they carry the citations
        text = meaning or words
        text += "" if text.endswith((".", "?")) else "."
    parts = [text, status(field, parent.alternatives), hint(field, in_file=True)]
    return " ".join(p for p in parts if p)


def render_yaml(action: str, request: dict, commented: set | frozenset = frozenset(), *, header: list[str]) -> str:
    """A request as YAML, each field under a comment saying what it means. Fields at the paths in
    `commented` are written as comments ("# key: value") that become the field when uncommented."""
    root = request_fields(action)
    lines = [f"# {h}" if h else "#" for h in header]
    _render_object(root, request, 0, (), commented, lines, set())
    return "\n".join(lines) + "\n"


def _render_object(field: Field, value: dict, indent: int, path: tuple, commented, lines: list[str],
                   explained: set) -> None:
    pad = " " * indent
    for child in field.children:
        if child.key not in value:
            continue
        here = path + (child.key,)
        block: list[str] = []
        if child.kind == "const":
            block.append(f"{pad}{child.key}: {_scalar(child, value[child.key])}")
        else:
            if child.path not in explained:  # explain a field once, not in every entry of a list
                if indent == 0:
                    block.append("")  # top-level fields stand apart
                _comment(block, indent, note(child, field))
                explained.add(child.path)
            start = len(block)
            _render_value(child, value[child.key], indent, here, commented, block, explained)
            if here in commented:
                block[start:] = [line[:indent] + "# " + line[indent:] for line in block[start:]]
        lines.extend(block)


def _render_value(field: Field, value, indent: int, path: tuple, commented, lines: list[str], explained: set) -> None:
    pad = " " * indent
    if field.kind == "object" and isinstance(value, dict):
        lines.append(f"{pad}{field.key}:" + (" {}" if not value else ""))
        _render_object(field, value, indent + 2, path, commented, lines, explained)
    elif field.kind == "objects" and isinstance(value, list):
        lines.append(f"{pad}{field.key}:" + (" []" if not value else ""))
        for i, entry in enumerate(value):
            lines.append(f"{pad}  -")
            _render_object(field.item, entry, indent + 4, path + (i,), commented, lines, explained)
    else:
        lines.append(f"{pad}{field.key}: {_scalar(field, value)}")


def yaml_template(action: str, as_of: str | None = None, view: str | None = None) -> str:
    header = [
        title(action),
        "",
        "Each field has a note above it saying what it means. Change the example values; delete the",
        "fields marked Optional that you do not need. A line \"# field: value\" is a field left out:",
        "delete the \"# \" to use it. Country fields take an ISO code or a country name, yes/no fields",
        "take true or false (or yes/no), numbers may be written 1_700 or \"1,700\".",
        f"Then decide it with:  aidf check THIS-FILE.yaml   (JSON instead: aidf new {action} --format json)",
    ]
    return render_yaml(action, full_example(action, as_of, view), COMMENTED[action], header=header)
