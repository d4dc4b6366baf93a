import pytest

from followup.errors import RulesError
from followup.rules import check_folder, load_rules


def _folder(tmp_path, text, name="mine.yaml"):
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_default_rules_are_valid_and_complete(rules):
    assert rules.thresholds["action_match"] > 0
    assert rules.verbs["印发"] == "done" and rules.verbs["研究制定"] == "ongoing"
    assert "高企" in rules.aliases["高新技术企业"]
    assert rules.origin[("aliases", "高新技术企业")].startswith("rules/aliases.yaml:")


def test_a_user_rule_overrides_the_default_of_the_same_name(tmp_path):
    folder = _folder(tmp_path, "verbs:\n  推进: done\nthresholds:\n  action_match: 0.6\n")
    rules = load_rules(folder)
    assert rules.verbs["推进"] == "done"
    assert rules.thresholds["action_match"] == 0.6
    assert rules.verbs["印发"] == "done"  # the other defaults stay
    assert rules.origin[("verbs", "推进")] == f"{folder}/mine.yaml:2"


@pytest.mark.parametrize(
    "text, line, expected",
    [
        ("aliases:\n  高企: [a, b\n", 3, "not valid YAML"),
        ("aliasez:\n  高企: [高新]\n", 1, "unknown rule kind"),
        ("aliases:\n  高新技术企业: []\n", 2, "empty list"),
        ("aliases:\n  高新技术企业: [高企]\n  高新技术企业: [高新企业]\n", 3, "duplicate name"),
        ("thresholds:\n  action_match: high\n", 2, "thresholds.action_match"),
        ("thresholds:\n  action_match: 1.5\n", 2, "less than or equal to 1"),
        ("ignore:\n  x:\n    pattern: '(['\n", 3, "not a valid regular expression"),
        ("ignore:\n  x:\n    pattern: 'a'\n    scop: line\n", 4, "unknown key"),
        ("verbs:\n  出台: finished\n", 2, "verbs.出台"),
        ("- just\n- a list\n", 1, "mapping of rule kinds"),
    ],
)
def test_each_invalid_file_gets_one_message_with_file_and_line(tmp_path, text, line, expected):
    folder = _folder(tmp_path, text)
    _, problems = check_folder(folder)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{folder}/mine.yaml:{line}: ")
    assert expected in problems[0]
    with pytest.raises(RulesError):
        load_rules(folder)


def test_a_missing_rules_folder_is_reported(tmp_path):
    with pytest.raises(RulesError) as err:
        load_rules(tmp_path / "nope")
    assert "no such rules folder or file" in err.value.problems[0]
