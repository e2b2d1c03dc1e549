"""Reading feedback: the public explorer's filters and rating summaries."""

from django.db.models import Avg, Count, Q, QuerySet

from governance.models import Feedback
from polity.inputs import parse_id


def feedback_items(
    *,
    target: str = "",
    target_id: str = "",
    rating: int | None = None,
    state: str = "",
    query: str = "",
) -> QuerySet[Feedback]:
    items = Feedback.objects.select_related("proposal", "project", "service", "entry")
    if target:
        items = items.filter(target=target)
        if target_id:
            if target == Feedback.Target.SERVICE:
                items = items.filter(service__key=target_id)
            elif (pk := parse_id(target_id)) is not None:
                items = items.filter(**{f"{target}_id": pk})
            else:
                items = items.none()
    if rating is not None:
        items = items.filter(rating=rating)
    if state:
        items = items.filter(state=state)
    if query.strip():
        # Hidden text is never searchable: it is not public.
        items = items.filter(Q(text__icontains=query.strip()), state=Feedback.State.VISIBLE)
    return items.order_by("-created_at", "-pk")


def rating_summary(items: QuerySet[Feedback]) -> dict:
    rated = items.filter(rating__isnull=False)
    summary = rated.aggregate(average=Avg("rating"), count=Count("pk"))
    histogram = dict.fromkeys(range(1, 6), 0)
    for value, count in rated.values_list("rating").annotate(n=Count("pk")).order_by():
        histogram[value] = count
    return {"average": summary["average"], "count": summary["count"], "histogram": histogram}
