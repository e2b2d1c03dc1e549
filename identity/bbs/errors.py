"""Why a BBS operation refused: every failure carries a reason a person can read."""


class BBSError(ValueError):
    """Base class: the inputs do not form a valid BBS operation; ``str(err)`` says why."""


class EncodingError(BBSError):
    """Bytes that are not a canonical key, point, scalar, signature or proof."""


class InvalidSignature(BBSError):
    """A well-formed signature that does not verify for these messages, header and key."""


class InvalidProof(BBSError):
    """A well-formed proof that does not verify for these disclosures, headers and key."""
