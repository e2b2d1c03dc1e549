"""Demo data for the ledger: three PPP partners running witnesses, and a first anchored entry.

The partners' witness keys are generated into ``DATA_DIR/witnesses/``; ``polity.sh up`` serves them
(``manage.py ledger_witness serve``) on ports 8101-8103, so the worker gets real cosignatures over
HTTP. In a real deployment each partner runs ``python -m ledger.witness_server`` itself and only
its verifier key and URL are registered here.
"""

from typing import TextIO

from django.conf import settings

from ledger import cosigning, selectors, services
from ledger.models import Entry

PARTNERS = [
    ("harbour-builders.demo/witness", "Harbour Builders S.A. (contractor)", 8101),
    ("city-audit.demo/witness", "Independent Audit Office (auditor)", 8102),
    ("riverside-neighbours.demo/witness", "Riverside Neighbours' Association (citizens)", 8103),
]
ROSTER_KIND = "ledger.witness-roster"


def seed(stdout: TextIO) -> None:
    witnesses = [
        cosigning.create_local_witness(name=name, label=label, url=f"http://127.0.0.1:{port}")
        for name, label, port in PARTNERS
    ]
    if not Entry.objects.filter(kind=ROSTER_KIND).exists():
        # The first entry records who witnesses the log, so the roster itself is on the record.
        services.append(
            ROSTER_KIND,
            {
                "quorum": settings.LEDGER_WITNESS_QUORUM,
                "witnesses": [w.verifier_key for w in witnesses],
            },
        )
    services.sequence_pending()
    stdout.write(
        f"ledger: {selectors.tree_size()} entries; partner witnesses "
        + ", ".join(f"{w.label} at {w.url}" for w in witnesses)
        + "\n"
    )
