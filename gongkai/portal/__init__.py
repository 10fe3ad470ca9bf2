"""The public portal: home, 公开指南, the online request form and status lookup."""
