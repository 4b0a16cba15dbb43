"""Teachers' progress pages (Django sessions, like the placement reports): the class table with sorting and CSV
export, and a printable student page. A teacher reaches their own classes and students only (404 otherwise), staff
everyone."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import aget_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from apps.accounts.pages import page_teacher
from apps.progress import services, tables
from apps.progress.charts import progress_chart

LOGIN_URL = "/teacher/login/"
TREND_ORDER = {"down": 0, "steady": 1, "up": 2}
SORT_KEYS = {
    "name": lambda r: r["student"]["name"].lower(),
    "placement": lambda r: r["placement"]["level"] if r["placement"] else None,
    "current": lambda r: r["current"]["level"],
    "trend": lambda r: r["trend"]["per_week"],
    "messages": lambda r: r["week_messages"],
    "activity": lambda r: r["last_activity"],
}


def _sorted(rows: list[dict], key: str, descending: bool) -> list[dict]:
    """Rows by ``key``; rows without a value go last in either direction."""
    get = SORT_KEYS.get(key, SORT_KEYS["name"])
    known = sorted((r for r in rows if get(r) is not None), key=get, reverse=descending)
    return known + [r for r in rows if get(r) is None]


def _with_dates(row: dict) -> dict:
    """The cached figures hold ISO strings; templates format dates."""
    if row.get("placement"):
        row["placement"]["date"] = parse_datetime(row["placement"]["date"])
    row["last_activity"] = parse_datetime(row["last_activity"]) if row.get("last_activity") else None
    return row


@login_required(login_url=LOGIN_URL)
async def classes(request: HttpRequest) -> HttpResponse:
    user = await page_teacher(request)
    found = [c async for c in services.visible_classrooms(user.pk, user.role).order_by("name")]
    return render(request, "progress/classes.html", {"classes": found})


@login_required(login_url=LOGIN_URL)
async def class_page(request: HttpRequest, classroom_id: int) -> HttpResponse:
    user = await page_teacher(request)
    classroom = await aget_object_or_404(services.visible_classrooms(user.pk, user.role), pk=classroom_id)
    key, order = request.GET.get("sort", "name"), request.GET.get("order", "asc")
    rows = _sorted(await services.class_table(classroom), key, order == "desc")
    context = {
        "classroom": classroom,
        "table_rows": tables.class_rows([_with_dates(r) for r in rows]),
        "sort": key if key in SORT_KEYS else "name",
        "order": order,
        "columns": [("name", "Student"), ("placement", "Placement"), ("current", "Current level (30 days)"),
                    ("trend", "Trend (4 weeks)"), ("messages", "Messages (7 days)"), ("activity", "Last activity")],
    }  # fmt: skip
    return render(request, "progress/class.html", context)


@login_required(login_url=LOGIN_URL)
async def class_csv(request: HttpRequest, classroom_id: int) -> HttpResponse:
    user = await page_teacher(request)
    classroom = await aget_object_or_404(services.visible_classrooms(user.pk, user.role), pk=classroom_id)
    rows = await services.class_table(classroom)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="class-{classroom.pk}-progress.csv"'
    out = csv.writer(response)
    out.writerow(["student", "username", "placement", "placement_date", "current_level", "current_band",
                  "samples_30_days", "trend", "trend_per_week", "messages_7_days", "last_activity"])  # fmt: skip
    for r in rows:
        placement = r["placement"] or {}
        out.writerow([
            _cell(r["student"]["name"]), r["student"]["username"], placement.get("level", ""),
            (placement.get("date") or "")[:10], r["current"]["level"] or "", r["current"]["band"] or "",
            r["current"]["samples"], r["trend"]["direction"] or "", r["trend"]["per_week"] or "",
            r["week_messages"], r["last_activity"] or "",
        ])  # fmt: skip
    return response


def _vocab_rows(vocabulary: dict) -> list[tuple[str, dict]]:
    rows = []
    for label, key in (("Words used (messages, writing)", "used"), ("Words of scanned pages", "scanned")):
        v = vocabulary[key]
        rows.append((label, {"words": v["words"], "list": [100 * share for share in v["shares"].values()]}))
    return rows


def _cell(text: str) -> str:
    """A name a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required(login_url=LOGIN_URL)
async def student_page(request: HttpRequest, student_id: int) -> HttpResponse:
    user = await page_teacher(request)
    student = await services.visible_students(user.pk, user.role).filter(pk=student_id).afirst()
    if student is None:
        raise Http404("No such student in your classes")
    detail = _with_dates(await services.learner_detail(student))
    weeks = [{**w, "week": parse_date(w["week"])} for w in detail["weeks"]]
    placements = [{**p, "date": parse_datetime(p["date"])} for p in detail["placements"]]
    today = timezone.now().date()
    chart = progress_chart(weeks, [{**p, "date": p["date"].date()} for p in placements], today)
    for a in detail["analyses"]:
        a["date"] = parse_datetime(a["date"])
    context = {"student": student, "p": detail, "chart": chart, "vocab_rows": _vocab_rows(detail["vocabulary"])}
    return render(request, "progress/student.html", context)
