"""The compliance page of an area with many cadres: the most overdue first, a page of them
at a time, the other figures unchanged."""

from datetime import date

from django.urls import reverse

from fupin.core.roles import Role
from fupin.fieldwork import services
from fupin.fieldwork.views import CADRES_PER_PAGE
from tests.fieldwork import factories

START = date(2019, 1, 1)


def _rows(page: str) -> list[str]:
    table = page.split('id="by-cadre"', 1)[1].split("</table>", 1)[0]
    return [cell.split("</td>", 1)[0] for cell in table.split("<tr><td>")[1:]]


def test_cadres_are_paged_most_overdue_first(world, client):
    cadres = [factories.cadre(world.village, f"队员{n:02d}") for n in range(CADRES_PER_PAGE + 1)]
    for cadre in cadres:
        home = factories.household(world.village)
        services.household_pair(household=home, cadre=cadre, on=START)
    busiest, diligent = cadres[7], cadres[0]
    second = factories.household(world.village)
    services.household_pair(household=second, cadre=busiest, on=START)
    factories.visit(diligent.pairings.get().household, date(2019, 3, 1), visitor=diligent)
    client.force_login(world.user(Role.RESIDENT_TEAM))
    url = reverse("fieldwork-compliance") + "?on=2019-03-10"
    first = client.get(url).content.decode()
    rows = _rows(first)
    assert len(rows) == CADRES_PER_PAGE
    assert rows[0] == "队员07" and "队员00" not in rows
    assert 'id="cadre-pages"' in first and "cadre_page=2" in first and "on=2019-03-10" in first
    assert '<dd id="overdue-count">51</dd>' in first  # the figures count every cadre's
    last = _rows(client.get(url + "&cadre_page=2").content.decode())
    assert last == ["队员00"]


def test_the_page_says_when_its_figures_were_computed_and_when_each_was_last_visited(world, client):
    seen = factories.household(world.village)
    factories.visit(seen, date(2019, 1, 5))
    never = factories.household(world.village)
    client.force_login(world.user(Role.RESIDENT_TEAM))
    page = client.get(reverse("fieldwork-compliance") + "?on=2019-03-10").content.decode()
    assert 'id="computed-at"' in page and "统计截至" in page
    overdue = page.split('id="overdue"', 1)[1].split("</ul>", 1)[0]
    entries = {
        entry.split("</a>", 1)[0].rsplit(">", 1)[1]: entry for entry in overdue.split("<li>")[1:]
    }
    assert "最近走访 2019-01-05" in entries[seen.household_no]
    assert "从未走访" in entries[never.household_no]
