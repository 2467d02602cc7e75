"""The evaluation form behind the e-mail's signed link (no login). Every answer is the
page itself, never a 500: a forged or cut-off link (404), an expired one (410), one that
has been used (200, "thank you, you have answered"), bad input (200, the form again, with
Danish errors and what was typed kept)."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import evaluation
from .evaluation_forms import EvaluationForm

TEMPLATE = "meetings/evaluation/form.html"
LINK_PROBLEM_STATUS = {"invalid": 404, "expired": 410}


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    invitation, problem = evaluation.invitation_from_token(token)
    if invitation is None:
        return render(
            request,
            "meetings/evaluation/link_problem.html",
            {"problem": problem},
            status=LINK_PROBLEM_STATUS[problem],
        )
    meeting = invitation.meeting
    if invitation.answered:
        return render(request, "meetings/evaluation/done.html", {"meeting": meeting})
    items = evaluation.rated_items(meeting)
    form = EvaluationForm(request.POST if request.method == "POST" else None, items=items)
    if request.method == "POST" and form.is_valid():
        evaluation.submit_answer(
            invitation=invitation,
            overall=form.cleaned_data["overall"],
            item_ratings=form.item_ratings(),
            next_topics=form.cleaned_data["next_topics"],
            comment=form.cleaned_data["comment"],
        )
        # Answered now, or a moment ago in another tab: either way the thanks.
        return redirect("meetings:evaluation", token=token)
    return render(request, TEMPLATE, {"meeting": meeting, "form": form})
