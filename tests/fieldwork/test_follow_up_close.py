"""Closing a follow-up: only an open one, done or cancelled, from the household and compliance
pages and the API; closing drops the village's stored compliance figures."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.api.services import api_token_create
from fupin.core.roles import Role
from fupin.fieldwork import services
from fupin.fieldwork.compliance import compliance
from fupin.fieldwork.models import FollowUpStatus
from tests.fieldwork import factories

DUE = date(2019, 5, 10)
LATER = date(2019, 6, 1)


def _follow_up(village):
    home = factories.household(village)
    owner = factories.cadre(village)
    visit = factories.visit(
        home,
        date(2019, 5, 1),
        visitor=owner,
        follow_up={"action": "办医保", "owner": owner, "due_on": DUE},
    )
    return visit.follow_ups.get()


def test_a_closed_follow_up_is_not_closed_again(world):
    done = _follow_up(world.village)
    services.follow_up_close(follow_up=done, status=FollowUpStatus.DONE, on=DUE)
    with pytest.raises(ValidationError) as error:
        services.follow_up_close(follow_up=done, status=FollowUpStatus.DONE, on=LATER)
    assert error.value.code == services.FOLLOW_UP_CLOSED_CODE
    done.refresh_from_db()
    assert done.done_on == DUE  # not rewritten
    cancelled = _follow_up(world.village)
    services.follow_up_close(follow_up=cancelled, status=FollowUpStatus.CANCELLED, on=DUE)
    cancelled.refresh_from_db()
    assert cancelled.status == FollowUpStatus.CANCELLED and cancelled.done_on is None
    with pytest.raises(ValidationError):
        services.follow_up_close(follow_up=cancelled, status=FollowUpStatus.DONE, on=LATER)
    cancelled.refresh_from_db()
    assert cancelled.status == FollowUpStatus.CANCELLED


def test_cancelling_drops_the_stored_figures(world):
    row = _follow_up(world.village)
    assert compliance("450101000000", LATER).follow_ups_overdue == 1  # stored now
    services.follow_up_close(follow_up=row, status=FollowUpStatus.CANCELLED, on=LATER)
    assert compliance("450101000000", LATER).follow_ups_overdue == 0


def test_the_pages_cancel_and_refuse_closing_twice_with_a_message(world, client):
    clerk = world.user(Role.VILLAGE_CLERK)
    client.force_login(clerk)
    row = _follow_up(world.village)
    page = client.get(reverse("household-detail", args=[row.household_id])).content.decode()
    assert reverse("follow-up-cancel", args=[row.pk]) in page
    late = client.get(reverse("fieldwork-compliance"), {"on": "2019-06-01"}).content.decode()
    assert reverse("follow-up-cancel", args=[row.pk]) in late
    back = reverse("fieldwork-compliance") + "?on=2019-06-01"
    answer = client.post(reverse("follow-up-cancel", args=[row.pk]), {"next": back})
    assert answer.status_code == 302 and answer["Location"] == back
    row.refresh_from_db()
    assert row.status == FollowUpStatus.CANCELLED and row.history.latest().history_user == clerk
    again = client.post(reverse("follow-up-done", args=[row.pk]), follow=True)
    row.refresh_from_db()
    assert row.status == FollowUpStatus.CANCELLED
    shown = [str(m) for m in again.context["messages"]]
    assert shown[-1] == str(services.FOLLOW_UP_NOT_OPEN) and len(shown) == 2
    # Elsewhere than this site: back to the household page.
    away = client.post(reverse("follow-up-done", args=[row.pk]), {"next": "https://evil.example/"})
    assert away["Location"] == reverse("household-detail", args=[row.household_id])


def test_the_api_refuses_done_for_a_cancelled_follow_up(world, client):
    _token, secret = api_token_create(user=world.user(Role.VILLAGE_CLERK))
    headers = {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}
    row = _follow_up(world.village)
    services.follow_up_close(follow_up=row, status=FollowUpStatus.CANCELLED, on=DUE)
    answer = client.post(f"/api/v1/fieldwork/follow-ups/{row.pk}/done/", headers=headers)
    assert answer.status_code == 409 and answer.json()["code"] == "follow_up_closed"
    row.refresh_from_db()
    assert row.status == FollowUpStatus.CANCELLED
