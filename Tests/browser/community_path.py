#!/usr/bin/env python3
"""The community's whole path in a real browser, in Quechua, on a 360 px wide window.

Starts `yachaq serve --demo` on a new embedded cluster, then drives headless Chromium
(Debian's chromium and chromedriver) with selenium: switch to Quechua, sign in as the
demo community, post a request, open the shortlist, invite a technician, record the
interview and the assembly's choice, make the contract, sign it, record a payment, end
the work and rate it. Every step saves a screenshot under the artefact folder and every
page visited is checked with axe; a serious or critical violation fails the run, as does
any page wider than the window. No step runs a script of the page: there is none.

Usage: community_path.py BINARY ARTEFACT_FOLDER
"""
import base64
import json
import os
import re
import sys
import urllib.parse

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from demo_service import demo_service
from refusals import refusal_walk, tour

WIDTH = 360
# Staff read the directory, the charts and the map at a desk.
DESK = 1280


def replaced(element):
    """Whether the page that held `element` is gone. Selenium's `staleness_of` knows only
    StaleElementReferenceException; chromedriver sometimes says the same thing as "Node with
    given id does not belong to the document" when the check lands mid-navigation."""
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise


class Walk:
    def __init__(self, driver, base, artefacts):
        self.driver, self.base, self.artefacts = driver, base, artefacts
        self.step = 0
        self.report = []
        self.width = WIDTH

    def css(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def submit(self, element):
        """Clicks a button or link and waits for the next page to replace this one."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.driver, 30).until(lambda _: replaced(page))

    def button(self, form_selector, hidden=None):
        """The submit button of the form that `form_selector` finds (and, with `hidden`, that has
        that hidden input)."""
        for form in self.driver.find_elements(By.CSS_SELECTOR, form_selector):
            if hidden is None or form.find_elements(By.CSS_SELECTOR, hidden):
                return form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        sys.exit(f"no form {form_selector} {hidden or ''} on {self.driver.current_url}")

    def confirm(self, name):
        """The page that asks before a step that cannot be undone: looked at, then answered yes."""
        if not self.driver.find_elements(By.CSS_SELECTOR, "input[name=confirmed][value=yes]"):
            sys.exit(f"{name}: no confirmation was asked on {self.driver.current_url}")
        self.check(name)
        self.submit(self.button("form", "input[name=confirmed]"))

    def errors(self):
        """The errors the page shows next to its fields, and what the fields hold."""
        shown = [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, ".error")]
        fields = {f.get_attribute("name"): f.get_attribute("value") for f in self.driver.find_elements(By.CSS_SELECTOR, "input")
                  if f.get_attribute("type") not in ("hidden", "radio", "checkbox")}
        return f"{self.driver.current_url}: {shown} {fields}"

    def fill(self, selector, text):
        field = self.css(selector)
        field.clear()
        field.send_keys(text)

    def date(self, selector, iso):
        # Chromium's date field takes the digits in the locale's order; en-US here: month, day, year.
        # (Headless Chromium keeps en-US's order whatever --lang says; a Peruvian phone shows dd/mm/aaaa.)
        year, month, day = iso.split("-")
        self.css(selector).send_keys(month + day + year)

    def check(self, name, language="qu"):
        """Screenshot, axe, and the page fits the window; then remember what was checked."""
        self.step += 1
        shot = os.path.join(self.artefacts, f"{self.step:02d}-{name}.png")
        self.driver.save_screenshot(shot)
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        grave = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        width = self.driver.execute_script("return document.documentElement.scrollWidth")
        lang = self.css("html").get_attribute("lang")
        self.report.append({"step": name, "url": self.driver.current_url, "lang": lang, "scroll_width": width,
                            "violations": [(v["id"], v.get("impact"), len(v["nodes"])) for v in results["violations"]]})
        if grave:
            sys.exit(f"{name}: axe found {[(v['id'], v['impact'], v['nodes'][0]['target']) for v in grave]}")
        if width > self.width:
            sys.exit(f"{name}: the page is {width} px wide on a {self.width} px window")
        if lang != language:
            sys.exit(f"{name}: the page is in {lang}, not {language}")


def staff_walk(walk, password):
    """Staff, in Spanish: the technicians of Puno who speak Aymara, one's scorecard with its
    charts, a needs-training review, then the indicators and the map of Cusco."""
    driver = walk.driver
    walk.submit(walk.button("form[action='/sign-out']"))
    walk.submit(walk.css("button[name=language][value=es]"))
    walk.submit(walk.css("nav a[href='/sign-in']"))
    walk.fill("#login", "staff")
    walk.fill("#password", password)
    walk.submit(walk.button("form[action='/sign-in']"))
    walk.check("staff-home", "es")
    walk.submit(walk.css("a[href='/staff/providers']"))
    Select(walk.css("#department")).select_by_value("21")
    Select(walk.css("#language")).select_by_value("aym")
    Select(walk.css("#level")).select_by_value("2")
    walk.submit(walk.button("form[action='/staff/providers']"))
    walk.check("staff-puno-aymara", "es")
    found = driver.find_elements(By.CSS_SELECTOR, "main table a[href^='/staff/providers/']")
    if not found:
        sys.exit("no technician of Puno who speaks Aymara in the directory")
    walk.submit(found[0])
    walk.scorecard = urllib.parse.urlparse(driver.current_url).path
    charts = len(driver.find_elements(By.CSS_SELECTOR, "figure.chart svg"))
    if charts not in (0, 2):  # two when rated; none, and a sentence, before (StaffPageTests checks both)
        sys.exit(f"the scorecard shows {charts} charts")
    walk.check("staff-scorecard", "es")
    walk.date("#period_from", "2026-01-01")
    walk.date("#period_to", "2026-06-30")
    walk.fill("#summary", "Buen trabajo; le falta práctica en riego tecnificado")
    walk.css("input[name=decision][value=needs_training]").click()
    walk.fill("#training", "Curso de riego tecnificado, Sicuani, marzo")
    walk.submit(walk.button("form[action$='/reviews']"))
    if "Curso de riego tecnificado" not in driver.page_source:
        sys.exit("the review is not on the scorecard: " + walk.errors())
    walk.check("staff-reviewed", "es")
    driver.get(walk.base + "/staff/indicators?department=08")
    walk.check("staff-indicators-cusco", "es")
    walk.submit(walk.css("main a[href^='/staff/map']"))
    walk.check("staff-map-cusco", "es")
    driver.get(walk.base + "/staff/map")
    walk.check("staff-map-peru", "es")
    desk_walk(walk, walk.base)


def desk_walk(walk, base):
    """Staff's pages again at a desk's width, in a desktop window signed in as the same staff
    member: they must use the width, and every chart must be readable there: a title, text of
    12 px or more, no label over a value, nothing cut off."""
    phone = walk.driver
    desk = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=browser_options(f"--window-size={DESK},2400"))
    try:
        desk.get(base + "/")
        for cookie in phone.get_cookies():
            desk.add_cookie({name: cookie[name] for name in ("name", "value", "path") if name in cookie})
        walk.driver, walk.width = desk, DESK
        for name, path in [("desk-directory", "/staff/providers?department=21&language=aym"), ("desk-scorecard", walk.scorecard),
                           ("desk-indicators-cusco", "/staff/indicators?department=08"), ("desk-map-peru", "/staff/map")]:
            desk.get(base + path)
            walk.check(name, "es")
            main = desk.execute_script("return document.querySelector('main').getBoundingClientRect().width")
            if main < 1000:
                sys.exit(f"{name}: the page uses {main:.0f} of {DESK} px")
            for problem in desk.execute_script(CHART_CHECK):
                sys.exit(f"{name}: {problem}")
    finally:
        walk.driver, walk.width = phone, WIDTH
        desk.quit()


# Every chart of the page: a title shown above it and one for screen readers; each text at least 12 px as drawn, inside its chart, and
# over no other text of the chart.
CHART_CHECK = """
const problems = [];
document.querySelectorAll('figure.chart').forEach((figure, index) => {
  const svg = figure.querySelector('svg'), shown = figure.querySelector('figcaption strong');
  if (!shown || !shown.textContent.trim()) problems.push(`chart ${index} shows no title`);
  if (!svg.querySelector('title') || !svg.querySelector('title').textContent.trim()) problems.push(`chart ${index} has no title`);
  const frame = svg.getBoundingClientRect();
  const boxes = [...svg.querySelectorAll('text')].map(text => [text.textContent, text.getBoundingClientRect()]);
  for (const [words, box] of boxes) {
    if (box.height < 12) problems.push(`chart ${index}: "${words}" is ${box.height.toFixed(1)} px high`);
    if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5) problems.push(`chart ${index}: "${words}" is cut off (${box.left.toFixed(1)}–${box.right.toFixed(1)} in ${frame.left.toFixed(1)}–${frame.right.toFixed(1)})`);
  }
  boxes.forEach(([a, one], i) => boxes.slice(i + 1).forEach(([b, two]) => {
    const overlap = Math.min(one.right, two.right) - Math.max(one.left, two.left) > 1
      && Math.min(one.bottom, two.bottom) - Math.max(one.top, two.top) > 1;
    if (overlap) problems.push(`chart ${index}: "${a}" lies over "${b}"`);
  }));
});
return problems;
"""


def browser_options(*extra):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=en-US", *extra]:
        options.add_argument(argument)
    return options


def main():
    binary, artefacts = sys.argv[1], sys.argv[2]
    os.makedirs(artefacts, exist_ok=True)
    options = browser_options()
    # A cheap phone's screen: desktop windows cannot be narrower than 500 px, an emulated phone can.
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": WIDTH, "height": 740, "pixelRatio": 2.0}})
    with demo_service(binary, "yachaq-browser-") as (base, accounts):
        # Debian's driver: selenium's own manager would try to download one, and there is no network.
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            walks(driver, base, artefacts, accounts)
        finally:
            driver.quit()


def walks(driver, base, artefacts, accounts):
    """The community's path, then staff's; the report and the screenshots in `artefacts`."""
    walk = Walk(driver, base, artefacts)
    for language in ["qu", "es"]:
        refusal_walk(walk, accounts, language)
    driver.get(base + "/")
    walk.submit(walk.css("button[name=language][value=qu]"))
    walk.check("landing-in-quechua")

    walk.submit(walk.css("nav a[href='/sign-in']"))
    walk.fill("#login", "chillihuani")
    walk.fill("#password", accounts["chillihuani"])
    walk.check("sign-in")
    walk.submit(walk.button("form[action='/sign-in']"))
    walk.check("home")

    walk.submit(walk.css("a[href='/new-request']"))
    walk.fill("#title", "Riego por goteo para biohuertos")
    walk.fill("#place", "cusipata")
    walk.submit(walk.css("button[name=action][value=find]"))
    walk.check("district-found")
    walk.css("input[name=district][value='081206']").click()
    walk.css("input[name=skill][value='water.sprinkler']").click()
    walk.css("input[name=language][value=quz]").click()
    walk.date("#starts_on", "2027-07-01")
    walk.date("#ends_on", "2027-07-31")
    walk.fill("#budget", "3500")
    walk.fill("#families", "25")
    walk.check("request-form")
    walk.submit(walk.css("button[name=action][value=post]"))
    if "/requests/" not in driver.current_url:
        walk.check("request-refused")
        sys.exit("posting the request did not open it: " + walk.errors())
    walk.check("shortlist")

    walk.submit(walk.button("#shortlist form[action$='/invite']"))
    walk.check("invited")
    walk.css("#applications details summary").click()
    walk.date("#applications form input[name=held_on]", "2027-06-20")
    walk.fill("#applications form input[name=panel]", "Presidente, secretaria, 30 comuneros")
    walk.fill("#applications form textarea[name=notes]", "Allinta runasimipi rimarqan")
    walk.check("interview-form")
    walk.submit(walk.button("#applications form", "input[name=status][value=interviewed]"))
    walk.check("interviewed")
    walk.submit(walk.button("#applications form", "input[name=status][value=selected]"))
    walk.confirm("confirm-choice")
    walk.check("selected")

    walk.submit(walk.css("#applications a[href*='/contract?application=']"))
    walk.fill("#fund-public_transfer", "2500")
    Select(walk.css("#source-public_transfer")).select_by_index(1)
    walk.fill("#fund-counterpart_cash", "1000")
    walk.fill("#milestone-0", "Goteo tendido")
    walk.date("#due-0", "2027-07-31")
    walk.check("contract-form")
    walk.submit(walk.button("form[action$='/contract']"))
    if "/contracts/" not in driver.current_url:
        walk.check("contract-refused")
        sys.exit("the contract was not created: " + walk.errors())
    walk.check("contract-draft")
    # Cancelling without a reason is refused beside the reason, before anything is asked.
    walk.submit(walk.button("form[action$='/transitions']", "input[name=to][value=cancelled]"))
    if not driver.find_elements(By.CSS_SELECTOR, "#reason-cancelled[aria-invalid=true]"):
        sys.exit("cancelling without a reason was not refused beside the reason: " + walk.errors())
    walk.check("cancel-refused")
    for step in ["signed", "active"]:
        walk.submit(walk.button("form[action$='/transitions']", f"input[name=to][value={step}]"))
        walk.confirm("confirm-" + step)
        walk.check("contract-" + step)
        if step == "signed":  # the paper the assembly signs: clauses, and lines for witnesses
            walk.submit(walk.css("a[href$='/print']"))
            if len(driver.find_elements(By.CSS_SELECTOR, "ol.clauses li")) != 8:
                sys.exit("the printed contract does not carry its eight clauses")
            pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})["data"])
            pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
            if pages != 1:
                sys.exit(f"the printed contract takes {pages} A4 pages, not one")
            walk.check("contract-print")
            walk.submit(walk.css("main p.no-print a"))
    walk.submit(walk.button("form[action*='/milestones/']"))
    if not driver.find_elements(By.CSS_SELECTOR, ".success"):
        sys.exit("marking the milestone met said nothing: " + walk.errors())
    walk.check("milestone-met")

    Select(walk.css("#line")).select_by_index(0)
    walk.fill("#pay-amount", "S/ 2,500.00")  # as an officer writes it
    walk.check("payment-form")
    walk.submit(walk.button("form[action$='/payments']"))
    walk.confirm("confirm-payment")
    walk.check("paid")
    if "S/\u00a01,000.00" not in driver.execute_script("return document.body.textContent"):
        sys.exit("the balance after paying 2,500 of 3,500 is not shown")
    walk.submit(walk.css("a[href$='/receipt']"))
    walk.check("receipt")
    walk.submit(walk.css("main p.no-print a"))

    walk.submit(walk.button("form[action$='/transitions']", "input[name=to][value=completed]"))
    if "S/\u00a01,000.00" not in walk.css(".warning").text.replace(" ", "\u00a0"):
        sys.exit("finishing the work with S/ 1,000 unpaid does not warn of it")
    walk.confirm("confirm-completed")
    walk.check("completed")
    for dimension, score in [("technical", 5), ("communication", 4), ("punctuality", 5), ("results", 4)]:
        walk.css(f"input[name={dimension}][value='{score}']").click()
    walk.css("input[name=again][value=yes]").click()
    walk.submit(walk.button("form[action$='/rating']"))
    walk.check("rated")
    if "5/5" not in driver.page_source:
        sys.exit("the rating is not shown on the contract")
    staff_walk(walk, accounts["staff"])
    tour(walk, accounts)
    with open(os.path.join(artefacts, "report.json"), "w") as out:
        json.dump(walk.report, out, indent=1)
    print(f"browser: {walk.step} pages checked with axe (every refusal in Quechua and in Spanish, the community in Quechua, "
          f"then staff in Spanish at 360 px and "
          f"{DESK} px, charts readable, then every other page once), "
          f"0 serious or critical; screenshots in {artefacts}")


if __name__ == "__main__":
    main()
