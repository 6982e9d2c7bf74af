import random
from collections import Counter

from scholarships.assignment import Paper, Reviewer, assign, eligible


def panel(n_reviewers=12):
    rng = random.Random(1)
    return [
        Reviewer(
            key=f"r{j}",
            languages=frozenset({"en", ("fr", "es", "ru")[j % 3]}),
            country=rng.choice(["SN", "TH", "UA", "AR", "US", "KE"]),
            organisation=f"org{j % 4}",
            floor=3,
            cap=12,
        )
        for j in range(n_reviewers)
    ]


def papers(n=40):
    rng = random.Random(2)
    return [
        Paper(
            key=f"a{i}",
            language=rng.choice(["en", "en", "fr", "es"]),
            country=rng.choice(["SN", "TH", "UA", "AR", "US", "KE", "MX"]),
            organisation=f"org{rng.randrange(6)}",
        )
        for i in range(n)
    ]


def test_every_application_gets_k_eligible_reviewers_and_loads_stay_in_bounds():
    reviewers, applications = panel(), papers()

    result = assign(applications, reviewers, k=2)

    assert result.status == "optimal"
    per_paper = Counter(paper for paper, _reviewer in result.pairs)
    assert set(per_paper.values()) == {2} and len(per_paper) == len(applications)
    by_key = {r.key: r for r in reviewers}
    papers_by_key = {p.key: p for p in applications}
    assert all(eligible(papers_by_key[p], by_key[r]) for p, r in result.pairs)
    loads = Counter(reviewer for _paper, reviewer in result.pairs)
    assert all(3 <= loads[r.key] <= 12 for r in reviewers)


def test_conflicts_own_country_own_organisation_and_language_are_never_assigned():
    paper = Paper("a1", language="ru", country="UA", organisation="Equal Rights")
    reviewers = [
        Reviewer("conflicted", frozenset({"ru"}), "KG", conflicts=frozenset({"a1"})),
        Reviewer("same-country", frozenset({"ru"}), "UA"),
        Reviewer("same-org", frozenset({"ru"}), "KZ", organisation="Equal Rights"),
        Reviewer("no-russian", frozenset({"en"}), "GB"),
        Reviewer("ok-1", frozenset({"ru", "en"}), "MD"),
        Reviewer("ok-2", frozenset({"ru"}), "KZ"),
    ]

    result = assign([paper], reviewers, k=2)

    assert result.pairs == [("a1", "ok-1"), ("a1", "ok-2")]


def test_too_few_eligible_reviewers_are_named_not_forced():
    paper = Paper("a1", language="zh", country="CN")

    result = assign([paper], [Reviewer("r1", frozenset({"zh"}), "TH")], k=2)

    assert (result.status, result.short) == ("infeasible", {"a1": 1})


def test_re_solving_after_a_reviewer_leaves_keeps_the_others_work():
    reviewers, applications = panel(), papers()
    first = assign(applications, reviewers, k=2)
    leaving = "r2"  # reads English and Russian: every paper it had has others
    kept = [pair for pair in first.pairs if pair[1] != leaving]

    second = assign(applications, [r for r in reviewers if r.key != leaving], k=2, fixed=kept)

    assert set(kept) <= set(second.pairs)
    assert all(reviewer != leaving for _paper, reviewer in second.pairs)
    assert Counter(p for p, _r in second.pairs) == Counter(p for p, _r in first.pairs)


def test_loads_even_out_when_floors_ask_for_it():
    applications = [Paper(f"a{i}", "en", "SN") for i in range(20)]
    reviewers = [Reviewer(f"r{j}", frozenset({"en"}), "TH", floor=10, cap=20) for j in range(4)]

    result = assign(applications, reviewers, k=2)

    assert sorted(Counter(r for _p, r in result.pairs).values()) == [10, 10, 10, 10]


def test_a_fixed_pair_that_a_new_conflict_forbids_is_dropped():
    paper = Paper("a1", "en", "SN")
    reviewers = [
        Reviewer("r1", frozenset({"en"}), "TH", conflicts=frozenset({"a1"})),
        Reviewer("r2", frozenset({"en"}), "TH"),
    ]

    result = assign([paper], reviewers, k=1, fixed=[("a1", "r1")])

    assert result.pairs == [("a1", "r2")]


def test_organisations_match_whatever_their_case_and_spaces():
    paper = Paper("a1", "en", "SN", organisation="Swan Collective")
    reviewer = Reviewer("r1", frozenset({"en"}), "TH", organisation=" swan collective ")

    assert not eligible(paper, reviewer)


def test_caps_too_low_for_the_reviews_needed_are_named_before_any_solving():
    papers = [Paper(f"a{i}", "en", "SN") for i in range(10)]
    reviewers = [Reviewer(f"r{j}", frozenset({"en"}), "KE", cap=4) for j in range(3)]

    result = assign(papers, reviewers, k=2)

    assert result.status == "infeasible"
    assert result.capacity == (12, 20)
    assert result.pairs == []
