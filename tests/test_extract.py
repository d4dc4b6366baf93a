import re

from conftest import SEEDS
from followup.extract import commitment_id
from followup.extract import extract_commitments as _extract_commitments
from followup.extract import extract_outcomes as _extract_outcomes
from followup.models import SourceText
from followup.normalize import normalize
from followup.sections import identify
from followup.segments import segment_section


def extract_commitments(doc, section, series, rules):
    return _extract_commitments(segment_section(doc, section, rules), section.year, series, rules)


def extract_outcomes(doc, section, rules):
    return _extract_outcomes(segment_section(doc, section, rules), doc, rules)


def _squash(text):
    return re.sub(r"\s+", "", text)


def test_seed_000_plan_has_33_commitments_each_a_sentence_of_the_plan(seed_docs, rules):
    doc, info = seed_docs["000"]
    commitments = extract_commitments(doc, info.sections[1], info.series, rules)
    assert len(commitments) == 33
    plan_text = _squash("".join(p.text for p in doc.paragraphs[info.sections[1].first_paragraph:]))
    for c in commitments:
        assert _squash(c.text) in plan_text
        assert c.actions and all(_squash(a) in _squash(c.text) for a in c.actions)
    texts = [c.text for c in commitments]
    assert not any(t.startswith("2024 年是实现") for t in texts)  # the preamble
    assert not any("青浦区科学技术委员会" == t or t.startswith("2024 年 3 月") for t in texts)  # signature
    assert len({c.id for c in commitments}) == 33


def test_actions_are_the_clauses(seed_docs, rules):
    doc, info = seed_docs["000"]
    first = extract_commitments(doc, info.sections[1], info.series, rules)[0]
    assert first.actions == [
        "要持续推进市西软件信息园扩园产业规划", "加强市西软件信息园、北斗创新基地等重点园区跟踪服务",
        "动态优化产业政策支撑", "提升精准服务水平", "推动产业规模持续增长",
    ]
    assert first.line == 269 and first.section == "一、激活科创动能，推动产业升级转型 / （一）夯实核心产业支撑"


def test_ids_survive_an_edit_elsewhere_in_the_document(seed_docs, rules):
    doc, info = seed_docs["000"]
    before = {c.text: c.id for c in extract_commitments(doc, info.sections[1], info.series, rules)}
    raw = (SEEDS / doc.name).read_text(encoding="utf-8")
    edited = raw.replace("（二）强化科技服务引领。", "（二）强化科技服务引领。要新增一项试点工作。")
    doc2 = normalize(SourceText(name=doc.name, text=edited, encoding="utf-8", sha1="x"), rules)
    info2, _ = identify(doc2, rules)
    after = {c.text: c.id for c in extract_commitments(doc2, info2.sections[1], info2.series, rules)}
    assert len(after) == 34
    assert all(after[t] == i for t, i in before.items())


def test_commitment_id_is_deterministic_and_disambiguates_repeats():
    seen = {}
    a = commitment_id(2024, "青浦区科委", "要推进。", seen)
    b = commitment_id(2024, "青浦区科委", "要推进。", seen)
    assert b == a + "-2" and a == commitment_id(2024, "青浦区科委", "要 推进。", {})


def test_target_table_rows_of_a_plan_are_commitments(seed_docs, rules):
    doc, info = seed_docs["002"]
    texts = [c.text for c in extract_commitments(doc, info.sections[1], info.series, rules)]
    assert "生物医药产业规模力争增长 10%" in texts
    assert "创建绿色工厂 5 家" in texts
    assert not any(t.startswith("2024 年区级“挂图作战”重点工作任务目标") for t in texts)  # the caption
    assert not any(t.startswith("2024 年，青浦区经委将紧盯") for t in texts)  # the preamble


def test_outcomes_keep_line_numbers_and_split_long_sentences(seed_docs, rules):
    doc, info = seed_docs["001"]
    outcomes = extract_outcomes(doc, info.sections[0], rules)
    by_text = {o.text: o for o in outcomes}
    assert by_text["研究制定青浦区科技服务业产业扶持政策。"].line == 16
    assert all(len(o.text) <= 200 for o in outcomes)
    assert not any(o.is_heading_sentence for o in outcomes)


def _commitment(text, path=(), section="（六）民生"):
    from followup.models import Commitment

    return Commitment(id=commitment_id(2025, "x", text, {}), section=section, path=list(path), text=text, line=1, actions=[text])


def test_sets_of_projects_are_named_with_their_size(rules):
    from followup.extract import named_sets

    assert named_sets("办好十件民生实事", rules) == (["民生实事"], "10")
    assert named_sets("今年再办好15件民生实事", rules) == (["民生实事"], "15")
    assert named_sets("民心工程和民生实事全面完成", rules) == (["民心工程", "民生实事"], None)
    assert named_sets("加大稳外贸力度", rules) == ([], None)  # an umbrella topic is no set


def test_a_line_closing_a_set_is_found_but_never_in_a_five_year_record(rules):
    from followup.extract import extract_blanket_lines
    from followup.models import Segment

    def seg(text, five_year=False):
        return Segment(text=text, norm=text, line=1, path=[], paragraph=0, five_year=five_year)

    lines = extract_blanket_lines([seg("十件民生实事全面完成。"), seg("居民人均可支配收入增长4.3%。"),
                                   seg("五年来，累计办成民生实事150件，全部兑现。", five_year=True),
                                   seg("全面完成全年目标任务。")], rules)
    assert [(b.segment.text, b.sets, b.count) for b in lines] == [("十件民生实事全面完成。", ["民生实事"], "10")]


def test_items_listed_after_a_counted_set_belong_to_it(rules):
    from followup.extract import project_sets

    lead = _commitment("着眼促进人的现代化，今年再办好15件民生实事。")
    items = [_commitment("一是新建改造50个社区养老工程。"), _commitment("二是为2万名高危人群进行上消化道健康筛查。")]
    after = _commitment("用心尽力把群众身边的大事小情解决好。")
    later = _commitment("三是深化医药卫生体制改革。")
    elsewhere = _commitment("一是扩大有效投资。", section="（二）投资")
    headed = _commitment("一是为老年人提供健康管理服务；", path=["（十）民生", "办好十件民生实事"])
    members = project_sets([lead, *items, after, later, elsewhere, headed], rules)
    assert members[lead.id].count == "15" and all(members[i.id] == members[lead.id] for i in items)
    assert after.id not in members and later.id not in members and elsewhere.id not in members
    assert members[headed.id].heading == "办好十件民生实事" and members[headed.id].count == "10"


def test_a_years_mean_is_no_five_year_record(rules):
    # 上海 2026: "PM2.5年均浓度为26.3微克/立方米…新增公园127座" reports the year; 年均增长 is five years.
    from followup.extract import _five_year

    assert not _five_year("PM2.5年均浓度为26.3微克/立方米、下降7.4%，新增公园127座。", rules, 2025)
    assert _five_year("居民人均可支配收入年均增长5%。", rules, 2025)


def test_a_record_of_five_years_runs_from_its_opening_to_the_next_passage_on_the_year(rules):
    # 广东 2026 (一、2025年和“十四五”时期工作回顾): the year's passage, then "经过五年接续奋斗…" and paragraphs of
    # five-year figures that carry no cue of their own, then (四川 2026) "过去一年，…" on the year again.
    from followup.extract import _marked
    from followup.models import Segment

    texts = ["城镇新增就业149.4万人、超额完成国家下达任务。", "经过五年接续奋斗，我省“十四五”顺利收官。",
             "这是经济实力持续提升的五年。", "地区生产总值从11.37万亿元提高到14.58万亿元。", "过去一年，我们持续加强政府自身建设。"]
    segments = [Segment(text=t, norm=t, line=i + 1, path=[], paragraph=i) for i, t in enumerate(texts)]
    assert [s.five_year for s in _marked(segments, rules, None)] == [False, True, True, True, False]


def test_a_task_with_a_special_case_is_no_statement(rules):
    # 国务院 2014: "加强农村特别是边远贫困地区教师队伍建设…" commits; 特别是 is no copula.
    from followup.extract import is_stance

    assert not is_stance("加强农村特别是边远贫困地区教师队伍建设，扩大优质教育资源覆盖面。", rules)
    assert not is_stance("支持中小企业尤其是科技型企业发展。", rules)
    assert is_stance("保障粮食安全的要害是种子和耕地。", rules)


def test_the_problems_a_review_owns_to_are_no_outcomes(rules):
    # 国务院 2015 and 2016 (one sentence a line): "我们既要看到成绩，更要看到…困难和挑战。" then the problems, up to
    # the next passage ("2015年是“十二五”收官之年。"); "新的消费热点不多" must never answer 培育消费热点.
    from followup.extract import _problems
    from followup.models import Segment

    texts = ["全国居民人均可支配收入实际增长8%。", "我们既要看到成绩，更要看到前进中的困难和挑战。",
             "投资增长乏力，新的消费热点不多。", "政府工作还存在不足，有些政策措施落实不到位。", "2015年是“十二五”收官之年。"]
    one_a_line = [Segment(text=t, norm=t, line=i + 1, path=[], paragraph=i) for i, t in enumerate(texts)]
    assert _problems(one_a_line, rules, 2015) == [False, True, True, True, False]
    # 北京 2026: the problems are one paragraph; the next paragraph is about something else.
    texts = ["同时，我们也清醒认识到，工作中还存在不少问题不足和风险挑战。", "有效需求仍显不足。", "全年新增就业26.1万人。"]
    paragraphs = [Segment(text=t, norm=t, line=1, path=[], paragraph=0 if i < 2 else 1) for i, t in enumerate(texts)]
    assert _problems(paragraphs, rules, 2025) == [True, True, False]
