from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Names every page shows: the deployment and the city it serves."""
    return {"site_name": settings.POLITY_SITE_NAME, "city_name": settings.POLITY_CITY_NAME}
