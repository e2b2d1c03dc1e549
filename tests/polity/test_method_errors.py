"""Refused methods and formats say why, in JSON for machines and on the error page for people."""

import pytest


@pytest.mark.django_db
def test_a_refused_method_on_a_page_explains_itself_as_json(client):
    response = client.put("/accounts/signup/", HTTP_ACCEPT="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    error = response.json()["error"]
    assert error["code"] == "method_not_allowed"
    assert "PUT" in error["reason"]
    assert "GET, POST" in error["reason"]


@pytest.mark.django_db
def test_a_refused_method_shows_people_the_error_page(client):
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert "no-store" in response["Cache-Control"]  # LogoutView's own headers are kept
    assert response["Content-Type"].startswith("text/html")
    assert "Error 405" in response.text
    assert "does not accept GET requests" in response.text


@pytest.mark.django_db
def test_api_method_errors_keep_the_api_reason(client):
    response = client.delete("/api/")
    assert response.status_code == 405
    assert response.json()["error"]["reason"] == 'Method "DELETE" not allowed.'


@pytest.mark.django_db
def test_the_api_docs_refuse_a_json_client_in_json(client):
    response = client.get("/api/docs/", HTTP_ACCEPT="application/json")
    assert response.status_code == 406
    error = response.json()["error"]
    assert error["code"] == "not_acceptable"
    assert error["reason"]
    assert client.get("/api/docs/", HTTP_ACCEPT="text/html").status_code == 200
