"""Quality figures for leaders (and admins): the dashboard and its charts, with no one's words."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from bot.staff import dashboard
from bot.storage.tables.accounts import User
from bot.web.review import charts
from bot.web.review.conversations import parse_date
from bot.web.review.dependencies import QUALITY, PageError, database, record, user_with_role
from bot.web.review.rendering import render

router = APIRouter()
leader = user_with_role(*QUALITY)
api_leader = user_with_role(*QUALITY, api=True)


@router.get("/kvalitet", response_class=HTMLResponse)
def quality(
    request: Request, user: User = Depends(leader), db: Session = database
) -> Response:
    start, end = parse_date(request.query_params.get("fra")), parse_date(request.query_params.get("til"))
    figures = dashboard.build(session=db, date_from=start, date_to=end, include_text=user.role == "admin")
    period = {k: v for k, v in (("fra", start), ("til", end)) if v}
    record(db, user, "dashboard", detail=urlencode(period) or None)
    return render(request, "dashboard.html", {
        "section": "kvalitet", "d": figures, "charts": charts.CHARTS, "titles": charts.CHART_TITLES,
        "period": urlencode(period), "form": {k: str(v) for k, v in period.items()},
    })


@router.get("/kvalitet/{name}.png")
def chart(
    request: Request, name: str, user: User = Depends(api_leader),
    db: Session = database,
) -> Response:
    if name not in charts.CHARTS:
        raise PageError(404)
    start, end = parse_date(request.query_params.get("fra")), parse_date(request.query_params.get("til"))
    figures = dashboard.build(session=db, date_from=start, date_to=end)
    return Response(charts.chart_png(name, figures), media_type="image/png")
