"""The words the report shows, in one place (Chinese first: the auditors read Chinese)."""

MESSAGES = {
    "zh": {
        "title": "工作要点落实情况审计",
        "status.met": "已完成",
        "status.partial": "部分完成",
        "status.silent": "未提及",
        "status.pending": "待核查",
        "flag.echo": "照搬原文",
        "flag.rate_mismatch": "完成率与计算不符",
        "flag.partial_period": "非全年数据",
        "fig.metric": "指标",
        "fig.target": "目标",
        "fig.actual": "实际",
        "fig.completion": "完成率",
        "fig.baseline": "上年基数",
        "fig.printed": "文件所载",
        "verb.done": "已完成",
        "verb.ongoing": "推进中",
        "verb.intent": "仅表态",
        "plan": "工作要点",
        "summary": "工作总结",
        "commitments": "承诺事项",
        "evidence": "佐证原文",
        "no_evidence": "总结中未找到对应表述",
        "nearest_miss": "最接近的表述（未达匹配阈值）",
        "searched": "检索范围",
        "rules": "触发规则",
        "actions": "分项",
        "confidence": "置信度",
        "score": "匹配度",
        "line": "行",
        "warnings": "提示",
        "generated": "生成时间",
        "corpus": "文档库",
        "rules_folders": "规则目录",
        "filter": "筛选",
        "all": "全部",
        "pending_reason": "原因",
        "outcomes_searched": "条总结表述",
        "version": "版本",
    },
}


def catalogue(lang: str = "zh") -> dict[str, str]:
    return MESSAGES.get(lang, MESSAGES["zh"])
