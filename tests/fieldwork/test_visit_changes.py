"""Correcting and deleting a visit: the services' rules and history, what becomes of its
follow-ups, and the pages (the household page's links, the forms, scoping and roles)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.core.roles import Role
from fupin.fieldwork import services
from fupin.fieldwork.compliance import compliance
from fupin.fieldwork.models import FollowUp, FollowUpStatus, Visit
from tests.fieldwork import factories

TODAY = date(2019, 6, 1)


@pytest.fixture
def clerk(world):
    return world.user(Role.VILLAGE_CLERK)


def _visit_with_follow_up(world, status=FollowUpStatus.OPEN):
    home = factories.household(world.village)
    wang = factories.cadre(world.village, "王队员")
    visit = factories.visit(
        home,
        date(2019, 5, 1),
        visitor=wang,
        purpose="了解务工情况",
        follow_up={"action": "联系镇卫生院", "owner": wang, "due_on": date(2019, 5, 15)},
    )
    if status != FollowUpStatus.OPEN:
        services.follow_up_close(follow_up=visit.follow_ups.get(), status=status, on=TODAY)
    return visit


# --- visit_update ----------------------------------------------------------------------------


def test_a_correction_changes_the_fields_and_visitors_in_one_history_row(world, clerk):
    visit = _visit_with_follow_up(world)
    li = factories.cadre(world.areas["450101001000"], "李镇干部")  # of the township above
    rows = visit.history.count()
    services.visit_update(
        visit=visit,
        user=clerk,
        today=TODAY,
        date=date(2019, 5, 2),
        visitors=[li],
        illness="户主腰伤",
        notes="",
    )
    visit.refresh_from_db()
    assert visit.date == date(2019, 5, 2) and visit.illness == "户主腰伤"
    assert visit.purpose == "了解务工情况"  # left out: kept
    assert list(visit.visitors.all()) == [li]
    assert visit.history.count() == rows + 1
    latest = visit.history.latest()
    assert latest.history_type == "~" and latest.history_user == clerk
    assert latest.illness == "户主腰伤"
    assert [row.cadre_id for row in latest.visitors.all()] == [li.pk]
    assert visit.follow_ups.get().status == FollowUpStatus.OPEN  # untouched


def test_a_correction_that_changes_nothing_writes_nothing(world, clerk):
    visit = _visit_with_follow_up(world)
    rows = visit.history.count()
    services.visit_update(
        visit=visit, user=clerk, today=TODAY, purpose=visit.purpose, visitors=visit.visitors.all()
    )
    assert visit.history.count() == rows


def test_a_correction_keeps_the_rules_of_a_new_visit(world, clerk):
    visit = _visit_with_follow_up(world)
    stranger = factories.cadre(world.other_village, "邻村干部")
    with pytest.raises(ValidationError) as future:
        services.visit_update(visit=visit, user=clerk, today=TODAY, date=date(2019, 6, 2))
    assert "date" in future.value.message_dict
    with pytest.raises(ValidationError) as outside:
        services.visit_update(visit=visit, user=clerk, today=TODAY, visitors=[stranger])
    assert outside.value.message_dict["visitors"] == [str(services.CADRE_OUTSIDE)]
    with pytest.raises(ValidationError) as nobody:
        services.visit_update(visit=visit, user=clerk, today=TODAY, visitors=[])
    assert "visitors" in nobody.value.message_dict
    with pytest.raises(TypeError):  # a wrong household is deleted and recorded again
        services.visit_update(visit=visit, user=clerk, today=TODAY, household=visit.household)
    visit.refresh_from_db()
    assert visit.date == date(2019, 5, 1) and visit.visitors.get().name == "王队员"


# --- visit_delete ----------------------------------------------------------------------------


def test_a_deletion_needs_a_reason(world, clerk):
    visit = _visit_with_follow_up(world)
    with pytest.raises(ValidationError) as refused:
        services.visit_delete(visit=visit, user=clerk, reason="  ")
    assert refused.value.message_dict["reason"] == [str(services.DELETE_NEEDS_REASON)]
    assert Visit.objects.filter(pk=visit.pk).exists() and FollowUp.objects.exists()


@pytest.mark.parametrize("status", [FollowUpStatus.OPEN, FollowUpStatus.CANCELLED])
def test_a_deletion_takes_open_and_cancelled_follow_ups_with_the_reason(world, clerk, status):
    visit = _visit_with_follow_up(world, status)
    follow_up = visit.follow_ups.get()
    services.visit_delete(visit=visit, user=clerk, reason=" 重复录入 ")
    assert not Visit.objects.filter(pk=visit.pk).exists()
    assert not FollowUp.objects.filter(pk=follow_up.pk).exists()
    gone = Visit.history.filter(id=visit.pk).latest()
    assert (gone.history_type, gone.history_change_reason, gone.history_user) == (
        "-",
        "重复录入",
        clerk,
    )
    its = FollowUp.history.filter(id=follow_up.pk).latest()
    assert (its.history_type, its.history_change_reason, its.history_user) == (
        "-",
        "重复录入",
        clerk,
    )


def test_a_visit_with_a_follow_up_done_is_kept(world, clerk):
    visit = _visit_with_follow_up(world, FollowUpStatus.DONE)
    with pytest.raises(ValidationError) as refused:
        services.visit_delete(visit=visit, user=clerk, reason="重复录入")
    assert refused.value.error_dict["follow_ups"][0].code == services.FOLLOW_UP_DONE_CODE
    assert Visit.objects.filter(pk=visit.pk).exists() and visit.follow_ups.exists()
    assert not Visit.history.filter(id=visit.pk, history_type="-").exists()


def test_the_compliance_figures_follow_a_correction_and_a_deletion(world, clerk):
    """The stored figures of the village are dropped by each write of its visits."""
    visit = _visit_with_follow_up(world)
    code, on = world.village.code, date(2019, 5, 20)
    assert (compliance(code, on).overdue, compliance(code, on).follow_ups_overdue) == (0, 1)
    services.visit_update(visit=visit, user=clerk, today=TODAY, date=date(2019, 4, 1))
    assert compliance(code, on).overdue == 1  # the visit was earlier than recorded
    services.visit_delete(visit=visit, user=clerk, reason="录错")
    assert compliance(code, on).follow_ups_overdue == 0  # its open follow-up went with it
    assert compliance(code, on).overdue == 1


# --- the pages ------------------------------------------------------------------------------


def test_the_household_page_links_each_visit_to_its_correction_and_deletion(world, client):
    visit = _visit_with_follow_up(world)
    url = reverse("household-detail", args=[visit.household_id])
    client.force_login(world.user(Role.RESIDENT_TEAM))
    page = client.get(url).content.decode()
    assert reverse("visit-edit", args=[visit.pk]) in page
    assert reverse("visit-delete", args=[visit.pk]) in page
    client.force_login(world.user(Role.INSPECTOR))  # reads, never writes: no links
    page = client.get(url).content.decode()
    assert "了解务工情况" in page and reverse("visit-edit", args=[visit.pk]) not in page


def test_the_edit_page_shows_the_visit_and_saves_the_correction(world, client, clerk):
    visit = _visit_with_follow_up(world)
    wang = visit.visitors.get()
    url = reverse("visit-edit", args=[visit.pk])
    client.force_login(clerk)
    form = client.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert "了解务工情况" in html and "follow_up_action" not in html  # no follow-up here
    data = {"date": "2019-05-03", "visitors": [wang.pk], "purpose": "核实务工收入"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("household-detail", args=[visit.household_id])
    visit.refresh_from_db()
    assert (visit.date, visit.purpose) == (date(2019, 5, 3), "核实务工收入")
    assert visit.history.latest().history_user == clerk
    future = client.post(url, {**data, "date": "2999-01-01"})
    assert future.status_code == 400
    visit.refresh_from_db()
    assert visit.date == date(2019, 5, 3)


def test_an_inactive_visitor_stays_a_choice_when_the_visit_is_corrected(world, client, clerk):
    visit = _visit_with_follow_up(world)
    wang = visit.visitors.get()
    wang.active = False
    wang.save()
    client.force_login(clerk)
    url = reverse("visit-edit", args=[visit.pk])
    response = client.post(url, {"date": "2019-05-01", "visitors": [wang.pk], "purpose": "复访"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.purpose == "复访" and list(visit.visitors.all()) == [wang]


def test_the_delete_page_asks_a_reason_then_deletes(world, client, clerk):
    visit = _visit_with_follow_up(world)
    url = reverse("visit-delete", args=[visit.pk])
    client.force_login(clerk)
    page = client.get(url).content.decode()
    assert "联系镇卫生院" in page and 'name="reason"' in page  # what goes with it, and why
    assert client.post(url, {"reason": ""}).status_code == 400
    assert Visit.objects.filter(pk=visit.pk).exists()
    response = client.post(url, {"reason": "录错了户"})
    assert response.status_code == 302
    assert not Visit.objects.filter(pk=visit.pk).exists()
    assert Visit.history.filter(id=visit.pk).latest().history_change_reason == "录错了户"


def test_the_delete_page_of_a_visit_with_a_follow_up_done_offers_a_correction(world, client):
    visit = _visit_with_follow_up(world, FollowUpStatus.DONE)
    url = reverse("visit-delete", args=[visit.pk])
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(url).content.decode()
    assert 'name="reason"' not in page and reverse("visit-edit", args=[visit.pk]) in page
    assert client.post(url, {"reason": "重复"}).status_code == 400
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_another_villages_visit_is_not_found_and_a_reader_is_refused(world, client):
    theirs = factories.visit(factories.household(world.other_village), date(2019, 5, 1))
    mine = _visit_with_follow_up(world)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    for name in ("visit-edit", "visit-delete"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    delete_theirs = reverse("visit-delete", args=[theirs.pk])
    assert client.post(delete_theirs, {"reason": "x"}).status_code == 404
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))  # sees the village, edits nothing
    for name in ("visit-edit", "visit-delete"):
        assert client.get(reverse(name, args=[mine.pk])).status_code == 403
    delete_mine = reverse("visit-delete", args=[mine.pk])
    assert client.post(delete_mine, {"reason": "x"}).status_code == 403
    assert Visit.objects.filter(pk__in=[theirs.pk, mine.pk]).count() == 2
