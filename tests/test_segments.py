from followup.segments import clauses, segment_section


def test_sentences_split_outside_quotes_and_brackets(seed_docs, rules):
    doc, info = seed_docs["001"]
    segments = segment_section(doc, info.sections[0], rules)
    texts = [s.text for s in segments]
    assert "研究制定青浦区科技服务业产业扶持政策。" in texts
    # "(注册、实地、…)" and “五类” do not cut the sentence.
    assert any(t.startswith("梳理“五类”(注册、实地、规上、待纳统、有潜力)企业名单") for t in texts)


def test_item_heading_goes_into_the_path_not_into_sentences(seed_docs, rules):
    doc, info = seed_docs["000"]
    segments = segment_section(doc, info.sections[1], rules)
    first = next(s for s in segments if s.text.startswith("要持续推进市西软件信息园"))
    assert first.path == ["一、激活科创动能，推动产业升级转型", "（一）夯实核心产业支撑"]
    headings = [s.text for s in segments if s.is_heading_sentence]
    assert "（一）夯实核心产业支撑。" in headings


def test_enumerated_items_are_cut_at_each_item(seed_docs, rules):
    doc, info = seed_docs["002"]
    texts = [s.text for s in segment_section(doc, info.sections[1], rules)]
    assert any(t.startswith("二是促进北斗导航产业集群发展") for t in texts)
    assert any(t.startswith("一是推动人工智能产业融合发展") and "二是" not in t for t in texts)


def test_clauses_cut_at_commas_but_not_inside_quotes():
    text = "要夯实信息通信基础设施底座，深化“光耀申城”、“满格上海”计划，构建立体覆盖、快速响应的网络连接能力。"
    assert clauses(text) == ["要夯实信息通信基础设施底座", "深化“光耀申城”、“满格上海”计划", "构建立体覆盖、快速响应的网络连接能力"]
    assert clauses("出让 27 个，开工(15,个)") == ["出让 27 个", "开工(15,个)"]


def _report_segments(text, rules, year=2025):
    from followup.models import Section, SourceText
    from followup.normalize import normalize

    doc = normalize(SourceText(name="report.txt", text=text, encoding="utf-8", sha1="0"), rules)
    section = Section(kind="plan", year=year, heading="", line=1, first_paragraph=0, end_paragraph=len(doc.paragraphs))
    return segment_section(doc, section, rules, report=True)


def test_short_items_of_a_list_are_tasks_not_headings(rules):
    # Cut from 山西省's 2025 report: fifteen 民生实事, several short enough to look like run-in headings.
    text = ("着眼促进人的现代化，今年再办好15件民生实事。一是新建改造50个社区养老工程。二是为2万名高危人群进行上消化道健康筛查。"
            "三是配置自动体外除颤器1000台，培训红十字救护员5万人。四是实施住宅自愿加装电梯600部。\n")
    segments = _report_segments(text, rules)
    items = [s for s in segments if s.text[:2] in ("一是", "二是", "三是", "四是")]
    assert len(items) == 4 and not any(s.is_heading_sentence for s in items)
    assert all("二是" not in " ".join(s.path) for s in segments)


def test_an_item_with_sentences_under_it_still_heads_them(seed_docs, rules):
    doc, info = seed_docs["002"]
    segments = segment_section(doc, info.sections[1], rules)
    under = next(s for s in segments if s.text.startswith("坚持“制造+研发”融合"))
    assert under.path[-1].startswith("七是加快生") and not under.is_heading_sentence
