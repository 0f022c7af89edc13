"""Visual outputs: labelled side-by-side frames and contact sheets."""

from colorize.viz.panels import contact_sheet, label, sheet_indices, side_by_side

__all__ = ["contact_sheet", "label", "sheet_indices", "side_by_side"]
