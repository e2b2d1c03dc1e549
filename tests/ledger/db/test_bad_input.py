"""Odd numbers in the ledger pages' addresses: an answer, not a server error.

``"²".isdigit()`` is true but ``int("²")`` fails; both pages used to end in a 500 on it.
"""

import pytest

from ledger import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    services.append_many([("test.item", {"n": i}) for i in range(3)])
    services.sequence_pending()


@pytest.mark.parametrize("query", ["²", "9" * 30])
def test_searching_an_odd_number_says_there_is_no_such_entry(client, log, query):
    page = client.get("/ledger/search", {"q": query})
    assert page.status_code == 404
    assert "There is no entry" in page.content.decode()


@pytest.mark.parametrize("index", ["²", "9" * 30, "-1"])
def test_the_verify_page_ignores_an_index_that_is_not_one(client, log, index):
    page = client.get("/ledger/verify/", {"index": index})
    assert page.status_code == 200
    assert "data-receipt-url" not in page.content.decode()


def test_the_verify_page_still_links_entry_zero(client, log):
    page = client.get("/ledger/verify/", {"index": "0"}).content.decode()
    assert 'data-receipt-url="/api/ledger/entries/0/receipt"' in page
