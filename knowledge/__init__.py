"""The MES framework as Markdown with front matter, plus skills, tiers and measures."""
