"""Finding the outcome statements that answer each action of a commitment.

Chinese has no spaces, so text is compared as overlapping character pairs (高新, 新技, 技术 …),
after aliases are read as their canonical name (高企 → 高新技术企业) and words that carry no content
(要, 进一步, 的 …) are set aside. Each pair is weighted by how rare it is in the corpus: 发展 and
推进 are everywhere and say little; 揭榜 or 孵化 say what a sentence is about. An outcome answers an
action when it holds most of the action's weight. rapidfuzz measures how closely an outcome repeats
the plan's own words (an echo).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from bisect import insort
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from operator import itemgetter
from sys import intern

from rapidfuzz import fuzz

from followup.models import Commitment, Segment
from followup.normalize import fold
from followup.quantities import parse_quantities
from followup.rules import Rules
from followup.words import cut

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+]*")
_BREAK = "\x00"


def has_figure(text: str, rules: Rules) -> bool:
    """Whether a sentence reports a number with a unit (a redacted XX is no figure)."""
    return any(q.value is not None for q in parse_quantities(text, rules))


class Lexicon:
    """The rules' word lists as matching reads them: aliases, stop words, verbs (compiled in ``rules.patterns``)."""

    def __init__(self, rules: Rules):
        self.rules = rules
        patterns = rules.patterns
        self.to_canonical = patterns.to_canonical
        # Which rule kind each canonical name comes from, so a match can name the rule that made it.
        self.source = patterns.alias_source
        self._alias_re, self._lead_re, self._mask_re, self._verb_re = patterns.alias, patterns.lead, patterns.mask, patterns.verb
        self._to_shortest = patterns.to_shortest
        self._names = patterns.names_of_shortest
        self._purpose = tuple(rules.cue("purpose"))
        self._generic = frozenset(fold(w) for w in rules.words("generic"))
        self._generic_re = re.compile("|".join(map(re.escape, sorted(self._generic)))) if self._generic else None
        # Set phrases of policy language as content reads them (高质量发展 → 高质量, its generic verb set aside).
        # (A phrase that reads as fewer than three characters would mark common words: it is left out.)
        self.set_phrases = tuple(sorted(p for p in {self._plain(w) for w in rules.cue("set_phrases")} if len(p) >= 3))

    def canonical(self, text: str) -> tuple[str, set[str]]:
        """Text with every alias variant replaced by its canonical name, and the aliases used."""
        used: set[str] = set()
        if self._alias_re is None:
            return text, used

        def swap(m: re.Match[str]) -> str:
            canonical = self.to_canonical[m.group(0)]
            if m.group(0) != fold(canonical):
                used.add(canonical)
            return canonical

        return self._alias_re.sub(swap, text), used

    def strip_lead(self, clause: str) -> str:
        clause = clause.strip()
        return self._lead_re.sub("", clause) if self._lead_re else clause

    def content(self, text: str) -> str:
        """The text reduced to what carries meaning: each alias group read as one name (its shortest),
        no lead or function words, no verbs."""
        text = fold(text).replace(" ", "")
        if self._alias_re is not None:
            text = self._alias_re.sub(self._shortest, text)
        pieces = [self.strip_lead(p) for p in re.split(r"[，；：。！？、]", text)]
        text = _BREAK.join(pieces)
        if self._generic_re is not None and self._generic_re.search(text):
            # Where jieba reads one as a word of its own: 实施 in 实施…行动, not in 实施细则; 建设 not in 建设银行.
            text = _CJK_RUN.sub(self._without_generic, text)
        if self._mask_re is not None:
            text = self._mask_re.sub(_BREAK, text)
        return text

    def _plain(self, phrase: str) -> str:
        return max(self.content(phrase).split(_BREAK), key=len)

    def _without_generic(self, m: re.Match[str]) -> str:
        run = m.group(0)
        if not self._generic_re.search(run):
            return run
        return "".join(_BREAK if w in self._generic else w for w in cut(run))

    def _shortest(self, m: re.Match[str]) -> str:
        """An alias group's shortest name; a Latin one (CPI) kept apart from the figure after it
        (居民消费价格涨幅2% is CPI and 2%, not the word CPI2)."""
        name = self._to_shortest[m.group(0)]
        return f"{_BREAK}{name}{_BREAK}" if name.isascii() else name

    def held_words(self, action: "Action", outcome: "Outcome") -> list[str]:
        """The action's words the outcome holds, as the outcome writes them (科技企业孵化器 where the action
        says 孵化器): what a match counted, verbs and stop words aside — the words a page marks."""
        text = fold(outcome.segment.text).replace(" ", "")
        out: list[str] = []
        for word in action.words:
            if word not in outcome.content:
                continue
            forms = [n for n in self._names.get(word, []) if n in text] or ([word] if word in text else [])
            out.extend(f for f in forms[:1] if f not in out)
        return out

    def is_purpose(self, text: str) -> bool:
        """A clause that says what an action is for (推动产业规模持续增长, 提升服务水平), not what is done."""
        return self.strip_lead(fold(text).replace(" ", "")).startswith(self._purpose)

    def verb_class(self, text: str) -> tuple[str | None, str | None]:
        """What an outcome reports, from its main (first) verb: (class, verb).

        "研究制定《…方案》，优化…，集聚…" reports a plan being drafted, whatever verbs follow.
        """
        if self._verb_re is None:
            return None, None
        m = self._verb_re.search(fold(text).replace(" ", ""))
        if not m:
            return None, None
        return self.rules.verbs[m.group(0)], m.group(0)


def pairs(content: str) -> list[str]:
    """Overlapping character pairs of the Chinese runs, and whole Latin words (DCMM, 5G)."""
    out: list[str] = []
    for run in _CJK_RUN.findall(content):
        out += [run[i : i + 2] for i in range(len(run) - 1)]
    out.extend(w.upper() for w in _LATIN_WORD.findall(content))
    return out


WEIGHTS_TABLE = "data/weights.json.gz"


@lru_cache(maxsize=1)
def _background_table() -> tuple[str, int, dict[str, int], dict[str, int]]:
    """The shipped table (scripts/build_weights.py), read once: (version, sentences, pair → sentences
    holding it, word → sentences holding it)."""
    data = json.loads(gzip.decompress(resources.files("followup").joinpath(WEIGHTS_TABLE).read_bytes()))
    return data["version"], data["sentences"], data["pairs"], data["words"]


@dataclass
class Weights:
    """Inverse document frequency of each character pair over a set of sentences.

    ``background()`` is the table followup ships, measured over a reference corpus of government
    documents: the weights of the language, so a pair's verdicts do not depend on what else lies in
    the folder. A pair the table never saw counts as the rarest.
    """

    df: Mapping[str, int] = field(default_factory=dict)
    n: int = 0
    version: str = ""
    word_df: Mapping[str, int] = field(default_factory=dict)  # sentences holding each word (its characters in a row)

    @classmethod
    def from_texts(cls, contents: list[str], version: str = "") -> "Weights":
        df: Counter[str] = Counter()
        for content in contents:
            df.update(set(pairs(content)))
        return cls(df=df, n=len(contents), version=version)

    @classmethod
    def background(cls) -> "Weights":
        version, sentences, table, words = _background_table()
        return cls(df=table, n=sentences, version=f"background {version}", word_df=words)

    def __call__(self, pair: str) -> float:
        cache = self.__dict__.setdefault("_cache", {})
        if pair not in cache:
            cache[pair] = math.log((self.n + 1) / (self.df.get(pair, 0) + 0.5))
        return cache[pair]

    def word(self, word: str) -> float:
        """The weight of a whole word; one the table never saw weighs as its rarest pair."""
        cache = self.__dict__.setdefault("_word_cache", {})
        if word not in cache:
            if word in self.word_df:
                cache[word] = math.log((self.n + 1) / (self.word_df[word] + 0.5))
            else:
                cache[word] = max((self(word[i : i + 2]) for i in range(len(word) - 1)), default=0.0)
        return cache[word]


@dataclass
class Outcome:
    """An outcome sentence prepared for matching."""

    segment: Segment
    document: str
    pairs: frozenset[str]
    aliases: set[str]
    content: str = ""  # the sentence as ``Lexicon.content`` reads it: where an action's words are looked for
    _figure: bool | None = field(default=None, repr=False, compare=False)

    def reports_figure(self, rules: Rules) -> bool:
        """``has_figure`` of the sentence, read once: a sentence is evidence for many commitments."""
        if self._figure is None:
            self._figure = has_figure(self.segment.text, rules)
        return self._figure


@dataclass
class Action:
    text: str
    core: str
    sequence: list[str]  # the action's character pairs in order (a pair may repeat)
    weight: float
    pair_weights: list[float] = field(default_factory=list)  # the weight of each pair of ``sequence``
    quoted: frozenset[str] = frozenset()  # its pairs inside quotation marks (a slogan: “最后一公里”)
    words: tuple[str, ...] = ()  # its words of two characters or more (jieba), each once
    word_weights: tuple[float, ...] = ()
    word_weight: float = 0.0

    @property
    def size(self) -> int:
        return len(self.sequence)

    @cached_property
    def per_pair(self) -> dict[str, float]:
        """Each distinct pair and its weight summed over the places it stands."""
        out: dict[str, float] = {}
        for pair, w in zip(self.sequence, self.pair_weights):
            out[pair] = out.get(pair, 0.0) + w
        return out

    @cached_property
    def word_keys(self) -> tuple[tuple[str, ...], ...]:
        """What an outcome's pair index is searched by for each word: its pairs (a Latin word: itself)."""
        return tuple(tuple(w[i : i + 2] for i in range(len(w) - 1)) if _CJK_RUN.fullmatch(w) else (w,) for w in self.words)


class ActionMatch:
    """An outcome scored against an action; how far it echoes the action is worked out when asked."""

    __slots__ = ("action", "outcome", "score", "_echo")

    def __init__(self, action: Action, outcome: Outcome, score: float):
        self.action, self.outcome, self.score = action, outcome, score
        self._echo: tuple[float, str] | None = None

    def _echo_span(self) -> tuple[float, str]:
        if self._echo is None:
            self._echo = echo_span(self.action, self.outcome)
        return self._echo

    @property
    def echo(self) -> float:
        return self._echo_span()[0]

    @property
    def rest(self) -> str:
        """The outcome's words outside the stretch that repeats the action."""
        return self._echo_span()[1]


class Outcomes(list):
    """The outcomes of one summary, with an index from each character pair to the outcomes holding it."""

    @cached_property
    def position(self) -> dict[int, int]:
        """Where each outcome stands in the list (by identity)."""
        return {id(outcome): k for k, outcome in enumerate(self)}

    @cached_property
    def index(self) -> dict[str, list[int]]:
        index: defaultdict[str, list[int]] = defaultdict(list)
        for i, outcome in enumerate(self):
            for pair in outcome.pairs:
                index[pair].append(i)
        return dict(index)


def prepare_outcomes(segments: list[Segment], document: str, lexicon: Lexicon) -> Outcomes:
    out = Outcomes()
    for seg in segments:
        _, used = lexicon.canonical(seg.norm.replace(" ", ""))
        # Interned: a corpus holds a few thousand distinct pairs, each in thousands of sentences.
        content = lexicon.content(seg.text)
        held = frozenset(map(intern, set(pairs(content))))
        out.append(Outcome(segment=seg, document=document, pairs=held, aliases=used, content=content))
    return out


def prepare_clauses(commitments: list[Commitment], document: str, lexicon: Lexicon) -> Outcomes:
    """Each action of a plan as a matchable outcome (a clause keeps its commitment's line): what a
    commitment of the year before is matched against to tell whether it is carried over."""
    # model_construct: the values come from validated commitments; a plan has hundreds of clauses.
    segments = [
        Segment.model_construct(text=action, norm=action, line=c.line, path=c.path, paragraph=i,
                                start=0, is_heading_sentence=False, is_table_row=False)
        for i, c in enumerate(commitments) for action in c.actions
    ]
    return prepare_outcomes(segments, document, lexicon)


def prepare_action(text: str, lexicon: Lexicon, weights: Weights) -> Action:
    """An action ready to match against outcomes weighed with the same ``weights``."""
    core = lexicon.strip_lead(fold(text).replace(" ", ""))
    content = lexicon.content(text)
    sequence = pairs(content)
    pair_weights = [weights(p) for p in sequence]
    quoted = frozenset(p for span in _QUOTED.findall(content) for p in pairs(span))
    if lexicon.set_phrases:
        # A set phrase of policy language (高质量发展) is a slogan though unquoted: alone it answers nothing.
        quoted |= frozenset(p for phrase in lexicon.set_phrases if phrase in content for p in pairs(phrase))
    words = tuple(dict.fromkeys(cut_words(content)))
    word_weights = tuple(weights.word(w) for w in words)
    return Action(text=text, core=core, sequence=sequence, weight=sum(pair_weights), pair_weights=pair_weights, quoted=quoted,
                  words=words, word_weights=word_weights, word_weight=sum(word_weights))


def cut_words(content: str) -> list[str]:
    """The words of a content string: jieba's of two CJK characters or more, and Latin words (DCMM, 5G)."""
    out: list[str] = []
    for run in _CJK_RUN.findall(content):
        out += [w for w in cut(run) if len(w) >= 2]
    out.extend(w.upper() for w in _LATIN_WORD.findall(content))
    return out


def word_coverage(action: Action, outcome: Outcome) -> float:
    """Share of the action's word weight whose words the outcome holds whole."""
    if action.word_weight <= 0:
        return 0.0
    text = outcome.content
    return sum(w for word, w in zip(action.words, action.word_weights) if word in text) / action.word_weight


_QUOTED = re.compile(r"“([^”]{1,30})”")


def coverage(action: Action, outcome: Outcome, weights: Weights, skip: frozenset[str] = frozenset()) -> float:
    """Share of the action's weight that the outcome holds (0..1), not counting the pairs in ``skip``.

    A pair shared as part of a longer run (three characters or more in common, 重点实验室) counts
    fully; a lone shared pair counts half, since two-character words such as 企业 or 建设 turn up
    in any long sentence.
    """
    if action.weight <= 0:
        return 0.0
    held = outcome.pairs - skip if skip else outcome.pairs
    hit = [p in held for p in action.sequence]
    last = len(hit) - 1
    total = 0.0
    for k, w in enumerate(action.pair_weights):
        if hit[k]:
            joined = (k > 0 and hit[k - 1]) or (k < last and hit[k + 1])
            total += w if joined else w * 0.5
    return total / action.weight


def echo_span(action: Action, outcome: Outcome) -> tuple[float, str]:
    """How closely the outcome repeats the action's words (0..1), and the outcome's other words.

    rapidfuzz's partial_ratio_alignment finds the stretch of the outcome most like the action;
    what is left outside it is where a result could still be reported.
    """
    text = outcome.segment.norm.replace(" ", "")
    if len(action.core) < 6:
        return 0.0, text
    found = fuzz.partial_ratio_alignment(action.core, text)
    if found is None:
        return 0.0, text
    return found.score / 100.0, text[: found.dest_start] + "，" + text[found.dest_end :]


def fused(action: Action, outcome: Outcome, weights: Weights, share: float) -> float:
    """An outcome's score for an action: ``share`` of it from whole words, the rest from character pairs."""
    if share <= 0:  # pairs alone (carried-over promises): no words to look for
        return coverage(action, outcome, weights)
    return (1 - share) * coverage(action, outcome, weights) + share * word_coverage(action, outcome)


def best_matches(action: Action, outcomes: Outcomes, weights: Weights, keep: int, words: float = 0.0) -> list[ActionMatch]:
    """The outcomes that best answer one action, best first (ties in document order).

    The index gives, in one pass, each outcome's share of the action's weight counting every shared
    pair fully: an upper bound of its score. Outcomes are then scored exactly in order of that bound,
    and scoring stops as soon as no bound left can beat the ``keep`` best found: most outcomes are
    never scored.
    """
    if action.weight <= 0:
        return []
    bound: dict[int, float] = {}
    get = bound.get
    index = outcomes.index
    scale = (1 - words) / action.weight
    for pair, w in action.per_pair.items():
        w *= scale
        for i in index.get(pair, ()):
            bound[i] = get(i, 0.0) + w
    if words > 0 and action.word_weight > 0:
        # An outcome holding a word holds each of its pairs: the rarest one bounds where it can be.
        wscale = words / action.word_weight
        for keys, w in zip(action.word_keys, action.word_weights):
            w *= wscale
            for i in min((index.get(k, ()) for k in keys), key=len):
                bound[i] = get(i, 0.0) + w
    # Highest bound first; among equal bounds, document order (a stable sort of index-ordered items).
    candidates = sorted(sorted(bound.items()), key=itemgetter(1), reverse=True)
    best: list[tuple[float, int]] = []  # (-score, index): kept sorted, best first
    floor = -1.0
    for i, upper in candidates:
        if len(best) >= keep and upper < floor - 1e-12:
            break
        score = fused(action, outcomes[i], weights, words)
        if score > 0:
            insort(best, (-score, i))
            del best[keep:]
            floor = -best[-1][0] if len(best) >= keep else -1.0
    return [ActionMatch(action, outcomes[i], -s) for s, i in best]
