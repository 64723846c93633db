"""Demo-like data for the structural tests: the world's village with some history."""

from fupin import idnumbers
from fupin.core.roles import Role
from fupin.registry import services
from tests.registry.factories import make_household


def village_with_history(world):
    """Households of the user's village whose members have been edited (an ID number
    corrected), moved, and given incomes: the history then holds old and new numbers."""
    clerk = world.user(Role.VILLAGE_CLERK)
    first = make_household(world.village, status="registered", income=3000)
    second = make_household(world.village, status="monitored", income=2500)
    member = first.members.get(relation="child")
    member.id_number = idnumbers.make("450122", member.birth_date, 999)
    services.member_save(member=member, user=clerk, reason="核对身份证")
    services.member_move(
        member=member, household=second, relation="other", user=clerk, reason="分户"
    )
    return first, second
