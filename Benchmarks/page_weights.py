#!/usr/bin/env python3
"""What each web page weighs as a phone receives it: gzipped HTML, and the stylesheet once.

Starts `yachaq serve --demo` on a new embedded cluster, signs in as the demo community and
the demo technician, and fetches every page of their paths in Spanish, Quechua and English
with `Accept-Encoding: gzip`, then staff's pages (charts and map included). Prints a Markdown
table (bytes sent, bytes of HTML) and fails if a page with the stylesheet is over 30 KB (60 KB
for staff's pages).

Usage: Benchmarks/page_weights.py [BINARY]   (default .build/debug/yachaq)
"""
import gzip
import http.cookiejar
import os
import re
import sys
import urllib.parse
import urllib.request

# The demo service the browser run starts, the same way.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "browser"))
from demo_service import demo_service  # noqa: E402

LIMIT, STAFF_LIMIT = 30 * 1024, 60 * 1024


class Reader:
    """A browser of one user: cookies, the language, gzip."""

    def __init__(self, base, language):
        self.base, self.language = base, language
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.page = ""

    def fetch(self, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers={"Accept-Encoding": "gzip"})
        try:
            response = self.opener.open(request)
        except urllib.error.HTTPError as error:
            response = error
        body = response.read()
        sent = len(body)
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.page = body.decode()
        return response.status, sent, len(body), response.headers.get("Location")

    def token(self):
        return re.search(r'name="csrf" value="([^"]+)"', self.page).group(1)

    def sign_in(self, login, password):
        self.fetch("/sign-in")
        self.fetch("/language", {"csrf": self.token(), "language": self.language, "back": "/"})
        self.fetch("/sign-in")
        status, _, _, _ = self.fetch("/sign-in", {"csrf": self.token(), "login": login, "password": password})
        assert status == 303, f"sign-in as {login}: {status}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/yachaq"
    with demo_service(binary, "yachaq-weights-") as (base, accounts):
        css = len(urllib.request.urlopen(urllib.request.Request(base + "/static/yachaq.css", headers={"Accept-Encoding": "gzip"})).read())
        rows, worst, staff_worst = {}, 0, 0
        for language in ["es", "qu", "en"]:
            buyer = Reader(base, language)
            buyer.sign_in("chillihuani", accounts["chillihuani"])
            buyer.fetch("/home")
            request = re.findall(r'href="(/requests/[0-9a-f-]+)"', buyer.page)
            contract = re.findall(r'href="(/contracts/[0-9a-f-]+)"', buyer.page)[0]
            buyer.fetch(contract)
            receipt = re.findall(r'href="([^"]+/receipt)"', buyer.page)[0]
            technician = Reader(base, language)
            technician.sign_in("yachachiq", accounts["yachachiq"])
            technician.fetch("/home")
            anyone = Reader(base, language)
            anyone.fetch("/")
            anyone.fetch("/language", {"csrf": anyone.token(), "language": language, "back": "/"})
            anyone.fetch("/talents")
            profile = re.findall(r'href="(/talents/[0-9a-f-]+)"', anyone.page)[0]
            pages = [
                ("landing", anyone, "/"), ("search", anyone, "/talents"),
                ("search: Cusipata, irrigation, Cusco Quechua", anyone, "/talents?place=cusipata&district=081206&skill=water.sprinkler&language=quz"),
                ("published profile", anyone, profile), ("sign-in", anyone, "/sign-in"),
                ("community home", buyer, "/home"), ("post a request", buyer, "/new-request"),
                ("request with shortlist (10 cards)", buyer, request[-1]), ("radio announcement", buyer, request[-1] + "/radio"),
                ("contract", buyer, contract), ("printable contract", buyer, contract + "/print"), ("payment receipt", buyer, receipt),
                ("technician home", technician, "/home"), ("requests near me", technician, "/opportunities"),
                ("edit profile", technician, "/profile/edit"),
            ]
            staff = Reader(base, language)
            staff.sign_in("staff", accounts["staff"])
            staff.fetch("/staff/providers?department=21&language=aym&level=2")
            scorecard = re.findall(r'href="(/staff/providers/[0-9a-f-]+)"', staff.page)[0]
            staff_pages = [
                ("staff: directory, Puno, Aymara", staff, "/staff/providers?department=21&language=aym&level=2"),
                ("staff: directory, all (50 a page)", staff, "/staff/providers?status=any"),
                ("staff: scorecard with 2 charts", staff, scorecard), ("staff: needs a look", staff, "/staff/needs-look"),
                ("staff: indicators, Peru (7 charts)", staff, "/staff/indicators"),
                ("staff: indicators, Cusco", staff, "/staff/indicators?department=08"),
                ("staff: map of Peru, talents", staff, "/staff/map"), ("staff: map of Cusco, contracts", staff, "/staff/map?what=contracts&department=08"),
                ("staff: organisations", staff, "/staff/organizations"), ("staff: accounts", staff, "/staff/users"),
            ]
            for name, reader, path in pages + staff_pages:
                status, sent, raw, _ = reader.fetch(path)
                assert status == 200, f"{path}: {status}"
                rows.setdefault(name, {})[language] = (sent, raw)
                if name.startswith("staff"):
                    staff_worst = max(staff_worst, sent + css)
                else:
                    worst = max(worst, sent + css)
        print(f"| page | es sent / HTML | qu sent / HTML | en sent / HTML |\n| --- | --- | --- | --- |")
        for name, languages in rows.items():
            cells = " | ".join(f"{languages[l][0]:,} / {languages[l][1]:,}" for l in ["es", "qu", "en"])
            print(f"| {name} | {cells} |")
        print(f"\nstylesheet: {css:,} bytes gzipped, sent once (cached a day); heaviest page with it: {worst:,} bytes "
              f"(limit {LIMIT:,}); heaviest of staff's: {staff_worst:,} bytes (limit {STAFF_LIMIT:,})")
        if worst > LIMIT or staff_worst > STAFF_LIMIT:
            sys.exit("a page is over the limit")


if __name__ == "__main__":
    main()
