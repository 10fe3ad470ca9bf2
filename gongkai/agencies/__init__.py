"""Agencies (行政机关) in their hierarchy, their disclosure offices, and who works for them in which role."""
