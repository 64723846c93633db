"""A deleted record's history, and the list of deletions: who audits finds what is no longer
there, by whom, when and why, in their area only."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from fupin.core.roles import Role
from fupin.fieldwork import services
from fupin.workplan import services as workplan_services
from tests.fieldwork import factories
from tests.workplan.factories import project

REASON = "录错了农户"


def _deleted_visit(world, village, *, follow_up=False):
    home = factories.household(village)
    owner = factories.cadre(village)
    more = {"follow_up": {"action": "联系医保", "owner": owner, "due_on": date(2019, 5, 15)}}
    visit = factories.visit(home, date(2019, 5, 1), visitor=owner, **(more if follow_up else {}))
    follow_ups = list(visit.follow_ups.values_list("pk", flat=True))
    clerk = world.user(Role.VILLAGE_CLERK) if village == world.village else world.outsider
    services.visit_delete(visit=visit, user=clerk, reason=REASON)
    return visit, follow_ups


def _history(label, pk):
    app_label, model_name = label.split(".")
    return reverse("record-history", args=[app_label, model_name, pk])


@pytest.fixture
def inspector(world, client):
    client.force_login(world.user(Role.INSPECTOR))
    return client


def test_a_deleted_visit_s_history_shows_the_deletion_with_its_user_and_reason(world, inspector):
    visit, follow_ups = _deleted_visit(world, world.village, follow_up=True)
    page = inspector.get(_history("fieldwork.visit", visit.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert page.context["deleted"].history_type == "-"
    rows = [row["record"] for row in page.context["rows"]]
    assert rows[0].history_type == "-" and rows[-1].history_type == "+"  # newest first
    assert rows[0].history_user == world.user(Role.VILLAGE_CLERK)
    assert rows[0].history_change_reason == REASON
    assert REASON in text and "village_clerk" in text and "走访" in text
    # its follow-up, deleted with it, keeps the same reason
    page = inspector.get(_history("fieldwork.followup", follow_ups[0]))
    assert page.status_code == 200 and REASON in page.content.decode()


def test_a_deleted_record_outside_the_area_is_404_and_one_never_stored_too(world, inspector):
    outside, _ = _deleted_visit(world, world.outside_village)
    assert inspector.get(_history("fieldwork.visit", outside.pk)).status_code == 404
    assert inspector.get(_history("fieldwork.visit", outside.pk + 1000)).status_code == 404
    # the all-areas administrator sees it
    admin = world.user(Role.ADMIN)
    admin.area = None
    admin.save()
    inspector.force_login(admin)
    assert inspector.get(_history("fieldwork.visit", outside.pk)).status_code == 200


def test_a_deletion_through_a_longer_area_path_is_scoped_too(world, inspector):
    """A funding source's area is its project's plan's: the history row leads there."""
    inside, outside = project(world.village), project(world.outside_village)
    for made in (inside, outside):
        source = workplan_services.funding_source_create(
            project=made, kind="poverty_fund", planned_amount=Decimal(1000)
        )
        made.deleted_source = source.pk  # delete() forgets it
        workplan_services.funding_source_delete(source=source)
    for made, status in ((inside, 200), (outside, 404)):
        page = inspector.get(_history("workplan.fundingsource", made.deleted_source))
        assert page.status_code == status
    listed = inspector.get(reverse("deleted-records"), {"kind": "workplan.fundingsource"})
    assert [row["deleted_pk"] for row in listed.context["rows"]] == [str(inside.deleted_source)]


def test_roles_without_the_audit_see_neither_page(world, client):
    visit, _ = _deleted_visit(world, world.village)
    for role in (Role.COUNTY_APPROVER, Role.VILLAGE_CLERK, Role.TOWNSHIP_REVIEWER):
        client.force_login(world.user(role))
        assert client.get(_history("fieldwork.visit", visit.pk)).status_code == 403, role
        assert client.get(reverse("deleted-records")).status_code == 403, role


def test_the_deletions_list_shows_those_of_the_area_only(world, inspector):
    inside, follow_ups = _deleted_visit(world, world.village, follow_up=True)
    outside, _ = _deleted_visit(world, world.outside_village)
    page = inspector.get(reverse("deleted-records"))
    text = page.content.decode()
    assert page.status_code == 200
    listed = {(row["deleted_kind"], row["deleted_pk"]) for row in page.context["rows"]}
    assert listed == {
        ("fieldwork.visit", str(inside.pk)),
        ("fieldwork.followup", str(follow_ups[0])),
    }
    assert _history("fieldwork.visit", inside.pk) in text
    assert _history("fieldwork.visit", outside.pk) not in text
    assert REASON in text and "village_clerk" in text
    visits = inspector.get(reverse("deleted-records"), {"kind": "fieldwork.visit"})
    assert [row["deleted_pk"] for row in visits.context["rows"]] == [str(inside.pk)]


def test_the_list_filtered_to_a_household_and_the_household_page_s_link(world, inspector):
    visit, _ = _deleted_visit(world, world.village)
    other, _ = _deleted_visit(world, world.village)
    query = {"kind": "fieldwork.visit", "household": visit.household_id}
    page = inspector.get(reverse("deleted-records"), query)
    assert [row["deleted_pk"] for row in page.context["rows"]] == [str(visit.pk)]
    detail = inspector.get(reverse("household-detail", args=[visit.household_id]))
    text = detail.content.decode()
    link = f"{reverse('deleted-records')}?kind=fieldwork.visit&amp;household={visit.household_id}"
    assert link in text and "1 条已删除的走访" in text
    # who does not audit is not offered it
    inspector.force_login(world.user(Role.VILLAGE_CLERK))
    detail = inspector.get(reverse("household-detail", args=[other.household_id]))
    assert reverse("deleted-records") not in detail.content.decode()


def test_the_list_pages_without_counting(world, inspector, monkeypatch):
    monkeypatch.setattr("fupin.core.views.audit.DELETIONS_PER_PAGE", 2)
    made = [_deleted_visit(world, world.village)[0].pk for _ in range(3)]
    first = inspector.get(reverse("deleted-records"), {"kind": "fieldwork.visit"})
    assert [row["deleted_pk"] for row in first.context["rows"]] == [str(pk) for pk in made[:0:-1]]
    assert first.context["has_next"]
    second = inspector.get(reverse("deleted-records"), {"kind": "fieldwork.visit", "page": 2})
    assert [row["deleted_pk"] for row in second.context["rows"]] == [str(made[0])]
    assert not second.context["has_next"]


def test_an_unknown_kind_lists_every_kind(world, inspector):
    visit, _ = _deleted_visit(world, world.village)
    page = inspector.get(reverse("deleted-records"), {"kind": "nosuch.model"})
    assert page.status_code == 200
    assert [row["deleted_pk"] for row in page.context["rows"]] == [str(visit.pk)]


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_s_queries_do_not_grow_with_its_rows(world, inspector):
    """One UNION for the page, one query per kind on it and one for the users."""
    _deleted_visit(world, world.village, follow_up=True)
    few = _queries(inspector, reverse("deleted-records"))
    for _ in range(4):
        _deleted_visit(world, world.village, follow_up=True)
    assert len(inspector.get(reverse("deleted-records")).context["rows"]) == 10
    assert _queries(inspector, reverse("deleted-records")) == few
