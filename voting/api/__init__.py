"""The elections REST API (``/api/elections/``): thin views over ``voting.services`` and
``voting.selectors``; refusals become the JSON error shape of ``polity.api``."""
