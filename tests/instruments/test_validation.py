"""Instrument files: the schema and every semantic rule, with errors naming file, place and fix."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from surveyor.cli import main
from surveyor.config import PROJECT_ROOT
from surveyor.instruments import InstrumentError, discover_files, load_file, validate_files

EXEMPLAR = PROJECT_ROOT / "questionnaires" / "trn-q01.yaml"


def original() -> dict:
    return yaml.safe_load(EXEMPLAR.read_text(encoding="utf-8"))


def write(tmp_path: Path, doc: dict, name: str = "trn-q01.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_of(tmp_path, doc, name="trn-q01.yaml") -> list[str]:
    with pytest.raises(InstrumentError) as caught:
        load_file(write(tmp_path, doc, name))
    return [str(p) for p in caught.value.problems]


def item(doc, code):
    return next(i for i in doc["items"] if i["code"] == code)


def test_every_shipped_instrument_is_valid():
    loaded, problems = validate_files(discover_files(PROJECT_ROOT), PROJECT_ROOT)
    assert problems == []
    codes = {entry.definition["code"] for entry in loaded}
    assert {"TRN-Q01", "SRV-Q04", "TRN-C01", "SRV-C01"} <= codes  # the four exemplars


def test_validate_command_passes_on_the_real_files():
    result = CliRunner().invoke(main, ["instruments", "validate"], env={"SURVEYOR_INSTRUMENTS_DIR": str(PROJECT_ROOT)})
    assert result.exit_code == 0, result.output
    assert "0 with problems" in result.output


def test_validate_command_reports_every_error_of_a_broken_copy(tmp_path):
    doc = original()
    del item(doc, "headway")["labels"]["ar"]                      # a missing translation
    item(doc, "signage")["code"] = "headway"                       # a duplicate code
    item(doc, "crowding")["labels"]["fa"] = "میزان شلوغي واگن"     # Arabic yeh in Persian
    item(doc, "recommend")["role"] = "outcome"                     # a second outcome
    item(doc, "punctuality")["dimension"] = "speed"                # an undeclared dimension
    path = write(tmp_path, doc)

    result = CliRunner().invoke(main, ["instruments", "validate", str(path)])

    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "trn-q01.yaml:" in line]
    expected = [
        ("items[1] (headway).labels.ar", "missing Arabic text"),
        ("items[8] (headway).code", "used 2 times"),
        ("items[3] (crowding).labels.fa", "«ي»"),
        ("items", "exactly one overall-satisfaction (outcome) item, found 2"),
        ("items[2] (punctuality).dimension", "'speed' is not declared"),
    ]
    for where, what in expected:
        assert any(where in line and what in line and "Fix:" in line for line in lines), (where, what, lines)
    assert "1 with problems (" in result.output


def test_schema_errors_are_all_reported_with_their_place(tmp_path):
    doc = original()
    doc["colour"] = "blue"
    item(doc, "overall")["type"] = "stars"
    del doc["title"]
    found = problems_of(tmp_path, doc)
    assert any("unknown key(s) 'colour'" in p for p in found)
    assert any("items[0] (overall).type" in p and "'stars' is not one of" in p for p in found)
    assert any("'title' is required but missing" in p for p in found)


def test_one_schema_error_does_not_hide_the_rule_errors(tmp_path):
    """A wrong role (schema) and, in the same file, a duplicate code, an Arabic «ي» in Persian
    and an undeclared dimension (rules): all four are reported in one run."""
    doc = original()
    item(doc, "rider_type")["role"] = "respondant"                 # schema: not a known role
    item(doc, "signage")["code"] = "headway"                        # rule: duplicate code
    item(doc, "crowding")["labels"]["fa"] = "میزان شلوغي واگن"      # rule: Arabic yeh
    item(doc, "punctuality")["dimension"] = "speed"                 # rule: undeclared dimension
    found = problems_of(tmp_path, doc)
    for where, what in [(".role", "'respondant' is not one of"), ("(headway).code", "used 2 times"),
                        ("(crowding).labels.fa", "«ي»"), ("(punctuality).dimension", "'speed' is not declared")]:
        assert any(where in p and what in p for p in found), (where, what, found)


def test_yaml_syntax_errors_name_the_line(tmp_path):
    path = tmp_path / "trn-q01.yaml"
    path.write_text("code: TRN-Q01\nitems: [\n  - broken: {\n", encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_file(path)
    assert "is not valid YAML" in str(caught.value) and "line " in str(caught.value)


def mutate(doc, change):
    doc = copy.deepcopy(doc)
    change(doc)
    return doc


RULE_CASES = [
    ("file name", lambda d: None, "other.yaml", "does not match the file name"),
    ("kind vs code", lambda d: d.update(kind="checklist"), None, "does not fit code"),
    ("persian first", lambda d: d.update(languages=["en", "fa", "ar"]), None, "Persian (fa) must come first"),
    ("catalog languages", lambda d: d.update(languages=["fa", "en"]), None, "the languages fa en ar"),
    ("catalog domain", lambda d: d.update(domain="urban services"), None, "the catalog puts TRN-Q01 in 'transport'"),
    ("catalog code", lambda d: d.update(code="TRN-Q99"), "trn-q99.yaml", "is not in the catalog"),
    ("extra language", lambda d: d.update(languages=["fa", "en"]), None,
     "ar is not a declared language"),
    ("empty label", lambda d: d["title"].update(en="  "), None, "English text is empty"),
    ("no choice list", lambda d: item(d, "overall").pop("choices"), None, "needs a choice list"),
    ("unknown list", lambda d: item(d, "overall").update(choices="nope"), None, "'nope' is not declared"),
    ("role in kind", lambda d: item(d, "comment").update(role="check"), None, "is not used in a questionnaire"),
    ("type for role", lambda d: item(d, "comment").update(type="number"), None, "cannot be of type 'number'"),
    ("few drivers", lambda d: d.update(items=[i for i in d["items"] if i["role"] != "driver"][:1] + d["items"][1:4]),
     None, "6-14 driver items"),
    ("recommend scale", lambda d: item(d, "recommend").update(choices="satisfaction5"), None, "0-10 scale"),
    ("shared scale", lambda d: item(d, "headway").update(choices="likelihood11"), None, "the one shared scale"),
    ("unused dimension", lambda d: d["dimensions"].append({"code": "price", "labels": d["title"]}), None,
     "no item belongs to this dimension"),
    ("weight on questionnaire", lambda d: item(d, "headway").update(weight=2), None, "checklist items"),
    ("wait without standard", lambda d: d.pop("service_standard"), None, "needs the service's standard time"),
    ("dont know wording", lambda d: d.pop("dont_know"), None, "wording is missing"),
    ("repeated wording", lambda d: item(d, "punctuality")["labels"].update(en=item(d, "headway")["labels"]["en"]),
     None, "same wording as items[1] (headway)"),
    ("repeated option wording", lambda d: d["choice_lists"]["gender"][1]["labels"].update(
        fa=d["choice_lists"]["gender"][0]["labels"]["fa"]), None,
     "choice_lists.gender[1].labels.fa: same wording as choice_lists.gender[0]. Fix: reword one"),
    ("repeated dimension wording", lambda d: d["dimensions"][1]["labels"].update(
        ar=" " + d["dimensions"][0]["labels"]["ar"]), None,
     f"dimensions[1] ({original()['dimensions'][1]['code']}).labels.ar: same wording as dimensions[0] "
     f"({original()['dimensions'][0]['code']})"),
    ("alef maksura in Persian", lambda d: item(d, "crowding")["labels"].update(fa="میزان شلوغى واگن"), None,
     "items[3] (crowding).labels.fa: Persian text uses the Arabic letter «ى» (Arabic alef maksura, U+0649). "
     "Fix: type Persian «ی» (U+06CC) instead"),
    ("Arabic-Indic digits in Persian", lambda d: d["choice_lists"]["age_band"][0]["labels"].update(
        fa="کمتر از ٣٠ سال"), None,
     "choice_lists.age_band[0].labels.fa: Persian text uses Arabic-Indic digits (٠٣, U+0660-U+0669). "
     "Fix: type Persian digits ۰۱۲۳۴۵۶۷۸۹"),
    ("Arabic kaf in the provenance", lambda d: d["provenance"]["standards"].append("ضوابط ايمنى كشور"), None,
     "provenance.standards[1]: Persian text uses the Arabic letter «ك»"),
    ("Arabic yeh in the provenance", lambda d: d["provenance"].update(model=d["provenance"]["model"] + " (علي)"),
     None, "provenance.model: Persian text uses the Arabic letter «ي»"),
    ("duplicate option", lambda d: d["choice_lists"]["gender"].append(d["choice_lists"]["gender"][0]), None,
     "appears 2 times"),
    ("number bounds", lambda d: item(d, "wait_minutes").update(min=50, max=10), None, "is not below maximum"),
]


@pytest.mark.parametrize("name, change, file_name, expected", RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_each_rule_reports_its_problem(tmp_path, name, change, file_name, expected):
    found = problems_of(tmp_path, mutate(original(), change), file_name or "trn-q01.yaml")
    assert any(expected in p for p in found), found


def without(doc, role):
    doc["items"] = [i for i in doc["items"] if i["role"] != role]


def second(doc, code, new_code):
    copied = copy.deepcopy(item(doc, code))
    copied["code"] = new_code
    copied["labels"] = {lang: f"{text} (2)" for lang, text in copied["labels"].items()}
    doc["items"].append(copied)


# What catalog.md says every questionnaire contains: (change, place, what is wrong, start of the fix).
REQUIRED_PARTS = [
    ("no recommend", lambda d: without(d, "recommend"),
     "items", "exactly one recommend item (0-10, for the Net Promoter Score), found 0",
     "add an item with role: recommend"),
    ("two recommends", lambda d: second(d, "recommend", "recommend_again"),
     "items", "exactly one recommend item (0-10, for the Net Promoter Score), found 2", "keep one"),
    ("no thank-you", lambda d: d.pop("thank_you"),
     "thank_you", "needs the thank-you text", "add thank_you"),
    ("empty thank-you", lambda d: d["thank_you"].update(fa=" "),
     "thank_you.fa", "Persian text is empty", "write the text"),
    ("no comment", lambda d: without(d, "comment"),
     "items", "exactly one open comment item, found 0", "add an optional item with role: comment"),
    ("two comments", lambda d: second(d, "comment", "comment_again"),
     "items", "exactly one open comment item, found 2", "keep one"),
    ("required comment", lambda d: item(d, "comment").update(required=True),
     "items[18] (comment).required", "the open comment must be optional", "remove 'required: true'"),
    ("no respondent items", lambda d: without(d, "respondent"),
     "items", "a few respondent items", "add optional items with role: respondent"),
    ("required respondent item", lambda d: item(d, "rider_type").update(required=True),
     "items[14] (rider_type).required", "respondent items must be optional", "remove 'required: true'"),
    ("outcome on 7 points", lambda d: (d["choice_lists"].update(seven={"from": 1, "to": 7, "anchors": {}}),
                                       item(d, "overall").update(choices="seven")),
     "items[0] (overall).choices", "on a 1-5 or a 0-10 scale", "use the drivers' 5-point list"),
    ("two wait times", lambda d: second(d, "wait_minutes", "wait_again"),
     "items", "at most one waiting/service time item", "keep one item with role: wait_time"),
]


@pytest.mark.parametrize("name, change, where, what, fix", REQUIRED_PARTS, ids=[c[0] for c in REQUIRED_PARTS])
def test_a_questionnaire_must_have_the_parts_the_catalog_lists(tmp_path, name, change, where, what, fix):
    found = problems_of(tmp_path, mutate(original(), change))
    assert any(p.startswith(f"{tmp_path / 'trn-q01.yaml'}: {where}: ") and what in p and f"Fix: {fix}" in p
               for p in found), found


def test_normalized_definition_expands_scales_and_fills_defaults():
    definition = load_file(EXEMPLAR)
    recommend = next(i for i in definition["items"] if i["code"] == "recommend")
    assert [o["value"] for o in recommend["options"]] == list(range(11))
    assert recommend["options"][7]["labels"] == {"fa": "۷", "en": "7", "ar": "٧"}
    assert recommend["options"][0]["anchor"]["en"] == "Not at all likely"
    comment = next(i for i in definition["items"] if i["code"] == "comment")
    assert comment["required"] is False and comment["dimension"] is None
    assert "choice_lists" not in definition


def test_a_choice_list_error_names_the_option_not_the_whole_list(tmp_path):
    doc = original()
    doc["choice_lists"]["gender"][1]["labels"]["Male"] = "typo"
    found = problems_of(tmp_path, doc)
    assert "choice_lists.gender[1].labels: unknown key(s) 'Male'" in found[0]
    assert all("could not run on this file's shape" in p for p in found[1:])
