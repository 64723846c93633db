"""Writes: validation, derived schedule, progress moving the status, money constraints."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from fupin.core.roles import Role
from fupin.workplan import services
from fupin.workplan.models import (
    PHOTO_NOT_IMAGE,
    PHOTO_TOO_LARGE,
    SOURCE_NOT_IN_PROJECT,
    FundingSource,
    Project,
    SourceKind,
    Status,
)
from tests.workplan import factories


def test_month_precision_schedule_is_stored_as_dates(world):
    project = factories.project(world.village, start=3, completion=6)
    assert project.planned_start == date(2019, 3, 1)
    assert project.deadline == date(2019, 6, 30)
    within = factories.project(world.village, name="油茶", start=None, completion=None)
    assert within.planned_start == date(2019, 1, 1)
    assert within.deadline == date(2019, 12, 31)


def test_start_after_completion_is_refused(world):
    with pytest.raises(ValidationError) as error:
        factories.project(world.village, start=8, completion=6)
    assert "planned_start_month" in error.value.message_dict


def test_location_outside_the_plans_area_is_refused(world):
    plan = factories.plan(world.village)
    with pytest.raises(ValidationError) as error:
        services.project_create(
            plan=plan,
            number=1,
            name="道路",
            category="road",
            lead_department=factories.department(world.village.code),
            locations=[world.outside_village],
        )
    assert services.LOCATION_OUTSIDE_PLAN in error.value.message_dict["locations"]


def test_progress_starts_then_completes_the_project(world):
    clerk = world.user(Role.VILLAGE_CLERK)
    project = factories.project(world.village)
    services.progress_update_create(
        project=project, date=date(2019, 4, 1), percent=30, reported_by=clerk
    )
    project.refresh_from_db()
    assert (project.status, project.started_on, project.progress_percent) == (
        Status.STARTED,
        date(2019, 4, 1),
        30,
    )
    # An update dated earlier than the latest does not move the latest figure back.
    services.progress_update_create(
        project=project, date=date(2019, 3, 20), percent=10, reported_by=clerk
    )
    project.refresh_from_db()
    assert (project.progress_percent, project.last_progress_on) == (30, date(2019, 4, 1))
    services.progress_update_create(
        project=project, date=date(2019, 7, 20), percent=100, reported_by=clerk
    )
    project.refresh_from_db()
    assert (project.status, project.completed_on) == (Status.COMPLETED, date(2019, 7, 20))
    with pytest.raises(ValidationError):
        services.progress_update_create(
            project=project, date=date(2019, 7, 21), percent=100, reported_by=clerk
        )


def test_progress_percent_is_0_to_100_in_the_database(world):
    project = factories.project(world.village)
    with pytest.raises(ValidationError):
        services.progress_update_create(
            project=project, date=date(2019, 4, 1), percent=101, reported_by=None
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(progress_percent=120)


def test_photo_must_be_a_small_image(world):
    project = factories.project(world.village)
    png = SimpleUploadedFile("site.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    update = services.progress_update_create(
        project=project, date=date(2019, 4, 1), percent=10, reported_by=None, photo=png
    )
    assert update.photo.name.endswith(".png")
    fake = SimpleUploadedFile("site.jpg", b"<script>alert(1)</script>")
    with pytest.raises(ValidationError) as error:
        services.progress_update_create(
            project=project, date=date(2019, 4, 2), percent=20, reported_by=None, photo=fake
        )
    assert PHOTO_NOT_IMAGE in error.value.messages
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.progress_update_create(
            project=project, date=date(2019, 4, 3), percent=20, reported_by=None, photo=big
        )
    assert PHOTO_TOO_LARGE in error.value.messages
    exe = SimpleUploadedFile("x.exe", b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ValidationError):
        services.progress_update_create(
            project=project, date=date(2019, 4, 4), percent=20, reported_by=None, photo=exe
        )


def test_expenditure_must_come_from_one_of_the_projects_sources(world):
    project = factories.project(world.village)
    with pytest.raises(ValidationError) as error:
        factories.spend(project, 1000, source=SourceKind.POVERTY_FUND)
    assert SOURCE_NOT_IN_PROJECT in error.value.message_dict["source"]


def test_money_is_never_negative_and_vouchers_are_unique_per_project(world):
    project = factories.project(world.village)
    with pytest.raises(ValidationError):
        factories.spend(project, -5)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingSource.objects.filter(project=project).update(planned_amount=Decimal(-1))
    services.expenditure_create(
        project=project,
        date=date(2019, 5, 1),
        amount=Decimal(10),
        source="department_budget",
        voucher_no="V-1",
        recorded_by=None,
    )
    with pytest.raises(ValidationError):
        services.expenditure_create(
            project=project,
            date=date(2019, 5, 2),
            amount=Decimal(10),
            source="department_budget",
            voucher_no="V-1",
            recorded_by=None,
        )


def test_in_kind_only_funding_is_not_valued(world):
    project = factories.project(world.village, name="水泥路面硬化", budget=None, kind="in_kind")
    source = project.funding.get()
    assert source.planned_amount is None
    services.funding_source_create(
        project=project, kind=SourceKind.LABOUR, planned_amount=None, in_kind="群众投工投劳"
    )
    assert project.funding.count() == 2


def test_status_completed_needs_a_date_and_sets_full_progress(world):
    project = factories.project(world.village)
    with pytest.raises(ValidationError):
        services.project_set_status(project=project, status=Status.COMPLETED)
    services.project_set_status(project=project, status=Status.ACCEPTED, on=date(2019, 7, 1))
    project.refresh_from_db()
    assert (project.status, project.completed_on, project.progress_percent) == (
        Status.ACCEPTED,
        date(2019, 7, 1),
        100,
    )


def test_objective_records_its_actual(world):
    plan = factories.plan(world.village)
    objective = services.objective_create(
        plan=plan, number=1, description="消除绝对贫困", indicator="贫困发生率", target="<3%"
    )
    services.objective_record_actual(objective=objective, actual="1.8%", met=True)
    objective.refresh_from_db()
    assert (objective.actual, objective.met) == ("1.8%", True)


def test_changes_are_audited(world):
    project = factories.project(world.village)
    services.project_set_status(project=project, status=Status.STARTED, on=date(2019, 3, 1))
    assert project.history.count() == 2  # created, then its status changed
    assert project.history.latest().status == Status.STARTED


def test_create_and_update_refuse_a_taken_number_alike(world):
    """Creating and changing an objective, a work item or a project take one write path
    (services._write): a number already used in the plan is refused on the field by both."""
    plan = factories.plan(world.village)
    first = services.objective_create(
        plan=plan, number=1, description="收入", indicator="人均收入", target="4000"
    )
    second = services.objective_create(
        plan=plan, number=2, description="住房", indicator="危房", target="0"
    )
    item = services.work_item_create(plan=plan, number=1, kind="other", title="一")
    services.work_item_create(plan=plan, number=2, kind="other", title="二")
    writes = [
        lambda: services.objective_create(
            plan=plan, number=first.number, description="x", indicator="x", target="x"
        ),
        lambda: services.objective_update(objective=second, number=first.number),
        lambda: services.work_item_create(plan=plan, number=1, kind="other", title="三"),
        lambda: services.work_item_update(item=item, number=2),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as error:
            write()
        assert error.value.message_dict["number"] == [str(services.NUMBER_TAKEN)]
