"""The authorization matrix: every URL × every role × an object inside and outside the area.

Each app lists its URLs in a `CASES` table in tests/<app>/authz_cases.py; the matrix test
collects them all and fails for any named URL that no table covers. A case says which roles
may use the URL (the others get 403) and what they get inside their area (200, or 302 after a
POST); outside their area every role that may use it gets 404. An `all_areas` case changes
what applies beyond any one area: of those roles only the all-areas administrator may use it,
the matrix's users (each scoped to an area) get 403.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from fupin.core.roles import ROLE_CAPABILITIES, Capability, Role

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class Case:
    url_name: str
    # (world, user, inside) -> URL kwargs; `inside` says whether the object must lie in the
    # user's area (True) or in another county (False). None: the URL names no object.
    kwargs: Callable | None = None
    allowed: frozenset = ALL_ROLES
    method: str = "get"
    ok: int = 200
    data: dict = field(default_factory=dict)
    all_areas: bool = False  # @require(..., all_areas=True): the all-areas administrator's


def roles(*names: Role) -> frozenset:
    return frozenset(names)


def roles_with(capability: Capability) -> frozenset:
    """The roles the capability table gives this capability: the matrix then checks that the
    view really demands it (a view that checks another capability fails for some role)."""
    return frozenset(Role(role) for role, caps in ROLE_CAPABILITIES.items() if capability in caps)
