"""Print-ready PDFs (ReportLab platypus): practice sheets, theme briefs, authority profiles, packs.

Qt-free; ReportLab is imported only when a PDF is made.
"""
