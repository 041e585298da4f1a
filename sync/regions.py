"""The region tree (city → district → township), shared by the server's visibility rules and the desktop."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


def subtree(pairs: Iterable[tuple[str, str | None]], root: str) -> frozenset[str]:
    """``root`` and every region below it, from (code, parent code) pairs; safe against cycles."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for code, parent in pairs:
        children[parent].append(code)
    found, todo = set(), [root]
    while todo:
        code = todo.pop()
        if code not in found:
            found.add(code)
            todo.extend(children.get(code, ()))
    return frozenset(found)
