"""The export & print dialog: `choices` (what can be exported, Qt-free), `preview` (rendering
off the GUI thread, newest choice only), `printing` (the PDF onto a printer), `dialog` (widgets)."""
