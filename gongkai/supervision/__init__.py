"""The supervision dashboard: a jurisdiction's agencies at a glance (条例 第四十七条)."""
