"""The inclusion path of one leaf as boxes and lines for a small SVG (templates/ledger/_path.html).

Bottom row: the leaf and its sibling. Each row above: the node on the path (covering a range of
leaves that contains the leaf) next to its sibling, whose hash is the next proof element; the top
box is the root of the checkpoint's tree. Pure geometry: labels are left to the template, so they
can be translated.
"""

from dataclasses import dataclass

from ledger.proof import proof_ranges

ROW_HEIGHT = 60
BOX_WIDTH = 220
BOX_HEIGHT = 40
GAP = 30
MARGIN = 10

LEAF, PATH, SIBLING, ROOT = "leaf", "path", "sibling", "root"


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    role: str  # LEAF, PATH (computed on the way up), SIBLING (a proof hash) or ROOT
    first: int  # the box covers leaves first..last
    last: int
    number: int = 0  # the proof hash's position (SIBLING only), from 1
    hash_prefix: str = ""

    @property
    def centre(self) -> int:
        return self.x + BOX_WIDTH // 2

    @property
    def single(self) -> bool:
        return self.first == self.last


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    boxes: list[Box]
    lines: list[tuple[int, int, int, int]]
    box_width: int = BOX_WIDTH
    box_height: int = BOX_HEIGHT


def inclusion_picture(index: int, size: int, hashes: list[bytes]) -> Picture:
    """Boxes and connecting lines for the path of leaf `index` in a tree of `size` leaves."""
    siblings = proof_ranges(index, index + 1, size)
    height = len(siblings) * ROW_HEIGHT + BOX_HEIGHT + 2 * MARGIN
    width = 2 * BOX_WIDTH + GAP + 2 * MARGIN
    left, right = MARGIN, MARGIN + BOX_WIDTH + GAP
    centre = (left + right) // 2
    boxes: list[Box] = []
    lines: list[tuple[int, int, int, int]] = []
    lo, hi = index, index + 1
    y = height - MARGIN - BOX_HEIGHT
    for row, (start, end) in enumerate(siblings):
        path_x, sibling_x = (right, left) if end <= lo else (left, right)
        boxes.append(Box(path_x, y, LEAF if row == 0 else PATH, lo, hi - 1))
        prefix = hashes[row].hex()[:12] if row < len(hashes) else ""
        boxes.append(Box(sibling_x, y, SIBLING, start, end - 1, row + 1, prefix))
        lo, hi = min(lo, start), max(hi, end)
        if row == len(siblings) - 1:
            parent_x = centre
        else:
            parent_x = right if siblings[row + 1][1] <= lo else left
        for x in (path_x, sibling_x):
            top = y - ROW_HEIGHT + BOX_HEIGHT
            lines.append((x + BOX_WIDTH // 2, y, parent_x + BOX_WIDTH // 2, top))
        y -= ROW_HEIGHT
    boxes.append(Box(centre, y, ROOT, 0, size - 1))
    return Picture(width, height, boxes, lines)
