"""The API's schema and docs, and its error format."""

import pytest
import yaml


def test_openapi_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Polity API"


def test_api_docs_page_loads_its_assets_from_this_server(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower()


def test_unknown_api_path_is_a_json_404_with_a_reason(client):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["reason"]


def test_api_root_links_the_schema_and_docs(client):
    body = client.get("/api/").json()
    assert body["schema"].endswith("/api/schema/")
    assert body["docs"].endswith("/api/docs/")


@pytest.mark.django_db
def test_method_not_allowed_is_json_with_a_reason(client):
    response = client.delete("/api/")
    assert response.status_code == 405
    assert response.json()["error"] == {
        "status": 405,
        "code": "method_not_allowed",
        "reason": 'Method "DELETE" not allowed.',
    }
