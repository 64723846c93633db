"""One term, one word (docs/glossary.md): where two apps say the same English word of two
things, the Chinese page shows each its own — the catalogues merge in app order, the first
app's translation winning, so the word carries a context."""

import pytest
from django.template import Context, Template
from django.utils import translation

from fupin.fieldwork.models import EnrolmentStatus, MediationStatus, ReferralStatus
from fupin.procedures.models import Status

pytestmark = pytest.mark.django_db  # the app's conftest puts its defaults back for each test


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_a_course_completed_is_not_a_project_completed():
    assert str(EnrolmentStatus.COMPLETED.label) == "已结业"
    assert str(Status.COMPLETED.label) == "已完成"


def test_a_case_handed_on_is_not_a_person_referred():
    assert str(MediationStatus.REFERRED.label) == "已移交"
    assert str(ReferralStatus.REFERRED.label) == "已推荐"


def test_a_procedures_steps_are_not_a_mediations_steps():
    steps = Template(
        '{% load i18n %}{% translate "Steps" %}|{% translate "Steps" context "mediation" %}'
    )
    assert steps.render(Context()) == "步骤|调解经过"


def test_a_referral_is_one_word():
    assert translation.gettext("Referrals") == translation.gettext("referrals") == "推荐"
