"""The tests' own small writers: the seed rendered into other forms and layouts.

Each writer takes the seed's logical content (plan.py: its headings, tables of measures and
clauses, underlines kept) and writes one form, with knobs for the ways real files of that form
differ (widths, padding, spans, underline markup, …). Nothing here is a third-party document.
"""
