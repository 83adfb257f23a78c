"""`python -m bench --update NAMES` replaces only the named sections of bench/RESULTS.md."""

from bench.__main__ import splice

RESULTS = "# Benchmarks\n\nhead\n\n## A\n\nold a\n\n## B\n\n_Run earlier_\nold b\n\n## C\n\nold c\n"


def test_a_section_is_replaced_in_place_with_its_stamp_and_the_others_are_kept() -> None:
    out = splice(RESULTS, ["## B\n\nnew b\n"], "_Run now_")
    assert out == (
        "# Benchmarks\n\nhead\n\n## A\n\nold a\n\n## B\n\n_Run now_\n\nnew b\n\n## C\n\nold c\n"
    )


def test_a_section_not_there_yet_is_added_at_the_end() -> None:
    out = splice(RESULTS, ["## D\n\nnew d\n"], "_Run now_")
    assert out.endswith("## C\n\nold c\n\n## D\n\n_Run now_\n\nnew d\n")
    assert out.count("## ") == 4
