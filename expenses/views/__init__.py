"""Pages of the web app. Views stay thin: every read goes through the selectors (scoped to request.user),
every write through one service call.

- entry: home (quick entry, the timer, recent expenses); lists: the expense list and editor;
- reports: the report pages; charts; export: download links; receipts: receipt files.
"""
