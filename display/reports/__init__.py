"""The supervisor's Reports tab, and a report's words and files.

:mod:`display.reports.viewmodel` and :mod:`display.reports.tab` are the tab;
:mod:`display.reports.labels` holds the Arabic and English words of every
figure (pure Python, shared by the tab and the files);
:mod:`display.reports.export` writes a report as XLSX (openpyxl) or PDF (laid
out by :mod:`display.reports.pdf` with Qt's ``QPdfWriter``). Nothing is
imported here, so that ``taboor report --xlsx`` loads no Qt.
"""
