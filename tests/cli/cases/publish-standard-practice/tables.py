# Print each table of an HTML page as text: the caption, then a line per
# row, cells joined by ' | '.
import sys
from html.parser import HTMLParser


class Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cell = None
        self.row = None

    def handle_starttag(self, tag, attrs):
        if tag in ("caption", "th", "td"):
            self.cell = ""
        elif tag == "tr":
            self.row = []

    def handle_endtag(self, tag):
        if tag == "caption":
            print("table:", self.cell.strip())
            self.cell = None
        elif tag in ("th", "td") and self.row is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr":
            print("  " + " | ".join(self.row))
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


Tables().feed(open(sys.argv[1], encoding="utf-8").read())
