import cn2an
import pytest
from hypothesis import given, settings, strategies as st

from followup.quantities import parse_quantities


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("1.4245 亿元", 142_450_000, "元"),
        ("5700万元", 57_000_000, "元"),
        ("189.65万次", 1_896_500, "次"),
        ("一千二百一十家", 1210, "家"),
        ("增长百分之十二", 12, "%"),
        ("提高0.12个百分点", 0.12, "个百分点"),
        ("117 万方", 1_170_000, "平方米"),
        ("51万人", 510_000, "人"),
        ("三十万人", 300_000, "人"),
        ("１２１０家", 1210, "家"),
    ],
)
def test_reads_figures_as_a_person_does(rules, text, value, unit):
    [q] = parse_quantities(text, rules)
    assert q.value == pytest.approx(value) and q.unit == unit


def test_yi_and_wan_compare_equal(rules):
    [a] = parse_quantities("1.46亿元", rules)
    [b] = parse_quantities("14600万元", rules)
    assert a.value == b.value and a.unit == b.unit


def test_ranges_keep_both_ends(rules):
    [q] = parse_quantities("2000-5000 吨", rules)
    assert (q.value, q.high) == (2000, 5000)


@pytest.mark.parametrize("text", ["营收达XX亿元", "税收XX亿元"])
def test_redacted_figures_are_never_numbers(rules, text):
    [q] = parse_quantities(text, rules)
    assert q.redacted and q.value is None


@pytest.mark.parametrize("text", ["2024年工作要点", "1-11月", "一是大项目", "“四个一批”项目", "四个方面", "万元", "亿元以上", "家企业"])
def test_words_and_dates_are_not_figures(rules, text):
    assert parse_quantities(text, rules) == []


def test_two_figures_in_one_clause_are_two(rules):
    assert [q.value for q in parse_quantities("出让 27 个、开工 15 个", rules)] == [27, 15]


@settings(deadline=None, max_examples=200)
@given(
    st.integers(min_value=1, max_value=99_999_999),
    st.sampled_from([("", 1), ("万", 10_000), ("亿", 100_000_000)]),
    st.sampled_from(["家", "元", "人", "项", "亩"]),
    st.booleans(),
)
def test_any_value_in_arabic_or_chinese_numerals_parses_back(rules, n, multiplier, unit, chinese):
    word, factor = multiplier
    numeral = cn2an.an2cn(str(n)) if chinese else str(n)
    if chinese and word and ("万" in numeral or "亿" in numeral):
        return  # 三十一万八千一百万 is not how anyone writes a figure
    quantities = parse_quantities(f"共{numeral}{word}{unit}。", rules)
    assert len(quantities) == 1
    assert quantities[0].value == pytest.approx(n * factor)


@settings(deadline=None)
@given(st.text(max_size=80))
def test_never_raises_on_any_text(rules, text):
    for q in parse_quantities(text, rules):
        assert q.redacted or q.value is not None


def test_an_index_has_no_unit(rules):
    # 两化融合指数达到92: after a word that names an index a bare number is its value; a unit that
    # follows still makes it what the unit says (指数下降13.3% is a percentage).
    [q] = parse_quantities("两化融合指数达到92", rules)
    assert (q.value, q.unit, q.raw) == (92, "", "92")
    [p] = parse_quantities("指数下降13.3%", rules)
    assert (p.value, p.unit) == (13.3, "%")
