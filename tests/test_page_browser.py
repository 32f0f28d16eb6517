"""The prosecutor's page in a real browser: headless Chromium from the distribution's packages,
driven by selenium through the system's chromedriver (nothing is downloaded). Every expected text
is taken from the catalogue and from `Library.decide`, not written here."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from quanze import Library
from quanze.decisionlog import SqliteStore

from .paths import LISTS
from .serving import Server

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser test: .ci/run installs chromium and chromium-driver")
    pytest.skip("the browser test needs Debian's chromium and chromium-driver "
                "(apt-get install -y chromium chromium-driver fonts-noto-cjk)", allow_module_level=True)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402  (only once selenium is known to be there)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def library():
    return Library.load(LISTS)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(LISTS, str(tmp_path_factory.mktemp("page") / "log.sqlite")).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def wait(browser, until, timeout=20):
    return WebDriverWait(browser, timeout).until(lambda d: until(d))


def text(browser, element_id) -> str:
    return browser.find_element(By.ID, element_id).text


def open_page(browser, server, lang="zh"):
    browser.get(f"http://127.0.0.1:{server.port}/" + ("?lang=en" if lang == "en" else ""))
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#actor option"))


def find(browser, typed: str, matter: str):
    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys(typed)
    button = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#matches button[data-matter='{matter}']"))[0]
    button.click()


def test_find_by_part_of_the_chinese_name_answer_and_see_why(browser, server, library):
    open_page(browser, server)
    name = library.catalogue.matters["return_for_supplementary_investigation"].name.zh
    find(browser, name[1:4], "return_for_supplementary_investigation")  # a part of the name, not its start
    asked = library.decide({"matter": "return_for_supplementary_investigation", "actor": "prosecutor"})
    assert asked.status == "undetermined"
    wait(browser, lambda d: d.find_element(By.ID, "ask").is_displayed())
    assert asked.missing_facts[0].question.zh in text(browser, "question")
    browser.find_element(By.ID, "answer-input").send_keys("2")
    browser.find_element(By.CSS_SELECTOR, "#choices button").click()
    wait(browser, lambda d: d.find_element(By.ID, "answer").is_displayed())
    decided = library.decide({"matter": "return_for_supplementary_investigation", "actor": "prosecutor",
                              "facts": {"prior_supplementary_returns": 2}})
    forbid = next(r for r in decided.because if r.effect == "forbid")
    assert forbid.message.zh in text(browser, "verdict")
    because = text(browser, "a-because")
    for reason in decided.because:
        assert reason.id in because and all(article in because for article in reason.basis)
        assert str(reason.source) in because
    shown_log_id = int(text(browser, "a-list").split()[-1])
    entries = list(SqliteStore(server.log, create=False).entries())
    assert entries[-1].seq == shown_log_id and entries[-1].decision["status"] == "forbidden"

    browser.find_element(By.ID, "lang").click()  # the English switch
    wait(browser, lambda d: forbid.message.en in d.find_element(By.ID, "verdict").text)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.find_element(By.ID, "lang").click()
    wait(browser, lambda d: forbid.message.zh in d.find_element(By.ID, "verdict").text)


def answer(browser, fact):
    """Answer the question on the page for `fact` as a prosecutor would: yes, the first of the values,
    the least number allowed; returns the value given."""
    if fact.type in ("boolean", "enum"):
        value = True if fact.type == "boolean" else fact.values[0]
        browser.find_element(By.CSS_SELECTOR, f"#choices button[data-value='{json.dumps(value)}']").click()
        return value
    value = {"integer": fact.min or 0, "date": "2022-03-01"}.get(fact.type, "x")
    box = browser.find_element(By.ID, "answer-input")
    if fact.type == "date":  # a date input takes the digits in the browser's order: set it whole
        browser.execute_script("arguments[0].value = arguments[1]", box, value)
    else:
        box.send_keys(str(value))
    browser.find_element(By.CSS_SELECTOR, "#choices button[type=submit]").click()
    return value


def test_only_the_questions_that_matter_then_who_decides_and_the_route(browser, server, library):
    open_page(browser, server, "en")
    matter = "extend_review_period"
    find(browser, library.catalogue.matters[matter].name.en.split()[0], matter)
    facts, asked = {}, []
    for _ in range(10):
        decision = library.decide({"matter": matter, "actor": "prosecutor", "facts": facts})
        if decision.status != "undetermined":
            break
        wait(browser, lambda d: d.find_element(By.ID, "ask").is_displayed()
             and decision.missing_facts[0].question.en in d.find_element(By.ID, "question").text)
        code = decision.missing_facts[0].fact
        asked.append(code)
        facts[code] = answer(browser, library.catalogue.facts[code])
    assert asked and decision.status == "ok"
    wait(browser, lambda d: d.find_element(By.ID, "answer").is_displayed())
    names = library.catalogue.authority_names
    chain = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#a-chain li")]
    # the route ends at the procurator-general, "or the deputy" where the list delegates the matter
    delegated = " (or the deputy procurator-general, by delegation)" if decision.delegated else ""
    assert chain == [names[a].en for a in decision.chain[:-1]] + [names[decision.chain[-1]].en + delegated]
    assert len(chain) > 1 and delegated
    assert text(browser, "a-authority") == names[decision.authority].en
    assert names[decision.authority].en in text(browser, "verdict")
    for o in decision.obligations:
        assert all(names[a].en in text(browser, "a-obligations") for a in o.report_to)
    assert decision.list_id in text(browser, "a-list") and decision.digest[:19] in text(browser, "a-list")


def test_typed_text_is_shown_as_text_never_run(browser, server):
    open_page(browser, server)
    hostile = '<img src=x id=pwned onerror="document.title=\'pwned\'">'
    browser.find_element(By.ID, "q").send_keys(hostile)
    wait(browser, lambda d: hostile in d.find_element(By.ID, "matches").text)
    assert not browser.find_elements(By.ID, "pwned") and browser.title != "pwned"


@pytest.mark.parametrize("matter,note", [("withdraw_protest", "清单未列明此事项；依照法律由此主体决定"),
                                         ("withdraw_indictment", "清单未列明此事项，由检察长决定")])
def test_an_uncovered_matter_names_one_authority(browser, server, library, matter, note):
    """The list is silent on both: the fallback (the procurator-general) decides the one, a statutory
    floor puts the other higher — the page says so, never the fallback beside a higher authority."""
    open_page(browser, server)
    find(browser, library.catalogue.matters[matter].name.zh, matter)
    wait(browser, lambda d: d.find_element(By.ID, "answer").is_displayed())
    decided = library.decide({"matter": matter, "actor": "prosecutor"})
    assert decided.uncovered
    names = library.catalogue.authority_names
    assert text(browser, "a-authority") == f"{names[decided.authority].zh} — {note}"
