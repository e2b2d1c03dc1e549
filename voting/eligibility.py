"""Who may vote: the one place the voting app asks the identity app.

``identity.selectors.eligible_voters(scope)`` is the contract (verified residents, city-wide for
``None`` or of one district). The roll is frozen from it once, when the key ceremony is frozen.
"""

from django.db.models import QuerySet

from identity.models import User
from identity.selectors import eligible_voters
from voting.models import Election


def eligible_users(election: Election) -> QuerySet[User]:
    return eligible_voters(election.scope)
