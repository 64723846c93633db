"""A project's page: progress and expenditure forms, status, photos served through scoping."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fupin.core.roles import Role
from fupin.workplan.models import Expenditure, ProgressUpdate, Status
from tests.workplan import factories

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def _bureau_project(world):
    bureau = world.user(Role.BUREAU)
    water = factories.department(world.village.code, "水利局", members=[bureau])
    return bureau, factories.project(world.village, name="人畜饮水", lead=water, completion=12)


def test_bureau_reports_progress_with_a_photo_and_the_page_shows_it(world, client):
    bureau, project = _bureau_project(world)
    client.force_login(bureau)
    url = reverse("progress-create", args=[project.pk])
    photo = SimpleUploadedFile("工地.png", PNG, content_type="image/png")
    response = client.post(
        url, {"date": "2019-05-01", "percent": 40, "note": "管道铺设", "photo": photo}
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.reported_by == bureau
    page = client.get(reverse("project-detail", args=[project.pk])).content.decode()
    assert "管道铺设" in page and 'data-progress="40"' in page
    photo_url = reverse("progress-photo", args=[update.pk])
    assert photo_url in page
    served = client.get(photo_url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PNG


def test_invalid_progress_shows_the_form_again(world, client):
    bureau, project = _bureau_project(world)
    client.force_login(bureau)
    response = client.post(
        reverse("progress-create", args=[project.pk]), {"date": "2099-01-01", "percent": 140}
    )
    assert response.status_code == 400
    assert "日期不能晚于今天" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_expenditure_is_recorded_and_overspending_is_flagged(world, client):
    bureau, project = _bureau_project(world)
    client.force_login(bureau)
    url = reverse("expenditure-create", args=[project.pk])
    data = {"date": "2019-06-01", "amount": "310000", "source": "department_budget"}
    assert client.post(url, {**data, "voucher_no": "SL-001"}).status_code == 302
    assert Expenditure.objects.get().amount == Decimal(310000)
    page = client.get(reverse("project-detail", args=[project.pk])).content.decode()
    assert "超支" in page and 'data-spent="31"' in page
    again = client.post(url, {**data, "voucher_no": "SL-001"})  # same voucher twice
    assert again.status_code == 400 and Expenditure.objects.count() == 1
    wrong = client.post(url, {**data, "source": "poverty_fund", "voucher_no": "SL-002"})
    assert wrong.status_code == 400


def test_bureau_staff_of_another_department_get_404(world, client):
    _bureau, project = _bureau_project(world)
    other = factories.project(
        world.village, name="二桥维修", lead=factories.department(world.village.code, "交通局")
    )
    client.force_login(world.user(Role.BUREAU))
    assert client.get(reverse("project-detail", args=[other.pk])).status_code == 404
    post = client.post(
        reverse("progress-create", args=[other.pk]), {"date": "2019-05-01", "percent": 10}
    )
    assert post.status_code == 404
    assert client.get(reverse("project-detail", args=[project.pk])).status_code == 200


def test_county_approver_accepts_a_project(world, client):
    _bureau, project = _bureau_project(world)
    client.force_login(world.user(Role.COUNTY_APPROVER))
    client.post(
        reverse("project-status", args=[project.pk]), {"status": "accepted", "on": "2019-11-20"}
    )
    project.refresh_from_db()
    assert (project.status, project.completed_on) == (Status.ACCEPTED, date(2019, 11, 20))


def test_history_link_for_auditors_only(world, client):
    _bureau, project = _bureau_project(world)
    link = reverse("record-history", args=["workplan", "project", project.pk])
    client.force_login(world.user(Role.INSPECTOR))
    page = client.get(reverse("project-detail", args=[project.pk])).content.decode()
    assert link in page
    assert client.get(link).status_code == 200
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    assert link not in client.get(reverse("project-detail", args=[project.pk])).content.decode()


def test_history_names_the_lead_department_in_the_readers_language(world, client):
    _bureau, project = _bureau_project(world)
    roads = factories.department(world.village.code, name="交通运输局")
    roads.name_en = "Transport Bureau"
    roads.save()
    project.lead_department, project._change_reason = roads, "移交交通局"
    project.save()
    client.force_login(world.user(Role.INSPECTOR))
    link = reverse("record-history", args=["workplan", "project", project.pk])
    changed = client.get(link, HTTP_ACCEPT_LANGUAGE="en").context["rows"][0]["changes"]
    assert [new for _field, _old, new in changed] == ["Transport Bureau"]
    changed = client.get(link, HTTP_ACCEPT_LANGUAGE="zh-hans").context["rows"][0]["changes"]
    assert [new for _field, _old, new in changed] == ["交通运输局"]
