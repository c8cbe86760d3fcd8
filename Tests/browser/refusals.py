"""Every refusal a first-time user meets on the pages, walked in one language: the error summary
at the top links to each field, the error stands beside its field (in an open panel, never a
closed one), what was typed is still there, and the page survives a reload and opening its
address again. Nothing here is written, so the community's path after it starts from the demo.
"""
import json
import sys
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def sign_in(walk, login, password, language):
    """A new browser session (no cookies) in `language`, signed in as `login`."""
    driver = walk.driver
    driver.delete_all_cookies()
    driver.get(walk.base + "/")
    walk.submit(walk.css(f"button[name=language][value={language}]"))
    walk.submit(walk.css("nav a[href='/sign-in']"))
    walk.fill("#login", login)
    walk.fill("#password", password)
    walk.submit(walk.button("form[action='/sign-in']"))


def refused(walk, name, language, fields, kept=(), opened=None):
    """The page after a refused form: a summary linking to each of `fields`' messages (ids
    starting `e-<field>`), each message beside a field, what was typed in `kept` (selector,
    value) still there, the panel `opened` open; then a reload shows the same refusal and
    opening the address again lands on a page, not an error."""
    driver = walk.driver
    summary = driver.find_elements(By.CSS_SELECTOR, ".error-summary a")
    links = [link.get_attribute("href").split("#", 1)[-1] for link in summary]
    for field in fields:
        if not any(link.startswith("e-" + field) for link in links):
            sys.exit(f"{language} {name}: the summary does not link to {field}: {links} " + walk.errors())
    for link in links:
        if not driver.find_elements(By.ID, link):
            sys.exit(f"{language} {name}: the summary links to #{link}, which is not on the page")
    for selector, value in kept:
        element = walk.css(selector)
        shown = Select(element).first_selected_option.get_attribute("value") if element.tag_name == "select" \
            else element.get_attribute("value")
        if shown != value:
            sys.exit(f"{language} {name}: {selector} holds {shown!r}, not what was typed ({value!r})")
    if opened and not driver.find_elements(By.CSS_SELECTOR, f"{opened}[open]"):
        sys.exit(f"{language} {name}: the error is inside a closed panel")
    walk.check(f"{language}-{name}", language)
    driver.refresh()  # the browser sends the form again: the same refusal, not a broken page
    if not driver.find_elements(By.CSS_SELECTOR, ".error-summary"):
        sys.exit(f"{language} {name}: a reload lost the refusal")
    driver.get(driver.current_url)  # the address opened again (a bookmark, the address bar)
    if driver.find_elements(By.CSS_SELECTOR, "h1#problem"):
        sys.exit(f"{language} {name}: opening {driver.current_url} again gives an error page")


def refusal_walk(walk, accounts, language):
    driver = walk.driver
    sign_in(walk, "chillihuani", accounts["chillihuani"], language)
    # A request with no title and an amount nobody can read.
    walk.submit(walk.css("a[href='/new-request']"))
    walk.fill("#description", "Para las familias de la parte alta")
    walk.fill("#budget", "8.000,50,1")
    walk.submit(walk.css("button[name=action][value=post]"))
    refused(walk, "request", language, ["title", "budget"],
            kept=[("#description", "Para las familias de la parte alta"), ("#budget", "8.000,50,1")])

    # The open request's first invited technician: an interview without its date, then a
    # rejection without a reason.
    driver.get(walk.base + "/home")
    walk.submit(driver.find_element(By.PARTIAL_LINK_TEXT, "Riego por aspersión"))  # the demo's open request
    request = driver.current_url
    interview = "#applications details:has(form input[name=status][value=interviewed])"
    walk.css(f"{interview} summary").click()
    walk.fill(f"{interview} input[name=panel]", "Presidente y 30 comuneros")
    walk.submit(walk.button("#applications form", "input[name=status][value=interviewed]"))
    refused(walk, "interview", language, ["interview"], kept=[(f"{interview} input[name=panel]", "Presidente y 30 comuneros")],
            opened=interview)
    driver.get(request)
    reject = "#applications details:has(form input[name=status][value=rejected])"
    walk.css(f"{reject} summary").click()
    walk.submit(walk.button("#applications form", "input[name=status][value=rejected]"))
    refused(walk, "reject", language, ["reason"], opened=reject)

    # The municipality's running contract, half paid: more than is left, then an early end.
    sign_in(walk, "ocongate", accounts["ocongate"], language)
    walk.submit(walk.css("main a[href^='/contracts/']"))
    contract = driver.current_url
    Select(walk.css("#line")).select_by_index(0)
    walk.fill("#pay-amount", "S/ 99,999.00")
    walk.submit(walk.button("form[action$='/payments']"))
    refused(walk, "overpaid", language, ["amount"], kept=[("#pay-amount", "S/ 99,999.00")])
    # Ending the work early without saying why.
    driver.get(contract)
    walk.submit(walk.button("form[action$='/transitions']", "input[name=to][value=terminated]"))
    refused(walk, "terminate", language, ["reason"])

    # The technician adds a language and a skill, and writes a daily rate nobody can read.
    sign_in(walk, "yachachiq", accounts["yachachiq"], language)
    driver.get(walk.base + "/profile/edit")
    languages = driver.find_elements(By.CSS_SELECTOR, "select[id^=language-]")
    skills = driver.find_elements(By.CSS_SELECTOR, "select[id^=skill-]:not([id^=skill-level])")
    new_language, new_skill = languages[-1].get_attribute("id"), skills[-1].get_attribute("id")
    Select(languages[-1]).select_by_value("aym")
    Select(skills[-1]).select_by_value("crops.seed_banks")
    walk.fill("#rate", "setenta")
    walk.submit(walk.css("form[action='/profile/edit'] button[type=submit]:not([name=action])"))  # save, not "find"
    refused(walk, "profile", language, ["rate"], kept=[(f"#{new_language}", "aym"), (f"#{new_skill}", "crops.seed_banks"),
                                                       ("#rate", "setenta")])
    # A mobile number nobody has (a Lima landline), with SMS asked for: said once, at the number.
    walk.submit(walk.css("nav a[href='/messages']"))
    walk.submit(walk.css("main a[href='/contact']"))
    walk.fill("#mobile", "01 234 5678")
    walk.css("#sms").click()
    walk.submit(walk.css("form[action='/contact'] button[type=submit]"))
    refused(walk, "contact", language, ["mobile"], kept=[("#mobile", "01 234 5678")])
    driver.delete_all_cookies()


def api(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read() or b"{}")


def invitation_walk(walk, accounts, request):
    """The community invites the demo technician (through the API), who sees the invitation on
    the request's page in Quechua with its two answers, is asked before declining, and accepts;
    the page then says so, in Spanish."""
    token = lambda login: api(walk.base, "POST", "/v1/auth/login", body={"login": login, "password": accounts[login]})["token"]
    technician = api(walk.base, "GET", "/v1/users/me", token("yachachiq"))["provider_id"]
    request_id = request.rstrip("/").split("/")[-1]
    try:
        api(walk.base, "POST", f"/v1/requests/{request_id}/applications", token("chillihuani"), {"provider_id": technician})
    except urllib.error.HTTPError as refusal:
        if refusal.code != 409:  # invited already by the demo
            sys.exit(f"the community could not invite the demo technician: {refusal.code} {refusal.read()[:300]}")
    driver = walk.driver
    sign_in(walk, "yachachiq", accounts["yachachiq"], "qu")
    driver.get(request)
    walk.check("tour-invitation", "qu")
    walk.submit(walk.button("form[action$='/answer']", "input[name=answer][value=declined]"))
    if not driver.find_elements(By.CSS_SELECTOR, "input[name=confirmed][value=yes]"):
        sys.exit("declining an invitation does not ask first")
    walk.check("tour-decline-confirm", "qu")
    sign_in(walk, "yachachiq", accounts["yachachiq"], "es")
    driver.get(request)
    walk.submit(walk.button("form[action$='/answer']", "input[name=answer][value=accepted]"))
    if "done=invitation_accepted" not in driver.current_url:
        sys.exit(f"accepting the invitation did not land on the request: {driver.current_url}")
    walk.check("tour-invitation-accepted", "es")


def tour(walk, accounts):
    """The pages the paths above do not pass through, each looked at once (screenshot, axe,
    width): the public search and a profile, a 404, the technician's home, nearby requests and
    one of them, a request's radio call and its edit form, each one's messages, and staff's
    accounts pages."""
    driver = walk.driver
    driver.delete_all_cookies()
    driver.get(walk.base + "/")
    walk.submit(walk.css("button[name=language][value=es]"))
    driver.get(walk.base + "/talents?place=ocongate")
    walk.check("tour-talents", "es")
    walk.submit(walk.css("main .card a[href^='/talents/']"))
    walk.check("tour-profile", "es")
    driver.get(walk.base + "/kaypi-mana-imapas")
    if not driver.find_elements(By.CSS_SELECTOR, "h1#problem"):
        sys.exit("an unknown address does not answer the 404 page")
    walk.check("tour-not-found", "es")
    sign_in(walk, "yachachiq", accounts["yachachiq"], "qu")
    walk.check("tour-technician-home", "qu")
    driver.get(walk.base + "/messages")  # the community's invitation of the path above, if it was this technician
    walk.check("tour-technician-messages", "qu")
    driver.get(walk.base + "/opportunities")
    walk.check("tour-opportunities", "qu")
    found = driver.find_elements(By.CSS_SELECTOR, "main a[href^='/requests/']")
    if found:
        walk.submit(found[0])
        walk.check("tour-technician-request", "qu")
    sign_in(walk, "chillihuani", accounts["chillihuani"], "qu")
    walk.submit(driver.find_element(By.PARTIAL_LINK_TEXT, "Riego por aspersión"))
    request = driver.current_url
    invitation_walk(walk, accounts, request)
    sign_in(walk, "chillihuani", accounts["chillihuani"], "qu")
    driver.get(request + "/radio")
    walk.check("tour-radio", "qu")
    driver.get(request + "/edit")
    walk.check("tour-request-edit", "qu")
    driver.get(walk.base + "/messages")
    walk.check("tour-messages", "qu")
    sign_in(walk, "staff", accounts["staff"], "es")
    for name, path in [("tour-needs-look", "/staff/needs-look"), ("tour-organizations", "/staff/organizations"),
                       ("tour-users", "/staff/users")]:
        driver.get(walk.base + path)
        walk.check(name, "es")
    driver.get(walk.base + "/staff/organizations")
    walk.submit(walk.css("main a[href^='/staff/organizations/']"))
    walk.check("tour-organization", "es")
    driver.delete_all_cookies()
