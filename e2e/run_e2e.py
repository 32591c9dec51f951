#!/usr/bin/env python3
"""Browser and CLI tests against the real `revisit` binary.

Starts the server on a free port (SQLite, and PostgreSQL when REVISIT_E2E_DATABASE_URL is set), drives
it with headless Chromium through Selenium, and uses the CLI the way a store's IT person would.
Screenshots go to a temporary folder whose path is printed at the end.

Usage: REVISIT_BIN=.build/debug/revisit /usr/bin/python3 e2e/run_e2e.py
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BIN = os.path.abspath(os.environ.get("REVISIT_BIN", ".build/debug/revisit"))
SHOTS = tempfile.mkdtemp(prefix="revisit-e2e-shots-")
ADMIN_PASSWORD = "e2e-admin-password"
SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "dms")
results = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(args, env):
    done = subprocess.run([BIN] + args, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise AssertionError(f"revisit {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def check(name, condition, detail=""):
    if not condition:
        raise AssertionError(f"{name}: {detail}")


class Server:
    def __init__(self, engine, database_url, extra_args=()):
        self.extra_args = list(extra_args)
        self.data = tempfile.mkdtemp(prefix="revisit-e2e-data-")
        self.port = free_port()
        self.env = dict(os.environ, REVISIT_DATA_DIR=self.data)
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.engine = engine
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.log = open(os.path.join(self.data, "server.log"), "w")
        self.process = subprocess.Popen(
            [BIN, "serve", "--port", str(self.port), "--admin-password", ADMIN_PASSWORD] + self.extra_args,
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as r:
                    return json.load(r)
            except Exception:
                if self.process.poll() is not None:
                    raise AssertionError("server exited: " + open(self.log.name).read())
                time.sleep(0.3)
        raise AssertionError("server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: graceful shutdown through the ServiceGroup
            code = self.process.wait(timeout=30)
            check("graceful shutdown", code == 0, f"exit code {code}")


def api(server, method, path, token=None, body=None):
    request = urllib.request.Request(server.base + path, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, data=data, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def browser():
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN"]:
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shot(driver, name):
    driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def submit(driver, element):
    """Clicks and waits for the next page, so assertions never read the old one."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()

    def replaced(_):
        # Chromium sometimes answers a question about a node of the page being left with an inspector
        # error instead of "stale": either way the old page is gone.
        try:
            page.is_enabled()
            return False
        except WebDriverException:
            return True

    WebDriverWait(driver, 15).until(replaced)


def wait_text(driver, element_id, text, timeout=30):
    """Reloads the page until the element shows the text (the run page refreshes itself as well)."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            if text in driver.find_element(By.ID, element_id).text:
                return True
        except WebDriverException:
            pass
        time.sleep(0.5)
        driver.refresh()
    return False


def login(driver, server, user, password):
    driver.get(server.base + "/login")
    driver.find_element(By.ID, "login").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    submit(driver, driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]"))


def scenario_cli(server):
    help_text = cli(["--help"], server.env)
    for command in ["serve", "migrate", "store", "group", "user", "token"]:
        check("help lists " + command, command in help_text, help_text)
    check("migrate", "version" in cli(["migrate"], server.env))
    cli(["group", "add", "--code", "E2E", "--name", "端到端集团"], server.env)
    cli(["store", "add", "--code", "E2E01", "--name", "端到端一店", "--group", "E2E"], server.env)
    cli(["user", "add", "--login", "e2e-sa", "--name", "端到端顾问", "--role", "service-advisor",
         "--store", "E2E01", "--password", "e2e-sa-password"], server.env)
    bad = subprocess.run([BIN, "user", "add", "--login", "x2", "--name", "x", "--role", "boss", "--password",
                          "long-enough"], env=server.env, capture_output=True, text=True)
    check("bad role refused", bad.returncode != 0 and "Unknown role" in bad.stderr, bad.stderr)
    if server.engine == "postgresql":
        # The IT person mistypes the database: the server's own words, not postgres-nio's generic line.
        wrong_url = server.env["DATABASE_URL"].replace("/revisit_e2e", "/no_such_db")
        wrong = subprocess.run([BIN, "migrate"], env=dict(server.env, DATABASE_URL=wrong_url),
                               capture_output=True, text=True, timeout=60)
        check("a database error names its cause", wrong.returncode != 0 and 'database "no_such_db" does not exist'
              in wrong.stderr and "Generic description" not in wrong.stderr, wrong.stderr)
    out = cli(["token", "create", "--login", "e2e-sa", "--name", "e2e"], server.env)
    token = out.strip().splitlines()[-1]

    # The store's IT person loads the DMS exports; a second run of the same file changes nothing.
    cli(["user", "add", "--login", "e2e-mgr", "--name", "端到端店长", "--role", "store-manager",
         "--store", "E2E01", "--password", "e2e-mgr-password"], server.env)
    summary = json.loads(cli(["import", "--store", "E2E01", "--kind", "customers",
                              os.path.join(SAMPLES, "customers.utf8bom.csv")], server.env).strip().splitlines()[-1])
    check("cli import inserts", summary["inserted"] == 200 and summary["rejected"] == 0, summary)
    again = json.loads(cli(["import", "--store", "E2E01", "--kind", "customers",
                            os.path.join(SAMPLES, "customers.utf8bom.csv")], server.env).strip().splitlines()[-1])
    check("cli re-import changes nothing", again["unchanged"] == 200 and again["inserted"] == 0, again)
    orders = json.loads(cli(["import", "--store", "E2E01", "--kind", "repair-orders",
                             os.path.join(SAMPLES, "repair_order_lines.xlsx")], server.env).strip().splitlines()[-1])
    check("cli imports xlsx", orders["status"] == "done" and orders["read"] > 3000, orders)
    refused = subprocess.run([BIN, "import", "--store", "E2E01", "--kind", "vehicles",
                              os.path.join(SAMPLES, "customers.utf8bom.csv")], env=server.env, capture_output=True,
                             text=True)
    check("a file without the required column is refused",
          '"status":"refused"' in refused.stdout and "vin" in refused.stderr, refused.stdout + refused.stderr)

    # The imported history is classified; the summary is the contract's last line.
    segmented = json.loads(cli(["segment", "--store", "E2E01", "--as-of", "2026-11-30"], server.env)
                           .strip().splitlines()[-1])
    check("cli segment summary", segmented["store"] == "E2E01" and segmented["asOf"] == "2026-11-30"
          and segmented["customers"] == 200 and sum(segmented["value"].values()) == 200
          and set(segmented["churnStage"]) == {"active", "semi_churned", "at_risk", "churned", "lost", "none"},
          segmented)

    # The day's reminders; the same day again creates nothing and says how many were there.
    reminded = json.loads(cli(["remind", "--store", "E2E01", "--as-of", "2026-11-30"], server.env)
                          .strip().splitlines()[-1])
    kinds = {"maintenance", "first_maintenance", "insurance", "inspection", "licence", "warranty", "winback",
             "greeting"}
    check("cli remind summary", reminded["store"] == "E2E01" and set(reminded["created"]) == kinds
          and sum(reminded["created"].values()) > 0 and reminded["alreadyExisting"] == 0, reminded)
    again = json.loads(cli(["remind", "--store", "E2E01", "--as-of", "2026-11-30"], server.env)
                       .strip().splitlines()[-1])
    check("cli remind is idempotent", sum(again["created"].values()) == 0
          and again["alreadyExisting"] == sum(reminded["created"].values()), again)
    return token


def scenario_web(server, token):
    status, me = api(server, "GET", "/api/v1/me", token)
    check("token from the CLI works", status == 200 and me["user"]["login"] == "e2e-sa", me)
    status, error = api(server, "GET", "/api/v1/users/999999", token)
    check("unknown user is 404 JSON", status == 404 and error["error"]["code"] == "not_found", error)

    driver = browser()
    try:
        login(driver, server, "admin", ADMIN_PASSWORD)
        check("admin lands on home", driver.current_url.endswith("/home"), driver.current_url)
        check("Chinese by default", driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN")
        shot(driver, f"{server.engine}-01-home-zh")

        submit(driver, driver.find_element(By.ID, "language-switch"))
        check("English after switch", driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
        check("English nav", "Users" in driver.find_element(By.TAG_NAME, "header").text)
        shot(driver, f"{server.engine}-02-english")

        driver.get(server.base + "/admin/users/new")
        driver.find_element(By.ID, "login").send_keys("e2e-csr")
        driver.find_element(By.ID, "name").send_keys("E2E CSR 客服")
        Select(driver.find_element(By.ID, "role")).select_by_value("csr")
        for box in driver.find_elements(By.CSS_SELECTOR, "input[name=stores]"):
            if "E2E01" in box.find_element(By.XPATH, "..").text:
                box.click()
        driver.find_element(By.ID, "password").send_keys("e2e-csr-password")
        shot(driver, f"{server.engine}-03-new-user")
        submit(driver, driver.find_element(By.CSS_SELECTOR, "#user-form button[type=submit]"))
        check("user saved", "User saved." in driver.page_source, driver.page_source[:500])
        driver.get(server.base + "/admin/users")
        check("user listed", "e2e-csr" in driver.find_element(By.ID, "users").text)
        shot(driver, f"{server.engine}-04-users")

        driver.get(server.base + "/admin/audit?action=user.created")
        check("audit shows the creation", "e2e-csr" in driver.find_element(By.ID, "audit").text)

        submit(driver, driver.find_element(By.ID, "logout"))
        check("logged out", "/login" in driver.current_url, driver.current_url)
        driver.get(server.base + "/admin/users")
        check("admin area needs login again", "/login" in driver.current_url, driver.current_url)

        login(driver, server, "e2e-csr", "e2e-csr-password")
        check("new user signs in", driver.current_url.endswith("/home"), driver.current_url)
        check("new user sees their store", "E2E01" in driver.page_source)
        driver.get(server.base + "/admin/users")
        check("new user is kept out of admin", "403" in driver.page_source)
        shot(driver, f"{server.engine}-05-forbidden")

        # A service advisor finds a customer by the last four digits of a phone and opens the 360 page.
        status, created = api(server, "POST", "/api/v1/customers", token, {
            "name": "欧阳娜娜", "phones": [{"number": "+86 139-8765-4321", "kind": "mobile"}], "tags": ["VIP"]})
        check("customer created over the API", status == 201, created)
        status, car = api(server, "POST", "/api/v1/vehicles", token, {
            "vin": "LSVAU2187N2184306", "plate": "京A66666", "brand": "大众", "model": "帕萨特",
            "ownerCustomerId": created["id"]})
        check("vehicle created over the API", status == 201, car)
        driver.delete_all_cookies()
        login(driver, server, "e2e-sa", "e2e-sa-password")
        driver.get(server.base + "/customers")
        box = driver.find_element(By.ID, "q")
        box.send_keys("4321")
        submit(driver, driver.find_element(By.CSS_SELECTOR, "#customer-search button[type=submit]"))
        rows = driver.find_element(By.ID, "customers").text
        check("found by phone suffix", "欧阳娜娜" in rows and "139****4321" in rows, rows)
        shot(driver, f"{server.engine}-07-customer-search")
        submit(driver, driver.find_element(By.LINK_TEXT, "欧阳娜娜"))
        check("360 page shows the vehicle", "京A66666" in driver.find_element(By.ID, "vehicles").text)
        check("numbers masked until revealed", "139****4321" in driver.find_element(By.ID, "phones").text)
        submit(driver, driver.find_element(By.ID, "reveal"))
        check("revealed", "13987654321" in driver.find_element(By.ID, "phones").text)
        shot(driver, f"{server.engine}-08-customer-360")

        # A store manager uploads the GBK vehicle export, checks the mapping and imports it.
        driver.delete_all_cookies()
        login(driver, server, "e2e-mgr", "e2e-mgr-password")
        driver.get(server.base + "/imports")
        driver.find_element(By.CSS_SELECTOR, "input[name=file]").send_keys(
            os.path.abspath(os.path.join(SAMPLES, "vehicles.gbk.csv")))
        Select(driver.find_element(By.NAME, "kind")).select_by_value("vehicles")
        submit(driver, driver.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]"))
        check("preview detects GBK", "gb18030" in driver.page_source, driver.page_source[:600])
        check("preview shows the rows", "LSV3DZ369PX1YZNX4" in driver.find_element(By.ID, "sample").text)
        shot(driver, f"{server.engine}-09-import-preview")
        submit(driver, driver.find_element(By.ID, "start"))
        check("web import finishes", wait_text(driver, "status", "完成"), driver.page_source[:600])
        check("web import inserted", driver.find_element(By.ID, "count-inserted").text == "200",
              driver.find_element(By.ID, "import-run").text)
        shot(driver, f"{server.engine}-10-import-done")

        # The manager classifies now, reads the dashboard and opens the A customers from the pyramid.
        submit(driver, driver.find_element(By.LINK_TEXT, "门店看板"))
        submit(driver, driver.find_element(By.CSS_SELECTOR, "#run-now button[type=submit]"))
        check("run flash", "客户分类已完成" in driver.page_source, driver.page_source[:500])
        shot(driver, f"{server.engine}-11-dashboard")
        figures = driver.find_element(By.ID, "figures").get_attribute("textContent")
        check("figures shown", "客户总数201" in figures and "年度流失率" in figures, figures)
        check("charts drawn", len(driver.find_elements(By.CSS_SELECTOR, "figure.chart svg")) >= 8)
        value_rows = driver.find_element(By.ID, "table-value").find_elements(By.TAG_NAME, "tr")
        count_a = int(value_rows[1].find_elements(By.TAG_NAME, "td")[1].text.replace(",", ""))
        submit(driver, value_rows[1].find_element(By.TAG_NAME, "a"))
        listed = driver.find_elements(By.CSS_SELECTOR, "#customers tbody tr")
        check("the class opens its customers", count_a > 0 and len(listed) == count_a
              and all(" · " in row.text for row in listed), f"{count_a} vs {len(listed)}")
        shot(driver, f"{server.engine}-12-class-a-customers")
        driver.get(driver.current_url.split("/customers")[0] + "/customers")
        submit(driver, driver.find_element(By.LINK_TEXT, "门店看板"))
        submit(driver, driver.find_element(By.LINK_TEXT, "客户终身价值"))
        check("lifetime value", "¥" in driver.find_element(By.ID, "clv").text, driver.page_source[:500])
        shot(driver, f"{server.engine}-13-lifetime-value")

        # The manager works a reminder: choose the outcome, record it.
        submit(driver, driver.find_element(By.LINK_TEXT, "提醒任务"))
        first = driver.find_element(By.CSS_SELECTOR, "#reminders tbody tr")
        row_id = first.get_attribute("id")
        Select(first.find_element(By.NAME, "outcome")).select_by_value("contacted")
        submit(driver, first.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        check("outcome recorded", "处理结果已记录" in driver.page_source, driver.page_source[:500])
        check("worked reminder leaves the to-do list", not driver.find_elements(By.ID, row_id), row_id)
        shot(driver, f"{server.engine}-14-reminders")

        # The manager writes a service template, previews it on a real customer, bulk-sends it, and the
        # worker inside the server sends it through the log provider.
        submit(driver, driver.find_element(By.LINK_TEXT, "短信"))
        submit(driver, driver.find_element(By.LINK_TEXT, "模板"))
        form = driver.find_element(By.ID, "template-form")
        form.find_element(By.NAME, "name").send_keys("保养通知")
        Select(form.find_element(By.NAME, "kind")).select_by_value("service")
        form.find_element(By.NAME, "body").send_keys("{{customerName}}{{customerTitle}}您好，{{plate}}该保养了。{{storeName}}")
        submit(driver, form.find_element(By.CSS_SELECTOR, "button[value=preview]"))
        check("template preview on a real customer", "该保养了" in driver.find_element(By.ID, "template-preview").text,
              driver.page_source[:800])
        shot(driver, f"{server.engine}-16-template-preview")
        submit(driver, driver.find_element(By.CSS_SELECTOR, "#template-form button[value=save]"))
        check("template saved", "模板已保存" in driver.page_source, driver.page_source[:500])
        submit(driver, driver.find_element(By.LINK_TEXT, "群发"))
        submit(driver, driver.find_element(By.CSS_SELECTOR, "#bulk-form button[type=submit]"))
        recipients = int(driver.find_element(By.ID, "recipients").text)
        check("bulk preview counts and sample", recipients > 0 and "该保养了" in driver.find_element(By.ID, "sample-text").text,
              driver.find_element(By.ID, "bulk-preview").text)
        shot(driver, f"{server.engine}-17-bulk-preview")
        submit(driver, driver.find_element(By.CSS_SELECTOR, "#bulk-confirm button[type=submit]"))
        check("bulk send queued", "群发已排队" in driver.page_source, driver.page_source[:500])
        sent = False
        for _ in range(30):
            driver.refresh()
            if f"已提交 {recipients}" in driver.find_element(By.ID, "bulk-progress").text:
                sent = True
                break
            time.sleep(0.5)
        check("the worker sent every message", sent, driver.find_element(By.ID, "bulk-progress").text)
        shot(driver, f"{server.engine}-18-bulk-sent")
        submit(driver, driver.find_element(By.LINK_TEXT, "发件箱"))
        check("outbox lists the messages", "该保养了" in driver.find_element(By.ID, "outbox").text)
        shot(driver, f"{server.engine}-19-outbox")

        # The manager forms an advisor team with the e2e advisor as its leader.
        submit(driver, driver.find_element(By.LINK_TEXT, "服务顾问"))
        submit(driver, driver.find_element(By.ID, "manage-teams"))
        form = driver.find_element(By.ID, "team-form")
        form.find_element(By.NAME, "name").send_keys("接车二组")
        sa_box = form.find_element(By.XPATH, ".//label[contains(., '端到端顾问')]/input")
        sa_box.click()
        Select(form.find_element(By.NAME, "leader")).select_by_value(sa_box.get_attribute("value"))
        submit(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        check("team saved", "小组已保存" in driver.page_source and "接车二组" in driver.find_element(By.ID, "teams").text,
              driver.page_source[:500])
        shot(driver, f"{server.engine}-20-teams")

        # The advisor owns the imported customers: their page lists the day's tasks; one is worked.
        driver.delete_all_cookies()
        login(driver, server, "e2e-sa", "e2e-sa-password")
        submit(driver, driver.find_element(By.LINK_TEXT, "我的客户"))
        check("advisor page", "figures" in driver.page_source and "section-tasks" in driver.page_source,
              driver.page_source[:500])
        task = driver.find_element(By.CSS_SELECTOR, "#reminders tbody tr")
        task_id = task.get_attribute("id")
        Select(task.find_element(By.NAME, "outcome")).select_by_value("appointment")
        submit(driver, task.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        check("advisor recorded an outcome", "处理结果已记录" in driver.page_source and "/advisor" in driver.current_url,
              driver.current_url)
        check("the task left the list", not driver.find_elements(By.ID, task_id), task_id)
        shot(driver, f"{server.engine}-15-advisor")

        login_page = server.base + "/login"
        driver.delete_all_cookies()
        for attempt in range(5):
            login(driver, server, "e2e-sa", f"wrong-{attempt}")
        login(driver, server, "e2e-sa", "e2e-sa-password")
        check("locked after five failures", "minutes" in driver.page_source or "分钟" in driver.page_source,
              driver.page_source[:400])
        shot(driver, f"{server.engine}-06-locked")
        check("still on login", driver.current_url.startswith(login_page))
    finally:
        driver.quit()


def check_json_logs(server):
    lines = [line for line in open(os.path.join(server.data, "server.log")) if line.startswith("{")]
    check("json log lines", len(lines) >= 2, "no JSON log lines")
    for line in lines:
        entry = json.loads(line)
        check("json log fields", {"ts", "level", "label", "message"} <= entry.keys(), line)


def run(engine, database_url, extra_args=()):
    server = Server(engine, database_url, extra_args)
    try:
        token = scenario_cli(server)
        results.append((f"{engine}: cli", None))
        health = server.start()
        check("health", health == {"status": "ok", "engine": engine, "schemaVersion": health["schemaVersion"]}, health)
        results.append((f"{engine}: health", None))
        scenario_web(server, token)
        results.append((f"{engine}: web", None))
        server.stop()
        results.append((f"{engine}: graceful shutdown", None))
        if "--log-format" in server.extra_args:
            check_json_logs(server)
            results.append((f"{engine}: json logs", None))
    except Exception as error:  # noqa: BLE001 - every failure is reported, then the run fails
        results.append((f"{engine}", "".join(traceback.format_exception(error))))
        if server.process:
            server.process.kill()
            print(open(os.path.join(server.data, "server.log")).read()[-3000:])


def main():
    run("sqlite", None)
    if os.environ.get("REVISIT_E2E_DATABASE_URL"):
        run("postgresql", os.environ["REVISIT_E2E_DATABASE_URL"], ["--log-format", "json"])
    failed = [r for r in results if r[1]]
    for name, error in results:
        print(("FAIL " if error else "ok   ") + name)
        if error:
            print(error)
    print(f"screenshots: {SHOTS}")
    print(f"e2e: {len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
