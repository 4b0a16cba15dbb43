"""The progress pages in a real browser (Debian's chromium, headless, as the placement report's test), on a class
made by the benchmark's generator.

Set UPDATE_SCREENSHOTS=1 to refresh docs/progress-class.png and docs/progress-student.png from this test.
"""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.accounts.models import Classroom
from tests.leveltest.test_report_in_browser import browser, live_asgi  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def _shoot(driver, name: str) -> None:
    shot = Path(settings.DATA_DIR) / "screenshots" / name
    shot.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shutil.copy(shot, Path(settings.BASE_DIR) / "docs" / name)


def test_a_teacher_sorts_the_class_and_opens_a_students_progress(live_asgi, browser):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    call_command("progress_generate", students=6, messages=1500, days=365, stdout=io.StringIO())
    classroom = Classroom.objects.get(name="Progress bench")
    wait = WebDriverWait(browser, 15)
    browser.get(f"{live_asgi}/teacher/login/")
    browser.find_element(By.ID, "id_username").send_keys("progress-teacher")
    browser.find_element(By.ID, "id_password").send_keys("progress-bench-password")
    browser.find_element(By.ID, "login").click()
    wait.until(expected_conditions.url_matches(r"/teacher/$"))

    browser.get(f"{live_asgi}/teacher/progress/")
    browser.find_element(By.LINK_TEXT, "Progress bench").click()
    wait.until(expected_conditions.presence_of_element_located((By.ID, "progress")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#progress tbody tr")
    assert len(rows) == 6 and all("texts" in r.text for r in rows)
    browser.find_element(By.CSS_SELECTOR, 'a.sort[data-sort="current"]').click()
    wait.until(expected_conditions.url_contains("sort=current"))
    levels = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#progress td.current .level")]
    assert levels == sorted(levels) and len(levels) == 6
    _shoot(browser, "progress-class.png")

    student = classroom.students.order_by("username").first()
    browser.find_element(By.PARTIAL_LINK_TEXT, student.first_name).click()
    chart = wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "svg.progress-chart")))
    assert len(chart.find_elements(By.CSS_SELECTOR, "circle.median")) >= 40  # a year of weeks
    assert len(chart.find_elements(By.CSS_SELECTOR, "path.placement")) == 3
    assert len(browser.find_elements(By.CSS_SELECTOR, "#errors tbody tr")) == 5
    assert len(browser.find_elements(By.CSS_SELECTOR, "#vocabulary tbody tr")) == 2
    assert browser.find_element(By.ID, "current-level").text in {"A1", "A2", "B1", "B2", "C1", "C2"}
    _shoot(browser, "progress-student.png")
