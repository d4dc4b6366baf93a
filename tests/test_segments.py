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
