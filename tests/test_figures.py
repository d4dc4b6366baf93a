"""Targets of seed 001's 2025 plan and seed 002's 2024 plan; seed 002's 2023 target table."""

from followup.pipeline import run_audit
from followup.figures import rate_agrees, read_figures
from followup.matching import Lexicon
from followup.report.messages import say

from conftest import FIXED_TIME


def _targets(corpus, seed_docs, seed):
    doc, info = seed_docs[seed]
    plan = next(s for s in info.sections if s.kind == "plan")
    return [(f.metric, f.value, f.unit, f.qualifier, f.kind)
            for figures in corpus.targets(doc, plan).values() for f in figures]


def test_every_target_of_seed_001s_2025_plan(corpus, seed_docs):
    assert _targets(corpus, seed_docs, "001") == [
        ("全社会研发经费支出相当于地区生产总值", 4.7, "%", "力争", "ratio"),
        ("院士(专家)工作站", 6, "家", "", "new_count"),
        ("园区企业科协", 2, "家", "", "new_count"),
        ("科技工作者之家", 2, "家", "", "new_count"),
        ("有效高新技术企业数", 1210, "家", "力争", "level"),
        ("技术合同登记成交额", 23_000_000_000, "元", "力争", "level"),
        ("市级科技企业孵化器", 1, "家", "", "new_count"),
        ("科技履约贷金额", 150_000_000, "元", "完成", "level"),
        ("传播科普资源", 2_000_000, "次", "力争", "level"),
        ("线上线下覆盖人数", 600_000, "人", "争取", "level"),
        ("高质量科普阵地", 10, "家", "不少于", "new_count"),
        ("区规上科技服务业营收", 12, "%", "力争", "growth_rate"),
    ]


def test_every_target_of_seed_002s_2024_plan(corpus, seed_docs):
    targets = _targets(corpus, seed_docs, "002")
    expected = [
        ("生物医药产业规模", 10, "%", "力争", "growth_rate"),
        ("规模以上工业总产值", 183_300_000_000, "元", "完成", "level"),
        ("开工", 15, "个", "", "level"),
        ("竣工", 13, "个", "", "level"),
        ("投产", 10, "个", "", "level"),
        ("工业固投", 6_000_000_000, "元", "完成", "level"),
        ("有效纳税户数", 9240, "户", "", "new_count"),
        ("国家专精特新“小巨人”企业", 50, "家", "突破", "level"),
        ("消费品产业（化妆品）营收", 10, "%", "", "growth_rate"),
        ("战新产业", 30.5, "%", "提升至", "ratio"),
        ("优质项目工业上楼", 1_170_000, "平方米", "", "level"),
        ("绿色工厂", 5, "家", "", "new_count"),
        ("创新型中小企业", 300, "家", "", "new_count"),
        ("专精特新企业", 100, "家", "", "new_count"),
        ("专精特新“小巨人”企业", 5, "家", "", "new_count"),
    ]
    for item in expected:
        assert item in targets, item
    assert any("出让" in t[0] and t[1] == 27 for t in targets)


def test_seed_002s_2023_table_audits_19_sub_targets_and_flags_bad_rates(corpus, rules):
    result = run_audit(corpus, 2023, 2024, generated_at=FIXED_TIME)
    jingwei = next(a for a in result.audits if a.body == "青浦区经委")
    checks = [f for c in jingwei.commitments for f in c.figures]
    assert len(checks) == 19
    assert sum(f.status == "met" for f in checks) == 13 and sum(f.status == "partial" for f in checks) == 6
    mismatched = {f.target.metric: say(f.note, "en") for f in checks if f.rate_agrees is False}
    assert set(mismatched) == {"规上生物医药产值", "产业结构调整"}
    assert "82.4%" in mismatched["规上生物医药产值"] and "82.25%" in mismatched["规上生物医药产值"]
    kaigong = next(f for f in checks if f.target.metric.endswith("开工"))
    assert (kaigong.target.value, kaigong.actual.value, kaigong.completion) == (22, 17, 0.7727)
    row = next(c for c in jingwei.commitments if any(f.rate_agrees is False for f in c.figures))
    assert "rate_mismatch" in row.flags


def test_pending_targets_carry_the_latest_actual_and_the_gap(corpus, rules):
    result = run_audit(corpus, 2025, 2026, generated_at=FIXED_TIME)
    kewei = next(a for a in result.audits if a.body == "青浦区科委")
    check = next(f for c in kewei.commitments for f in c.figures if f.target.metric == "有效高新技术企业数")
    assert check.baseline.value == 1164 and "+46 家" in say(check.note, "en") and "+3.95%" in say(check.note, "en")


def test_printed_rates_agree_within_rounding():
    assert rate_agrees(77.3, 77.2727)
    assert rate_agrees(100, 100.21)
    assert not rate_agrees(82.4, 82.2469)
    assert not rate_agrees(112.3, 112.24)


def test_redacted_figures_never_yield_a_verdict(rules):
    lexicon = Lexicon(rules)
    [figure] = read_figures("区规上软信业企业营收达XX亿元", rules, lexicon)
    assert figure.value is None
    from followup.figures import compare
    target = figure.model_copy(update={"value": 10.0})
    assert compare(target, figure, rules).status == "unknown"


def test_a_new_count_is_not_taken_for_a_total(rules):
    from followup.figures import find_actual
    lexicon = Lexicon(rules)
    [target] = read_figures("力争全区有效高新技术企业数达1210家", rules, lexicon)
    candidates = read_figures("新增有效高新技术企业数359家", rules, lexicon)
    actual, note = find_actual(target, candidates, lexicon)
    assert actual is None and note.code == "neighbour_new_count" and "新增" in say(note, "en")
    candidates += read_figures("截至2024年底，有效高企数达1164家", rules, lexicon)
    actual, _ = find_actual(target, candidates, lexicon)
    assert actual.value == 1164 and actual.period.startswith("截至")


def test_a_growth_against_last_year_is_the_growth_of_the_figure_before(rules):
    # 国务院 2015: "国内生产总值达到63.6万亿元，比上年增长7.4%": 比上年 names no metric of its own.
    figures = read_figures("增速稳，国内生产总值达到63.6万亿元，比上年增长7.4%，在世界主要经济体中名列前茅。", rules, Lexicon(rules))
    growth = next(f for f in figures if f.kind == "growth_rate")
    assert (growth.metric, growth.value) == ("国内生产总值", 7.4)


def test_a_ratio_to_gdp_is_found_under_its_own_words(rules):
    # 上海 2025/2026: the plan's 研发经费支出相当于全市生产总值的比例 4.5%左右 and the review's same words
    # are one metric, though they hold the name of another (生产总值).
    from followup.figures import check_targets

    lexicon = Lexicon(rules)
    [target] = read_figures("全社会研发经费支出相当于全市生产总值的比例达到4.5%左右", rules, lexicon)
    reported = read_figures("全社会研发经费支出相当于全市生产总值的比例达到4.5%左右。", rules, lexicon)
    [check] = check_targets([target], reported, rules, lexicon)
    assert check.actual is not None and check.status == "met"
    # …while a narrower figure of a declared metric is still not taken for it.
    [gdp] = read_figures("地区生产总值增长5%左右", rules, lexicon)
    [narrow] = check_targets([gdp], read_figures("临港新片区地区生产总值增长8%。", rules, lexicon), rules, lexicon)
    assert narrow.actual is None


def test_a_ceiling_with_about_stays_a_ceiling(rules):
    # 国务院 2014: "居民消费价格涨幅控制在3.5%左右" is met by a rise of 2% (控制在: a ceiling).
    from followup.figures import check_targets

    lexicon = Lexicon(rules)
    [target] = read_figures("居民消费价格涨幅控制在3.5%左右", rules, lexicon)
    assert target.test == "at_most"
    [check] = check_targets([target], read_figures("居民消费价格上涨2%。", rules, lexicon), rules, lexicon)
    assert check.status == "met"


def test_a_figure_followed_by_another_clause_counts_what_comes_before(rules):
    # 四川 2026: "粮食产量达到732.5亿斤、创历史新高": the grain output, not a count of 创历史新高.
    grain = read_figures("粮食产量达到732.5亿斤、创历史新高，生猪出栏6248万头", rules, Lexicon(rules))[0]
    assert (grain.metric, grain.value) == ("粮食产量", 73_250_000_000)
    # …while a noun right after the figure is what it counts.
    [firms] = read_figures("培育300家创新型中小企业", rules, Lexicon(rules))
    assert firms.metric == "创新型中小企业"


def test_a_rate_in_a_list_of_new_counts_is_no_new_count(rules):
    # 国务院 2019: "城镇新增就业1361万人、调查失业率稳定在5%左右" answers 城镇调查失业率5.5%以内.
    from followup.figures import check_targets

    lexicon = Lexicon(rules)
    reported = read_figures("城镇新增就业1361万人、调查失业率稳定在5%左右的较低水平。", rules, lexicon)
    assert (reported[1].metric, reported[1].kind) == ("调查失业率", "level")
    [target] = read_figures("城镇调查失业率5.5％以内", rules, lexicon)
    [check] = check_targets([target], reported, rules, lexicon)
    assert check.status == "met" and check.actual.value == 5
