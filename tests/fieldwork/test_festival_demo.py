"""The demo village's 2019 Spring Festival list: generated, a few gifts recorded, loaded once."""

from fupin.core.demo import load_demo
from fupin.fieldwork.demo import load_festival_demo
from fupin.fieldwork.models import FestivalList, FestivalVisit


def test_the_demo_has_the_2019_list_with_some_gifts(db):
    context = load_demo()
    village = context.village
    entries = FestivalVisit.objects.filter(festival_list__village=village, festival_list__year=2019)
    categories = set(entries.values_list("category", flat=True))
    assert {"dibao", "old_party_member", "veteran", "two_committees"} <= categories
    given = entries.exclude(gift_kind="")
    assert 0 < given.count() < entries.count()
    assert all(e.signed and e.value and e.given_by for e in given)
    count = entries.count()
    load_festival_demo(context)  # again: nothing added
    assert entries.count() == count and FestivalList.objects.filter(village=village).count() == 1
