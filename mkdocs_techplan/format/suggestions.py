""" "Did you mean …?": the nearest of the names an author could have meant, in bounded time."""

from __future__ import annotations

from collections.abc import Iterable

MAX_WORD = 200
"""Longer words get no suggestion: comparing them costs time and no name is that long."""
MAX_CANDIDATES = 5_000
"""More candidates than this are not compared one by one (difflib is quadratic in length)."""


def nearest(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The candidate closest to `word` (case-insensitive), as the candidate is spelt; or None."""
    by_folded: dict[str, str] = {}
    for candidate in candidates:
        by_folded.setdefault(candidate.casefold(), candidate)
    folded = word.casefold()
    if folded in by_folded:
        return by_folded[folded]
    if len(word) > MAX_WORD or len(by_folded) > MAX_CANDIDATES:
        return None
    import difflib  # here: only a misspelt name needs it, and most builds have none

    close = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=cutoff)
    return by_folded[close[0]] if close else None


def did_you_mean(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str:
    """`; did you mean `X`?` for the nearest candidate, or an empty string."""
    match = nearest(word, candidates, cutoff=cutoff)
    return f"; did you mean `{match}`?" if match is not None else ""
