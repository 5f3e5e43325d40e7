"""A Tree whose labels end in "…" where the pane ends, instead of being cut mid-word."""

from __future__ import annotations

from typing import TypeVar

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

DataType = TypeVar("DataType")


class FittingTree(Tree[DataType]):
    """Textual's Tree draws a label past the pane's edge and the pane cuts it off: at 80
    columns "Hoe verhoud ik mij tot de veelheid aan s" gave no sign that more follows.
    Here a label that does not fit ends in "…"; the whole text is in the pane beside it.
    """

    def render_label(self, node: TreeNode[DataType], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        depth = 0
        parent = node.parent
        while parent is not None:
            depth += 1
            parent = parent.parent
        levels = depth if self.show_root else depth - 1  # a hidden root draws no guide
        room = self.scrollable_content_region.width - max(0, levels) * self.guide_depth
        if room > 4 and label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        return label
