"""The report page in a real browser: Debian's chromium (headless) against the running ASGI server.

Set UPDATE_SCREENSHOTS=1 to refresh docs/teacher-report.png from this test.
"""

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from django.conf import settings
from django.utils import timezone

from apps.leveltest import reports
from apps.leveltest.models import Answer, Attempt, Item, WritingAnswer, WritingPrompt
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture
def live_asgi():
    """The project's ASGI application served by uvicorn on a free loopback port, in a thread."""
    from project.asgi import application

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("chromium and chromedriver are required (scripts/ensure-system.sh installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1100,1700"):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def report(student, teacher):
    student.first_name, student.last_name = "Alice", "Martin"
    student.save()
    attempt = Attempt.objects.create(learner=student, submitted_at=timezone.now())
    for item in Item.objects.order_by("level", "skill", "key")[::4][:24]:
        right = item.level in {"A1", "A2", "B1"} or (item.level == "B2" and item.skill == "vocabulary")
        choice = item.answer if right else (item.answer + 1) % 4
        Answer.objects.create(attempt=attempt, item=item, choice=choice, correct=right, theta_after=0, se_after=1)
    WritingAnswer.objects.create(
        attempt=attempt,
        prompt=WritingPrompt.objects.filter(level="B1").first(),
        text="Last summer I travelled to Spain with my family. We visited Madrid and Seville, and I tried to speak "
        "Spanish in the shops. It was difficult at first, but people were very patient with me.",
        level="B1",
    )
    return reports.save(attempt)


def test_a_teacher_logs_in_and_reads_the_report(live_asgi, browser, report, student):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 15)
    browser.get(f"{live_asgi}/teacher/login/")
    browser.find_element(By.ID, "id_username").send_keys("tess")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.ID, "login").click()
    try:  # the click starts the form's navigation; the next page arrives when it arrives
        wait.until(expected_conditions.url_matches(r"/teacher/$"))
    except TimeoutException:
        pytest.fail(
            f"still at {browser.current_url} after logging in: {browser.find_element(By.TAG_NAME, 'body').text}"
        )
    assert "Alice Martin" in browser.find_element(By.TAG_NAME, "main").text

    browser.find_element(By.LINK_TEXT, "Alice Martin").click()
    level = wait.until(expected_conditions.presence_of_element_located((By.ID, "overall-level")))
    assert level.text == report.level
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.level-chart rect")
    assert len(bars) == 5  # grammar, vocabulary, reading, overall, writing
    assert browser.find_element(By.ID, "writing-level").text == "B1"
    assert "travelled to Spain" in browser.find_element(By.ID, "writing-sample").text
    rows = browser.find_elements(By.CSS_SELECTOR, "#items tbody tr")
    assert len(rows) == len(report.items) == 24

    shot = Path(settings.DATA_DIR) / "screenshots" / "teacher-report.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shutil.copy(shot, Path(settings.BASE_DIR) / "docs" / "teacher-report.png")
