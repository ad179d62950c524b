"""The rules a JSON Schema cannot say, one small validator each.

Every rule takes the parsed document (already schema-valid) and yields
``(path, message, fix)`` triples; :func:`check_rules` runs them all, so a file's problems are
reported together.
"""
from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from functools import cache
from importlib import resources

from .paths import describe_path

QUESTIONNAIRE_ROLES = {"outcome", "driver", "recommend", "wait_time", "respondent", "comment"}
CHECKLIST_ROLES = {"check", "site"}
TYPES_BY_ROLE = {
    "outcome": {"rating"},
    "driver": {"rating"},
    "recommend": {"rating"},
    "wait_time": {"number"},
    "respondent": {"choice", "number"},
    "comment": {"text"},
    "check": {"pass_fail", "rating4", "measurement"},
    "site": {"text", "number", "choice"},
}
CHOICE_TYPES = {"rating", "choice"}
MIN_DRIVERS, MAX_DRIVERS = 6, 14
LANGUAGE_NAMES = {"fa": "Persian", "en": "English", "ar": "Arabic"}
# Arabic forms that look like Persian ones, with the Persian character to type instead.
ARABIC_LETTERS = {"\u064a": ("«ي» (Arabic yeh, U+064A)", "«ی» (U+06CC)"),
                  "\u0643": ("«ك» (Arabic kaf, U+0643)", "«ک» (U+06A9)"),
                  "\u0649": ("«ى» (Arabic alef maksura, U+0649)", "«ی» (U+06CC)")}
ARABIC_INDIC_DIGITS = frozenset("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")

Found = Iterator[tuple[str, str, str]]


def _items(doc):
    for index, item in enumerate(doc["items"]):
        yield f"items[{index}] ({item['code']})", item


def _choice_values(doc, name):
    spec = doc.get("choice_lists", {}).get(name)
    if spec is None:
        return None
    if isinstance(spec, dict):
        return list(range(spec["from"], spec["to"] + 1))
    return [option["value"] for option in spec]


def code_matches_file_name(doc, file_name: str) -> Found:
    expected = doc["code"].lower() + ".yaml"
    if file_name != expected:
        yield "code", f"code {doc['code']} does not match the file name {file_name}", f"name the file {expected}"
    letter = doc["code"].split("-")[1][0]
    if (letter == "Q") != (doc["kind"] == "questionnaire"):
        yield "kind", f"kind {doc['kind']} does not fit code {doc['code']} (Q is a questionnaire, C a checklist)", \
            "fix the kind or the code so they agree with the catalog"


@cache
def catalog() -> dict[str, dict]:
    """The 52 instruments of the catalog (code, kind, domain, titles, languages)."""
    text = resources.files(__package__).joinpath("catalog.tsv").read_text("utf-8")
    return {row["code"]: row for row in csv.DictReader(text.splitlines(), delimiter="\t")}


def matches_the_catalog(doc, _file_name) -> Found:
    entry = catalog().get(doc["code"])
    if entry is None:
        yield "code", f"{doc['code']} is not in the catalog of 52 instruments", \
            "use the code the catalog gives this instrument (surveyor/instruments/catalog.tsv)"
        return
    if doc["domain"] != entry["domain"]:
        yield "domain", f"the catalog puts {doc['code']} in {entry['domain']!r}", f"write domain: {entry['domain']}"
    if doc["languages"] != entry["languages"].split():
        yield "languages", f"the catalog gives {doc['code']} the languages {entry['languages']}", \
            f"write languages: [{', '.join(entry['languages'].split())}]"


def persian_is_the_source(doc, _file_name) -> Found:
    if doc["languages"][0] != "fa" or "en" not in doc["languages"]:
        yield "languages", "Persian (fa) must come first and English (en) must be present", \
            "write languages as [fa, en] or [fa, en, ar]"


def item_codes_are_unique(doc, _file_name) -> Found:
    seen = Counter(item["code"] for item in doc["items"])
    for path, item in _items(doc):
        if seen[item["code"]] > 1:
            yield f"{path}.code", f"item code {item['code']!r} is used {seen[item['code']]} times", \
                "give each item its own code; codes are how answers are stored, so never reuse one"


def dimension_codes_are_unique(doc, _file_name) -> Found:
    seen = Counter(dim["code"] for dim in doc["dimensions"])
    for index, dim in enumerate(doc["dimensions"]):
        if seen[dim["code"]] > 1:
            yield f"dimensions[{index}] ({dim['code']}).code", f"dimension {dim['code']!r} is declared twice", \
                "remove the duplicate"


def roles_fit_the_kind(doc, _file_name) -> Found:
    allowed = QUESTIONNAIRE_ROLES if doc["kind"] == "questionnaire" else CHECKLIST_ROLES
    for path, item in _items(doc):
        if item["role"] not in allowed:
            yield f"{path}.role", f"role {item['role']!r} is not used in a {doc['kind']}", \
                f"use one of: {', '.join(sorted(allowed))}"


def types_fit_the_role(doc, _file_name) -> Found:
    for path, item in _items(doc):
        allowed = TYPES_BY_ROLE[item["role"]]
        if item["type"] not in allowed:
            yield f"{path}.type", f"a {item['role']} item cannot be of type {item['type']!r}", \
                f"use type {' or '.join(sorted(allowed))}"


def choice_items_name_a_list(doc, _file_name) -> Found:
    lists = doc.get("choice_lists", {})
    for path, item in _items(doc):
        if item["type"] in CHOICE_TYPES:
            if "choices" not in item:
                yield path, f"a {item['type']} item needs a choice list", \
                    f"add 'choices:' naming one of: {', '.join(sorted(lists)) or '(none declared yet)'}"
            elif item["choices"] not in lists:
                yield f"{path}.choices", f"choice list {item['choices']!r} is not declared", \
                    f"declare it under choice_lists or use one of: {', '.join(sorted(lists))}"
        elif "choices" in item:
            yield f"{path}.choices", f"a {item['type']} item takes no choice list", "remove 'choices'"


def choice_values_are_unique(doc, _file_name) -> Found:
    for name, spec in doc.get("choice_lists", {}).items():
        if isinstance(spec, dict):
            if spec["from"] >= spec["to"]:
                yield f"choice_lists.{name}", "a range must go from a smaller to a larger number", \
                    "swap 'from' and 'to'"
            for key in spec["anchors"]:
                if not str(key).lstrip("-").isdigit() or not spec["from"] <= int(key) <= spec["to"]:
                    yield f"choice_lists.{name}.anchors.{key}", f"anchor {key!r} is not a point of the range", \
                        f"anchor a whole number from {spec['from']} to {spec['to']}"
            continue
        counts = Counter(option["value"] for option in spec)
        for value, count in counts.items():
            if count > 1:
                yield f"choice_lists.{name}", f"value {value!r} appears {count} times", "give each option its own value"


def rating_lists_are_ordered_numbers(doc, _file_name) -> Found:
    used = {item["choices"] for _, item in _items(doc) if item["type"] == "rating" and "choices" in item}
    for name in sorted(used):
        values = _choice_values(doc, name)
        if values is None:
            continue
        if not all(isinstance(v, int) for v in values) or values != sorted(values):
            yield f"choice_lists.{name}", "a rating scale needs whole-number values in increasing order", \
                "number the options 1, 2, 3, ... from the most negative to the most positive"


def questionnaire_has_one_outcome(doc, _file_name) -> Found:
    if doc["kind"] != "questionnaire":
        return
    outcomes = [path for path, item in _items(doc) if item["role"] == "outcome"]
    if len(outcomes) != 1:
        yield "items", f"a questionnaire needs exactly one overall-satisfaction (outcome) item, found {len(outcomes)}", \
            "mark the single overall-satisfaction question with role: outcome"


def outcome_is_five_or_eleven_points(doc, _file_name) -> Found:
    for path, item in _items(doc):
        if item["role"] == "outcome" and "choices" in item:
            values = _choice_values(doc, item["choices"])
            if values not in (None, list(range(1, 6)), list(range(0, 11))):
                yield f"{path}.choices", "the overall-satisfaction item must be on a 1-5 or a 0-10 scale", \
                    "use the drivers' 5-point list (values 1 to 5) or a range with from: 0 and to: 10"


def recommend_is_zero_to_ten(doc, _file_name) -> Found:
    recommends = [(path, item) for path, item in _items(doc) if item["role"] == "recommend"]
    if doc["kind"] == "questionnaire" and len(recommends) != 1:
        yield "items", f"a questionnaire needs exactly one recommend item (0-10, for the Net Promoter Score), " \
                       f"found {len(recommends)}", \
            "keep one item with role: recommend" if recommends else \
            "add an item with role: recommend, type: rating, on a choice list with from: 0 and to: 10"
    for path, item in recommends:
        if "choices" in item and _choice_values(doc, item["choices"]) not in (None, list(range(0, 11))):
            yield f"{path}.choices", "the recommend item must be on a 0-10 scale (for the Net Promoter Score)", \
                "use a choice list with from: 0 and to: 10"


def questionnaire_has_one_optional_comment(doc, _file_name) -> Found:
    if doc["kind"] != "questionnaire":
        return
    comments = [(path, item) for path, item in _items(doc) if item["role"] == "comment"]
    if len(comments) != 1:
        yield "items", f"a questionnaire needs exactly one open comment item, found {len(comments)}", \
            "keep one item with role: comment" if comments else \
            "add an optional item with role: comment, type: text, asking for suggestions or comments"
    for path, item in comments:
        if item.get("required"):
            yield f"{path}.required", "the open comment must be optional", "remove 'required: true'"


def respondent_items_are_optional(doc, _file_name) -> Found:
    if doc["kind"] != "questionnaire":
        return
    respondents = [(path, item) for path, item in _items(doc) if item["role"] == "respondent"]
    if not respondents:
        yield "items", "a questionnaire needs a few respondent items (such as resident or visitor, age band, " \
                       "gender, frequency of use), found none", "add optional items with role: respondent"
    for path, item in respondents:
        if item.get("required"):
            yield f"{path}.required", "respondent items must be optional", "remove 'required: true'"


def questionnaire_says_thank_you(doc, _file_name) -> Found:
    if doc["kind"] == "questionnaire" and "thank_you" not in doc:
        yield "thank_you", "a questionnaire needs the thank-you text shown after the last answer", \
            "add thank_you with a short text in each of the instrument's languages"


def drivers_share_one_scale(doc, _file_name) -> Found:
    if doc["kind"] != "questionnaire":
        return
    drivers = [(path, item) for path, item in _items(doc) if item["role"] == "driver"]
    if not MIN_DRIVERS <= len(drivers) <= MAX_DRIVERS:
        yield "items", f"a questionnaire needs {MIN_DRIVERS}-{MAX_DRIVERS} driver items, found {len(drivers)}", \
            "add or remove attribute ratings (role: driver)"
    scales = Counter(item.get("choices") for _, item in drivers)
    if len(scales) > 1:
        shared = scales.most_common(1)[0][0]
        for path, item in drivers:
            if item.get("choices") != shared:
                yield f"{path}.choices", f"driver uses scale {item.get('choices')!r} but the other drivers use {shared!r}", \
                    f"rate every driver on the one shared scale ({shared})"
    if drivers and scales:
        values = _choice_values(doc, scales.most_common(1)[0][0])
        if values is not None and len(values) != 5:
            yield "items", f"driver items must use a 5-point scale, theirs has {len(values)} points", \
                "use a balanced 5-point agreement or satisfaction scale"


def dimensions_are_declared_and_used(doc, _file_name) -> Found:
    declared = {dim["code"] for dim in doc["dimensions"]}
    needs_dimension = {"driver", "check"}
    used = set()
    for path, item in _items(doc):
        dim = item.get("dimension")
        if dim is None:
            if item["role"] in needs_dimension:
                yield path, f"a {item['role']} item needs a dimension", \
                    f"add 'dimension:' with one of: {', '.join(sorted(declared))}"
        elif dim not in declared:
            yield f"{path}.dimension", f"dimension {dim!r} is not declared", \
                f"declare it under dimensions or use one of: {', '.join(sorted(declared))}"
        else:
            used.add(dim)
    for index, dim in enumerate(doc["dimensions"]):
        if dim["code"] not in used:
            yield f"dimensions[{index}] ({dim['code']})", "no item belongs to this dimension", \
                "remove it or assign items to it"
    for index, code in enumerate(doc["provenance"]["dimensions"]):
        if code not in declared:
            yield f"provenance.dimensions[{index}]", f"{code!r} is not a declared dimension", \
                "list the codes of the dimensions declared under 'dimensions'"


def checklist_items_are_weighted(doc, _file_name) -> Found:
    for path, item in _items(doc):
        if item["role"] == "check":
            if "weight" not in item:
                yield path, "every checklist item needs a weight", "add 'weight:' with a positive number"
            elif item["weight"] <= 0:
                yield f"{path}.weight", f"weight must be positive, got {item['weight']}", "use a number above 0"
        else:
            for key in ("weight", "critical", "photo_on_fail", "action_on_fail", "acceptable"):
                if key in item:
                    yield f"{path}.{key}", f"{key!r} belongs to scored checklist items (role: check) only", f"remove '{key}'"


def checklist_has_critical_items_and_scoring(doc, _file_name) -> Found:
    if doc["kind"] != "checklist":
        if "scoring" in doc:
            yield "scoring", "only checklists are scored", "remove 'scoring'"
        return
    if not any(item.get("critical") for item in doc["items"]):
        yield "items", "a checklist needs at least one critical item", "mark the items whose failure is unacceptable with critical: true"
    scoring = doc.get("scoring")
    if scoring is None:
        yield "scoring", "a checklist must state how it is scored", "add scoring with critical_rule, grades and rule_text"
        return
    if scoring["critical_rule"] == "cap" and "cap_percent" not in scoring:
        yield "scoring", "critical_rule 'cap' needs cap_percent", "add cap_percent (for example 50)"
    minimums = [grade["min_percent"] for grade in scoring["grades"]]
    if minimums != sorted(minimums, reverse=True) or len(set(minimums)) != len(minimums) or minimums[-1] != 0:
        yield "scoring.grades", "grades must go from the best down, with distinct min_percent, the last at 0", \
            "order grades by min_percent, highest first, ending with min_percent: 0"


def checklist_says_which_failures_need_evidence(doc, _file_name) -> Found:
    if doc["kind"] != "checklist":
        return
    for key, what in (("photo_on_fail", "a photo"), ("action_on_fail", "a corrective-action note")):
        if not any(item.get(key) for item in doc["items"]):
            yield "items", f"no item says its failure needs {what}", \
                f"mark the items whose failure must be documented with {key}: true"


def measurements_state_their_range(doc, _file_name) -> Found:
    for path, item in _items(doc):
        if item["type"] == "measurement":
            if "unit" not in item:
                yield path, "a measurement needs a unit", "add 'unit:' with labels, for example fa: لوکس, en: lux"
            if "acceptable" not in item:
                yield path, "a measurement needs its acceptable range", "add 'acceptable:' with min and/or max"
        elif "acceptable" in item or ("unit" in item and item["type"] != "number"):
            yield path, "'acceptable' and 'unit' apply to measurements and numbers only", "remove them"
        low = (item.get("acceptable") or item).get("min")
        high = (item.get("acceptable") or item).get("max")
        if low is not None and high is not None and low >= high:
            yield path, f"minimum {low} is not below maximum {high}", "swap or correct the bounds"


def wait_time_has_a_standard(doc, _file_name) -> Found:
    waits = [(path, item) for path, item in _items(doc) if item["role"] == "wait_time"]
    for path, item in waits:
        if "service_standard" not in doc:
            yield path, "a waiting-time item needs the service's standard time to compare with", \
                "add service_standard with minutes and labels from the service card"
    if "service_standard" in doc and not waits:
        yield "service_standard", "a service standard is stated but no item asks the waiting or service time", \
            "add an item with role: wait_time"
    if len(waits) > 1:
        yield "items", f"at most one waiting/service time item is compared with the standard, found {len(waits)}", \
            "keep one item with role: wait_time"


def standard_is_measured_by_a_catalog_checklist(doc, _file_name) -> Found:
    link = doc.get("service_standard", {}).get("measured_by")
    if link and link.split(".")[0] not in catalog():
        yield "service_standard.measured_by", f"{link.split('.')[0]} is not in the catalog of 52 instruments", \
            "name a catalog checklist and its measured item as CODE.item, e.g. CIV-C06.queue_wait"


def dont_know_has_wording(doc, _file_name) -> Found:
    if any(item.get("dont_know") for item in doc["items"]) and "dont_know" not in doc:
        yield "dont_know", "items offer 'don't know' but its wording is missing", \
            "add dont_know with labels, e.g. fa: نمی‌دانم / مورد ندارد"


def _label_objects(doc) -> Iterator[tuple[list, dict]]:
    """Every labels object in the document with its path parts."""
    for key in ("title", "respondents", "introduction", "thank_you", "dont_know"):
        if key in doc:
            yield [key], doc[key]
    if "service_standard" in doc:
        yield ["service_standard", "labels"], doc["service_standard"]["labels"]
    if "scoring" in doc:
        yield ["scoring", "rule_text"], doc["scoring"]["rule_text"]
        for i, grade in enumerate(doc["scoring"]["grades"]):
            yield ["scoring", "grades", i, "labels"], grade["labels"]
    for i, dim in enumerate(doc["dimensions"]):
        yield ["dimensions", i, "labels"], dim["labels"]
    for name, spec in doc.get("choice_lists", {}).items():
        if isinstance(spec, dict):
            for key, labels in spec["anchors"].items():
                yield ["choice_lists", name, "anchors", key], labels
        else:
            for i, option in enumerate(spec):
                yield ["choice_lists", name, i, "labels"], option["labels"]
    for i, item in enumerate(doc["items"]):
        for key in ("labels", "hint", "unit"):
            if key in item:
                yield ["items", i, key], item[key]


def labels_are_complete(doc, _file_name) -> Found:
    languages = doc["languages"]
    for parts, labels in _label_objects(doc):
        path = describe_path(doc, parts)
        for lang in languages:
            text = labels.get(lang)
            if text is None:
                yield f"{path}.{lang}", f"missing {LANGUAGE_NAMES[lang]} text", \
                    f"add '{lang}:', since the instrument declares languages {', '.join(languages)}"
            elif not text.strip():
                yield f"{path}.{lang}", f"{LANGUAGE_NAMES[lang]} text is empty", "write the text or remove the language"
        for lang in labels:
            if lang not in languages:
                yield f"{path}.{lang}", f"{LANGUAGE_NAMES[lang]} text given but {lang} is not a declared language", \
                    f"add {lang} to languages or remove this text"


def _persian_texts(doc) -> Iterator[tuple[str, str]]:
    """(path, text) of every Persian text: the fa labels, and the provenance, which is written in
    English but names Persian sources (such as «شناسنامه خدمت») in Persian."""
    for parts, labels in _label_objects(doc):
        if labels.get("fa"):
            yield f"{describe_path(doc, parts)}.fa", labels["fa"]
    provenance = doc["provenance"]
    for key in ("model", "notes"):
        if key in provenance:
            yield f"provenance.{key}", provenance[key]
    for index, standard in enumerate(provenance.get("standards", [])):
        yield f"provenance.standards[{index}]", standard


def persian_letters_are_persian(doc, _file_name) -> Found:
    for path, text in _persian_texts(doc):
        for letter, (name, persian) in ARABIC_LETTERS.items():
            if letter in text:
                yield path, f"Persian text uses the Arabic letter {name}", f"type Persian {persian} instead"
        if ARABIC_INDIC_DIGITS.intersection(text):
            found = "".join(sorted(ARABIC_INDIC_DIGITS.intersection(text)))
            yield path, f"Persian text uses Arabic-Indic digits ({found}, U+0660-U+0669)", \
                "type Persian digits ۰۱۲۳۴۵۶۷۸۹ (U+06F0-U+06F9) instead"


def _repeated(entries, lang) -> Found:
    """Entries ``(path, labels)`` whose wording in ``lang`` repeats an earlier one's."""
    seen: dict[str, str] = {}
    for path, labels in entries:
        text = " ".join(labels.get(lang, "").split())
        if not text:
            continue
        if text in seen:
            yield f"{path}.labels.{lang}", f"same wording as {seen[text]}", "reword one of them or remove the duplicate"
        else:
            seen[text] = path


def wording_is_not_repeated(doc, _file_name) -> Found:
    """No two items, no two dimensions and no two options of one choice list say the same thing."""
    groups = [[(path, item["labels"]) for path, item in _items(doc)],
              [(f"dimensions[{i}] ({dim['code']})", dim["labels"]) for i, dim in enumerate(doc["dimensions"])]]
    for name, spec in doc.get("choice_lists", {}).items():
        if isinstance(spec, list):
            groups.append([(f"choice_lists.{name}[{i}]", option["labels"]) for i, option in enumerate(spec)])
    for lang in doc["languages"]:
        for entries in groups:
            yield from _repeated(entries, lang)


RULES = (
    code_matches_file_name, matches_the_catalog, persian_is_the_source, item_codes_are_unique, dimension_codes_are_unique,
    roles_fit_the_kind, types_fit_the_role, choice_items_name_a_list, choice_values_are_unique,
    rating_lists_are_ordered_numbers, questionnaire_has_one_outcome, outcome_is_five_or_eleven_points,
    recommend_is_zero_to_ten, questionnaire_has_one_optional_comment, respondent_items_are_optional,
    questionnaire_says_thank_you, drivers_share_one_scale, dimensions_are_declared_and_used,
    checklist_items_are_weighted, checklist_has_critical_items_and_scoring,
    checklist_says_which_failures_need_evidence, measurements_state_their_range, wait_time_has_a_standard,
    standard_is_measured_by_a_catalog_checklist,
    dont_know_has_wording, labels_are_complete, persian_letters_are_persian, wording_is_not_repeated,
)


def check_rules(doc: dict, file_name: str) -> list[tuple[str, str, str]]:
    """Run every rule and return all problems found."""
    found = []
    for rule in RULES:
        found.extend(rule(doc, file_name))
    return found


def check_rules_despite_shape(doc: dict, file_name: str) -> tuple[list[tuple[str, str, str]], int]:
    """Every rule that can run on a file the schema refused, and how many could not.

    The rules assume the shapes the schema guarantees; on a file with schema problems a rule may
    meet a missing key or a wrong type and fail. Such a rule is skipped (and counted) rather than
    hiding what every other rule finds, so one schema error does not hide seven rule errors."""
    found, skipped = [], 0
    for rule in RULES:
        try:
            found.extend(rule(doc, file_name))
        except (KeyError, TypeError, AttributeError, ValueError, IndexError):
            skipped += 1
    return found, skipped
