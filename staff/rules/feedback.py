"""The upward-feedback summary for the board, with no database: averages per group, and the
anonymity threshold that keeps anyone from being identified.

Groups form a tree per subject: the organisation, its sites, and under each site the leaf groups
(the managers, for feedback on managers; the respondents' teams, for feedback on the organisation).

The rule (MIN_GROUP = 5):
1. A group with fewer than MIN_GROUP responses shows no count, no average and no comments, only
   "fewer than 5 responses".
2. Complementary suppression: a shown parent's figures minus its shown children's figures are the
   figures of its hidden children taken together. So while that remainder holds between 1 and
   MIN_GROUP - 1 responses, the smallest shown child (fewest responses, then key) is hidden too.
   The hidden children of a shown parent therefore hold either no responses or at least MIN_GROUP
   together, and subtraction recovers only that combined group of at least MIN_GROUP.
3. A hidden group hides everything under it (its children would add up to it).
Every figure shown is then a sum of shown leaves and of such combined blocks of at least MIN_GROUP
responses, and no two figures differ by a group smaller than that.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MIN_GROUP = 5

ORGANISATION, SITE, LEAF = "organisation", "site", "leaf"
# Why a group is hidden.
TOO_FEW = "too_few"  # fewer than MIN_GROUP responses
PROTECTS_ANOTHER = "protects_another"  # shown, its figures would give away a smaller group's
PARENT_HIDDEN = "parent_hidden"  # its parent is hidden: showing it would give the parent away


@dataclass(frozen=True)
class Response:
    site: Hashable
    leaf: Hashable
    rating: int
    comments: tuple[str, ...] = ()


@dataclass
class Group:
    level: str
    key: Hashable
    count: int = 0
    total: int = 0
    comments_all: list[str] = field(default_factory=list)
    children: list["Group"] = field(default_factory=list)
    hidden_because: str = ""

    @property
    def shown(self) -> bool:
        return not self.hidden_because

    @property
    def responses(self) -> int | None:
        return self.count if self.shown else None

    @property
    def average(self) -> Decimal | None:
        if not self.shown or not self.count:
            return None
        return (Decimal(self.total) / Decimal(self.count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def comments(self) -> list[str]:
        """The comments of a shown group, sorted by their text: the order they arrived in would let
        a reader who saw the list before match the newest comments to the newest answers."""
        return sorted(self.comments_all, key=lambda c: (c.casefold(), c)) if self.shown else []

    def walk(self) -> Iterable["Group"]:
        yield self
        for child in self.children:
            yield from child.walk()


def _tree(responses: Iterable[Response]) -> Group:
    root = Group(ORGANISATION, None)
    sites: dict[Hashable, Group] = {}
    leaves: dict[tuple[Hashable, Hashable], Group] = {}
    for response in responses:
        site = sites.get(response.site)
        if site is None:
            site = sites[response.site] = Group(SITE, response.site)
            root.children.append(site)
        leaf = leaves.get((response.site, response.leaf))
        if leaf is None:
            leaf = leaves[(response.site, response.leaf)] = Group(LEAF, response.leaf)
            site.children.append(leaf)
        for group in (root, site, leaf):
            group.count += 1
            group.total += response.rating
            group.comments_all.extend(c for c in response.comments if c.strip())
    return root


def _hide(group: Group, reason: str) -> None:
    group.hidden_because = reason
    for child in group.children:
        _hide(child, PARENT_HIDDEN)


def _suppress(parent: Group, min_group: int) -> None:
    """Apply rules 1-3 to `parent`'s children (the parent is shown), then to theirs."""
    for child in parent.children:
        if child.count < min_group:
            _hide(child, TOO_FEW)
    while True:
        hidden = sum(child.count for child in parent.children if not child.shown)
        shown = [child for child in parent.children if child.shown]
        if not 0 < hidden < min_group or not shown:
            break
        _hide(min(shown, key=lambda child: (child.count, str(child.key))), PROTECTS_ANOTHER)
    for child in parent.children:
        if child.shown:
            _suppress(child, min_group)


def summarise(responses: Iterable[Response], *, min_group: int = MIN_GROUP) -> Group:
    """The organisation's group, with its sites and their leaf groups, the threshold applied.
    Children are ordered by key (the caller's ids), so the same answers give the same summary."""
    root = _tree(responses)
    for site in root.children:
        site.children.sort(key=lambda g: str(g.key))
    root.children.sort(key=lambda g: str(g.key))
    if root.count < min_group:
        _hide(root, TOO_FEW)
    else:
        _suppress(root, min_group)
    return root
