"""Disclosure requests (依申请公开): cases, their workflow, deadlines, letters, review and litigation."""
