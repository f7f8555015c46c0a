"""The examples in the package's docstrings run and say what they show."""

import doctest

import pmpo


def test_the_docstring_examples_of_pmpo_run():
    r = doctest.testmod(pmpo, extraglobs={"pmpo": pmpo}, optionflags=doctest.ELLIPSIS)
    assert r.attempted >= 8
    assert r.failed == 0
