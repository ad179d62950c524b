"""``/home``: the home of the logged-in member of staff's role; ``/home/results``: the results
overview (the researcher's home, and the administrator's "Results" link)."""
from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user

from ..auth.permissions import roles_required
from ..extensions import db
from ..formatting import local_today
from ..forms.users import ROLE_NAMES
from ..i18n import current_language, localized
from ..inspect.action_list import item_text, query_args
from ..models import ROLES
from . import bp
from .field import OVERDUE, inspector_home, team_home
from .setup_checklist import setup_checklist

RESEARCH = ("researcher", "admin")


def _today():
    return local_today(current_app.config["DISPLAY_TIMEZONE"])


@bp.route("/home")
@roles_required(*ROLES)
def home():
    role, today = current_user.role, _today()
    if role == "inspector":
        overdue, due_today, later = inspector_home(db.session, current_user, today)
        return render_template("home/inspector.html", overdue=overdue, due_today=due_today, later=later,
                               today=today)
    if role == "supervisor":
        team = team_home(db.session, current_user, today)
        return render_template("home/supervisor.html", team=team, item_texts=_item_texts(team.overdue_actions),
                               overdue_args=query_args(OVERDUE), today=today)
    if role == "researcher":
        return _overview(role_home=True)
    return render_template("home/admin.html", checklist=setup_checklist(db.session, today), today=today,
                           role_names=ROLE_NAMES)


@bp.route("/home/results")
@roles_required(*RESEARCH)
def results():
    return _overview(role_home=False)


def _overview(role_home: bool):
    # pandas and the results engine load with the first overview, not when the app is built
    from .overview import ComputeBudget, OverviewCache, checklist_rows, questionnaire_rows

    config = current_app.config
    cache = current_app.extensions.setdefault("home_overview", OverviewCache())
    today = _today()
    budget = ComputeBudget()
    questionnaires = questionnaire_rows(db.session, current_app.extensions["response_tables"],
                                        timezone=config["DISPLAY_TIMEZONE"], today=today,
                                        minimum=config["MIN_RESPONSES"], cache=cache, budget=budget)
    checklists = checklist_rows(db.session, timezone=config["DISPLAY_TIMEZONE"], today=today, cache=cache,
                                budget=budget)
    lang = current_language()
    labels = {row.instrument.code: {item["code"]: localized(item["labels"], lang)
                                    for item in row.instrument.latest.definition["items"]}
              for row in questionnaires if not row.pending}
    open_alerts = None
    if role_home:  # the researcher's own home: the early-warning alerts nobody has looked at yet
        from sqlalchemy import func, select

        from ..models import Alert
        open_alerts = db.session.scalar(select(func.count()).select_from(Alert).where(Alert.status == "open"))
    return render_template("home/researcher.html", questionnaires=questionnaires, checklists=checklists,
                           labels=labels, role_home=role_home, today=today, open_alerts=open_alerts,
                           left_over=budget.left_over)


def _item_texts(actions) -> dict[int, str]:
    """Each action's failed item as its checklist words it, in the page's language."""
    lang = current_language()
    return {action.id: item_text(action, lang) for action in actions}
