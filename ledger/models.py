"""The transparency log's tables.

History is insert-only, enforced by the database itself (``ledger/triggers.py``, installed by the
migrations): ``Entry``, ``LogLeaf``, ``TreeNode``, ``Checkpoint`` and ``Cosignature`` rows can be
inserted but never updated or deleted. What may change lives elsewhere: ``Witness`` (which
partners we ask to cosign), ``LogHead`` (the sequencer's lock and the size it reached) and
``PendingEntry`` (the sequencer's work queue: entries not yet given an index).

Hashes are stored as raw 32-byte values; ``TreeNode`` uses a composite primary key
``(level, index)`` so a proof's nodes are fetched with one ``WHERE (level, index) IN (...)``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """One thing anchored on the log: its kind, the payload as the app gave it, the leaf bytes.

    The leaf (``ledger.leaf.Entry``) commits to the payload's SHA-256, its kind and
    ``appended_at``; the payload itself is kept here so the explorer can show it and the audit
    can recompute the leaf. Apps pass only commitments, aliases and non-personal data.
    """

    kind = models.CharField(_("kind"), max_length=64)
    payload = models.JSONField(_("payload"))
    leaf = models.BinaryField(_("leaf bytes"))
    leaf_hash = models.BinaryField(_("leaf hash"), max_length=32, db_index=True)
    appended_at = models.DateTimeField(_("appended at"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class PendingEntry(models.Model):
    """An entry waiting for the sequencer. Deleted in the transaction that gives it an index.

    A queue rather than an anti-join (``Entry`` without ``LogLeaf``): entries may commit out of
    id order, so "pending" cannot be a range of ids, and the anti-join walks the whole log.
    """

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, primary_key=True)

    class Meta:
        verbose_name = _("pending ledger entry")
        verbose_name_plural = _("pending ledger entries")

    def __str__(self) -> str:
        return f"pending entry {self.entry_id}"


class LogLeaf(models.Model):
    """Position ``index`` of the log holds ``entry``: written once, by the sequencer."""

    index = models.PositiveBigIntegerField(_("index"), primary_key=True)
    entry = models.OneToOneField(
        Entry, on_delete=models.PROTECT, related_name="log_leaf", verbose_name=_("entry")
    )

    class Meta:
        ordering = ["index"]
        verbose_name = _("log leaf")
        verbose_name_plural = _("log leaves")

    def __str__(self) -> str:
        return f"leaf {self.index}"


class TreeNode(models.Model):
    """The hash of the perfect subtree over leaves [index * 2**level, (index + 1) * 2**level)."""

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField(_("level"))
    index = models.PositiveBigIntegerField(_("index"))
    hash = models.BinaryField(_("hash"), max_length=32)

    class Meta:
        verbose_name = _("tree node")
        verbose_name_plural = _("tree nodes")

    def __str__(self) -> str:
        return f"node ({self.level}, {self.index})"


class Checkpoint(models.Model):
    """A signed tree head. ``size`` is unique: there is never a second checkpoint for one size.

    ``note`` is the C2SP signed note exactly as the log signed it (log signature only);
    cosignatures are kept in ``Cosignature`` and appended when the note is served.
    """

    size = models.PositiveBigIntegerField(_("size"), unique=True)
    root = models.BinaryField(_("root hash"), max_length=32)
    note = models.TextField(_("signed note"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-size"]
        get_latest_by = "size"
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class Witness(models.Model):
    """A partner that cosigns checkpoints (c2sp.org/tlog-witness). Configuration, so mutable."""

    name = models.CharField(_("key name"), max_length=200, unique=True)
    label = models.CharField(_("partner"), max_length=200)
    verifier_key = models.CharField(_("verifier key"), max_length=400, unique=True)
    url = models.URLField(_("submission URL"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("witness")
        verbose_name_plural = _("witnesses")

    def __str__(self) -> str:
        return self.label or self.name


class Cosignature(models.Model):
    """A witness's cosignature/v1 on a checkpoint, verified before it was stored."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="cosignatures"
    )
    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="cosignatures")
    line = models.TextField(_("signature line"))
    signed_at = models.DateTimeField(_("cosigned at"))
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["checkpoint", "witness"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "witness"], name="ledger_one_cosignature_per_witness"
            )
        ]
        verbose_name = _("cosignature")
        verbose_name_plural = _("cosignatures")

    def __str__(self) -> str:
        return f"{self.witness_id} on {self.checkpoint_id}"


class LogHead(models.Model):
    """The single row the sequencer locks (``SELECT ... FOR UPDATE``): the size it reached."""

    SINGLETON = 1
    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    size = models.PositiveBigIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("log head")
        verbose_name_plural = _("log head")

    def __str__(self) -> str:
        return f"log head at size {self.size}"
