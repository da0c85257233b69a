// Browser tests: the release build of Cedre, served on a fresh SQLite database with the demo
// data, driven by playwright-core in Debian's headless chromium. Every visited page is checked
// with axe-core (serious or critical violations fail) and must log no console error (a CSP
// violation or a failed hydration shows there).
//
// Usage: node run.mjs   (CEDRE_BIN and CEDRE_SITE_ROOT point at the build; defaults: target/release/cedre, target/site)

import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "../..");
const bin = process.env.CEDRE_BIN ?? join(root, "target/release/cedre");
const siteRoot = process.env.CEDRE_SITE_ROOT ?? join(root, "target/site");
const port = 3100 + Math.floor(Math.random() * 800);
const base = `http://127.0.0.1:${port}`;
const password = "cedre-demo-2026";
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const env = {
  ...process.env,
  DATABASE_URL: `sqlite://${mkdtempSync(join(tmpdir(), "cedre-browser-"))}/cedre.db`,
  CEDRE_ADDR: `127.0.0.1:${port}`,
  CEDRE_SITE_ROOT: siteRoot,
  RUST_LOG: "warn",
};
execFileSync(bin, ["demo"], { env, stdio: "ignore" });
const server = spawn(bin, ["serve"], { env, stdio: ["ignore", "ignore", "inherit"] });

let failures = 0;
let passed = 0;
async function test(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failures++;
    console.log(`FAIL ${name}\n     ${String(error.stack ?? error).split("\n").slice(0, 4).join("\n     ")}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/connexion`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the server did not start");
}

let browser;

const checkedPages = new Set();

/// A page that records console errors, and checks accessibility where it goes.
async function newPage(viewport = { width: 1280, height: 900 }, javaScriptEnabled = true) {
  const context = await browser.newContext({ viewport, locale: "fr-FR", javaScriptEnabled });
  const page = await context.newPage();
  page.consoleErrors = [];
  page.scripted = javaScriptEnabled;
  page.on("console", (m) => m.type() === "error" && page.consoleErrors.push(m.text()));
  page.on("pageerror", (e) => page.consoleErrors.push(String(e)));
  // The status of the last page loaded in the main frame (redirections are followed, not kept).
  page.on("response", (r) => {
    const redirect = r.status() >= 300 && r.status() < 400;
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame() && !redirect) {
      page.lastNavigationStatus = r.status();
    }
  });
  return page;
}

async function checkAccessibility(page, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }));
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert(serious.length === 0, `${label}: ${serious.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(", ")}`).join("; ")}`);
  checkedPages.add(label);
}

/// Checks the page with axe-core, in place or, for a page seen without JavaScript, as a copy.
function checkPage(page, label) {
  return page.scripted ? checkAccessibility(page, label) : checkAccessibilityOfCopy(page, label);
}

/// axe-core needs script to run (its timers): a page seen without JavaScript is checked as an exact
/// copy of its HTML, served at its address in a page that has script.
async function checkAccessibilityOfCopy(page, label) {
  const url = page.url();
  const html = await page.content();
  const copy = await newPage();
  await copy.route(url, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: html }));
  await copy.goto(url);
  await copy.waitForLoadState("networkidle");
  await checkAccessibility(copy, label);
  await copy.context().close();
}

/// Opens `path`: the answer must have the expected status and land where expected (the same
/// path unless said otherwise), the page must be accessible and log no console error.
async function visit(page, path, label = path, { status = 200, landing = path } = {}) {
  const response = await page.goto(`${base}${path}`);
  await page.waitForLoadState("networkidle");
  assert(response.status() === status, `${label}: status ${response.status()}, expected ${status}`);
  assert(page.url() === `${base}${landing}`, `${label}: landed on ${page.url()}, expected ${base}${landing}`);
  await checkPage(page, label);
  assertNoConsoleErrors(page, label, response.status());
  return response;
}

/// After a click that loads a page: the navigation's status (below 400), the page accessible and
/// without console error.
async function arrived(page, label) {
  await page.waitForLoadState("networkidle");
  const status = page.lastNavigationStatus;
  assert(status !== undefined && status < 400, `${label}: the page answered ${status} (${page.url()})`);
  await checkPage(page, label);
  assertNoConsoleErrors(page, label, status);
}

function assertNoConsoleErrors(page, label, status) {
  // An error page's own status is reported by the browser as a failed load; nothing else may be.
  const errors = page.consoleErrors.filter((e) => !(status >= 400 && e.includes(`status of ${status}`)));
  assert(errors.length === 0, `${label}: console errors: ${errors.join(" | ")}`);
  page.consoleErrors.length = 0;
}

/// Sessions of the accounts with a second factor, kept across tests: the demo shows each code
/// once, and a code is never accepted twice, so their logins are not repeated needlessly.
const sessionsWithCode = new Map();

async function login(page, email) {
  const kept = sessionsWithCode.get(email);
  if (kept) {
    await page.context().addCookies([kept]);
    const response = await page.goto(`${base}/`);
    if (response.status() === 200 && page.url() === `${base}/`) return;
    await page.context().clearCookies();
  }
  await page.goto(`${base}/connexion`);
  await page.getByLabel("Adresse électronique").fill(email);
  await page.locator("#password").fill(password);
  await Promise.all([page.waitForURL(/\/(connexion\/code\?.*)?$/), page.getByRole("button", { name: "Se connecter" }).click()]);
  if (page.url().includes("/connexion/code")) {
    // A demonstration installation shows the demo account's current code.
    const code = await page.locator(".code-demo").innerText();
    await page.locator("#verification").fill(code);
    await Promise.all([page.waitForURL(`${base}/`), page.getByRole("button", { name: "Valider" }).click()]);
    const session = (await page.context().cookies()).find((c) => c.name === "cedre_session");
    sessionsWithCode.set(email, session);
  }
  assert(page.url() === `${base}/`, `${email}: landed on ${page.url()} after login`);
}

/// A `;`-separated CSV as rows of cells (quotes, doubled quotes and line breaks in cells).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ";") {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else if (c !== "\r") cell += c;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

function toCsv(rows) {
  const cell = (c) => (/[;"\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return rows.map((r) => r.map(cell).join(";")).join("\r\n") + "\r\n";
}

async function navigationLinks(page) {
  return page.locator('nav[aria-label="Navigation principale"] a').allInnerTexts();
}

const federation = ["Accueil", "Suivi des SIAE", "Organisations", "Référentiel"];
const siae = ["Accueil", "Auto-évaluation", "Manuel qualité", "Personnes accompagnées", "Choix d'engagement", "Organisations", "Référentiel"];
const expectedNavigation = {
  "admin@cedre.demo": [...federation, "Comptes", "Journal d'audit", "Journal de sécurité", "Courriels"],
  "rq-federal@cedre.demo": [...federation, "Règles du programme"],
  "comite@cedre.demo": [...federation, "Règles du programme"],
  "rq-region@cedre.demo": federation,
  "ca-region@cedre.demo": federation,
  "referent@cedre.demo": siae,
  "direction@cedre.demo": siae,
  "accompagnateur@cedre.demo": siae,
  "auditeur@cedre.demo": ["Accueil", "Organisations", "Référentiel"],
};

try {
  await waitForServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });

  await test("a visitor is sent to the login page, which is accessible", async () => {
    const page = await newPage();
    await visit(page, "/organisations", "connexion", { landing: "/connexion?suite=%2Forganisations" });
    await page.context().close();
  });

  await test("a wrong password shows an error in French", async () => {
    const page = await newPage();
    await visit(page, "/connexion", "connexion");
    await page.getByLabel("Adresse électronique").fill("admin@cedre.demo");
    await page.locator("#password").fill("ce n'est pas le bon");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.waitForLoadState("networkidle");
    const alert = await page.getByRole("alert").innerText();
    assert(alert.includes("Adresse électronique ou mot de passe incorrect"), `alert: ${alert}`);
    await checkAccessibility(page, "connexion (erreur)");
    await page.context().close();
  });

  await test("after hydration, the password field's button shows what was typed", async () => {
    const page = await newPage();
    await visit(page, "/connexion", "connexion");
    await page.locator("#password").fill("secret");
    const button = page.getByRole("button", { name: "Afficher" });
    // Hydration may finish just after load: retry the click until the island answers.
    for (let i = 0; i < 50 && (await page.locator("#password").getAttribute("type")) !== "text"; i++) {
      await button.click().catch(() => {});
      await page.waitForTimeout(100);
    }
    assert((await page.locator("#password").getAttribute("type")) === "text", "the field shows the password");
    assert((await page.getByRole("button", { name: "Masquer" }).count()) === 1, "the button now hides it");
    assert(page.consoleErrors.length === 0, `console errors: ${page.consoleErrors.join(" | ")}`);
    await page.context().close();
  });

  await test("on a narrow screen, the menu button opens the navigation", async () => {
    const page = await newPage({ width: 390, height: 800 });
    await login(page, "referent@cedre.demo");
    await page.waitForLoadState("networkidle");
    const link = page.getByRole("link", { name: "Organisations" });
    assert(!(await link.isVisible()), "the navigation starts folded");
    const button = page.getByRole("button", { name: "Menu" });
    for (let i = 0; i < 50 && !(await link.isVisible()); i++) {
      await button.click().catch(() => {});
      await page.waitForTimeout(100);
    }
    assert(await link.isVisible(), "the navigation is shown");
    assert((await page.getByRole("button", { name: "Fermer le menu" }).getAttribute("aria-expanded")) === "true", "aria-expanded follows");
    await checkAccessibility(page, "accueil (mobile)");
    await page.context().close();
  });

  for (const [email, links] of Object.entries(expectedNavigation)) {
    await test(`${email} sees their navigation and every page they reach is accessible`, async () => {
      const page = await newPage();
      await login(page, email);
      await visit(page, "/", `accueil ${email}`);
      const shown = await navigationLinks(page);
      assert(JSON.stringify(shown) === JSON.stringify(links), `navigation: ${shown}`);
      for (const link of links.slice(1)) {
        await page.getByRole("link", { name: link, exact: true }).first().click();
        await arrived(page, `${link} (${email})`);
      }
      if (links.includes("Organisations")) {
        await visit(page, "/organisations", `organisations (${email})`);
        await page.locator("table tbody a").first().click();
        await arrived(page, `fiche organisation (${email})`);
        assert(/\/organisations\/\d+$/.test(page.url()), `landed on ${page.url()}`);
      }
      await page.getByRole("link", { name: "Double authentification" }).click();
      await arrived(page, `double authentification (${email})`);
      await visit(page, "/mot-de-passe", `mot de passe (${email})`);
      await Promise.all([page.waitForURL(/\/connexion$/), page.getByRole("button", { name: "Se déconnecter" }).click()]);
      const status = await page.getByRole("status").innerText();
      assert(status.includes("déconnecté"), `after logout: ${status}`);
      sessionsWithCode.delete(email);
      await page.context().close();
    });
  }

  // Once with JavaScript, once without: a browser without script posts the same forms.
  for (const [javaScriptEnabled, key, file] of [[true, "2.1 a", "plaquette-accueil.pdf"], [false, "2.1 b", "grille-entretien.pdf"]]) {
    const mode = javaScriptEnabled ? "with JavaScript" : "without JavaScript";
    await test(`a référent qualité sets a requirement to conforme with evidence and sees the dashboard change (${mode})`, async () => {
      const page = await newPage(undefined, javaScriptEnabled);
      await login(page, "referent@cedre.demo");
      await page.getByRole("link", { name: "Auto-évaluation", exact: true }).click();
      await page.waitForLoadState("networkidle");
      assert(page.lastNavigationStatus === 200 && /\/organisations\/\d+\/referentiel$/.test(page.url()), `landed on ${page.url()}`);
      await checkPage(page, `auto-évaluation (${mode})`);
      const row = () => page.locator("table").first().locator("tr", { hasText: "2.1 Spécifications de la mission accueil" });
      const before = await row().innerText();
      const done = Number(/(\d) \/ 4/.exec(before)[1]);
      await page.locator("details#section-2-1").getByRole("link", { name: key, exact: true }).click();
      await page.waitForLoadState("networkidle");
      assert(page.lastNavigationStatus === 200 && page.url().includes("/referentiel/exigence?"), `landed on ${page.url()}`);
      await checkPage(page, `exigence ${key} (${mode})`);
      await page.getByLabel("Statut").selectOption("conforme");
      await page.getByLabel("Commentaire").fill("Plaquette diffusée à chaque accueil");
      await page.getByLabel("Personne responsable").fill("Nadia Benali");
      await page.getByRole("button", { name: "Enregistrer l'évaluation" }).click();
      await page.waitForLoadState("networkidle");
      assert(page.lastNavigationStatus === 200 && page.url().includes("/referentiel/exigence?"), `after saving: ${page.url()}`);
      assert((await page.getByRole("status").innerText()).includes("est enregistrée"), "saved");
      await page.locator("#preuve-fichier").setInputFiles({
        name: file, mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% plaquette\n%%EOF\n"),
      });
      await page.getByRole("button", { name: "Déposer et lier à l'exigence" }).click();
      await page.waitForLoadState("networkidle");
      assert(page.lastNavigationStatus === 200 && page.url().includes("/referentiel/exigence?"), `after the upload: ${page.url()}`);
      assert((await page.getByRole("status").innerText()).includes("Le document est déposé"), "uploaded");
      assert((await page.getByRole("link", { name: file }).count()) === 1, "the evidence is listed");
      assert((await page.locator("#titre-historique + table").innerText()).includes("Conforme"), "history shows the change");
      await checkPage(page, `exigence ${key} avec preuve (${mode})`);
      await page.getByRole("link", { name: /Auto-évaluation de/ }).click();
      await page.waitForLoadState("networkidle");
      const after = await row().innerText();
      assert(after.includes(`${done + 1} / 4`) && after.includes(`${(done + 1) * 25} %`), `after: ${after}`);
      assert((await page.locator("svg.graphique desc").textContent()).includes(`2.1 : ${(done + 1) * 25} %`), "the chart follows");
      if (javaScriptEnabled) assertNoConsoleErrors(page, `auto-évaluation (${mode})`, 200);
      await page.context().close();
    });
  }

  await test("a section and an organigramme are written, approved by another person, and issued in an edition whose PDF holds them", async () => {
    const referent = await newPage();
    await login(referent, "referent@cedre.demo");
    await referent.getByRole("link", { name: "Manuel qualité", exact: true }).click();
    await arrived(referent, "manuel (non commencé)");
    await referent.getByRole("button", { name: "Commencer le manuel" }).click();
    await arrived(referent, "manuel");
    assert((await referent.getByRole("status").innerText()).includes("Le manuel est commencé"), "started");
    await referent.getByRole("link", { name: "Procédure de régulation pédagogique" }).click();
    await arrived(referent, "section du manuel");
    const sectionUrl = referent.url();
    const editor = referent.getByLabel("Texte de la section");
    await editor.fill("## Rythme\n\nL'équipe se réunit **chaque mardi** pour la régulation pédagogique.");
    // The server renders the preview as one types; hydration may finish just after the load.
    const live = referent.locator(".apercu-direct strong");
    for (let i = 0; i < 10; i++) {
      try {
        await live.waitFor({ timeout: 1000 });
        break;
      } catch {
        await editor.press("End");
        await editor.type(" ");
      }
    }
    assert((await live.innerText()) === "chaque mardi", "the live preview renders the Markdown");
    await referent.getByLabel("Ce qui change (note de modification)").fill("Première rédaction");
    await referent.getByRole("button", { name: "Enregistrer le brouillon" }).click();
    await arrived(referent, "section avec brouillon");
    assert((await referent.locator(".texte-section strong").innerText()) === "chaque mardi", "the preview renders the Markdown");
    await referent.getByRole("button", { name: "Soumettre à relecture" }).click();
    await arrived(referent, "section en relecture");
    assert((await referent.getByRole("status").innerText()).includes("soumise à relecture"), "submitted");

    // The organigramme: posts typed in the blank rows, a second save places two under the first.
    await referent.getByRole("link", { name: /Manuel qualité de/ }).click();
    await referent.getByRole("link", { name: "Organigramme hiérarchique" }).click();
    await arrived(referent, "organigramme");
    const chartUrl = referent.url();
    await referent.getByLabel("Nouveau poste 1 : intitulé").fill("Direction");
    await referent.getByLabel("Nouveau poste 1 : titulaire").fill("Claire Morel");
    await referent.getByRole("button", { name: "Enregistrer le brouillon" }).click();
    await arrived(referent, "organigramme avec un poste");
    for (const [row, post] of [[1, "Encadrant technique d'insertion"], [2, "Accompagnatrice socioprofessionnelle"]]) {
      await referent.getByLabel(`Nouveau poste ${row} : intitulé`).fill(post);
      await referent.getByLabel(`Nouveau poste ${row} : rattaché à`).selectOption({ label: "Direction" });
    }
    await referent.getByRole("button", { name: "Enregistrer le brouillon" }).click();
    await arrived(referent, "organigramme avec trois postes");
    const drawn = await referent.locator("figure.organigramme svg").first().textContent();
    for (const post of ["Direction", "Claire Morel", "Encadrant technique", "socioprofessionnelle"]) {
      assert(drawn.includes(post), `the drawing shows « ${post} »: ${drawn}`);
    }
    assert((await referent.locator("figure.organigramme svg rect").count()) === 3, "three boxes");
    await checkPage(referent, "organigramme dessiné");
    await referent.getByRole("button", { name: "Soumettre à relecture" }).click();
    await arrived(referent, "organigramme en relecture");

    const direction = await newPage();
    await login(direction, "direction@cedre.demo");
    await direction.getByRole("link", { name: "Procédure de régulation pédagogique" }).first().click();
    await arrived(direction, "section à approuver");
    assert(direction.url() === sectionUrl, `the home page links the section to review: ${direction.url()}`);
    await direction.getByRole("button", { name: "Approuver" }).click();
    await arrived(direction, "section approuvée");
    assert((await direction.locator("#titre-vigueur + p").innerText()).includes("Version 1 approuvée"), "in force");
    await visit(direction, new URL(chartUrl).pathname, "organigramme à approuver");
    await direction.getByRole("button", { name: "Approuver" }).click();
    await arrived(direction, "organigramme approuvé");
    await direction.context().close();

    await referent.goto(sectionUrl);
    await referent.getByRole("link", { name: /Manuel qualité de/ }).click();
    await referent.getByRole("link", { name: "Éditions du manuel (PDF)" }).click();
    await arrived(referent, "éditions du manuel");
    await referent.getByLabel(/J'émets cette édition incomplète/).check();
    await referent.getByRole("button", { name: "Émettre l'édition 1" }).click();
    await arrived(referent, "édition émise");
    assert((await referent.getByRole("status").innerText()).includes("L'édition 1 du manuel est émise"), "issued");
    const href = await referent.getByRole("link", { name: /^Édition 1/ }).getAttribute("href");
    const pdf = await referent.request.get(`${base}${href}`);
    assert(pdf.status() === 200 && pdf.headers()["content-type"] === "application/pdf", `PDF: ${pdf.status()}`);
    const text = execFileSync("pdftotext", ["-", "-"], { input: await pdf.body() }).toString();
    for (const expected of ["Édition 1", "chaque mardi", "Procédure de régulation pédagogique", "Modifications", "Première édition du manuel", "Claire Morel"]) {
      assert(text.includes(expected), `the PDF holds « ${expected} »`);
    }
    // The organigramme's page, drawn: rendered to an image (kept for a look), the area of its
    // boxes measured by their fill colour, which nothing else on the page uses.
    const out = mkdtempSync(join(tmpdir(), "cedre-organigramme-"));
    const pdfPath = join(out, "edition.pdf");
    writeFileSync(pdfPath, await pdf.body());
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdfPath]).toString())[1]);
    let chartPage = 0;
    for (let p = 1; p <= pages && !chartPage; p++) {
      const pageText = execFileSync("pdftotext", ["-f", `${p}`, "-l", `${p}`, pdfPath, "-"]).toString();
      if (pageText.includes("Organigramme hiérarchique") && pageText.includes("Encadrant technique")) chartPage = p;
    }
    assert(chartPage > 0, "a page holds the organigramme");
    execFileSync("pdftoppm", ["-f", `${chartPage}`, "-l", `${chartPage}`, "-r", "80", "-png", "-singlefile", pdfPath, join(out, "organigramme")]);
    const ppm = execFileSync("pdftoppm", ["-f", `${chartPage}`, "-l", `${chartPage}`, "-r", "80", "-singlefile", pdfPath],
      { maxBuffer: 64 * 1024 * 1024 });
    const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString("latin1"));
    assert(header, "pdftoppm gives a P6 image");
    let filled = 0;
    for (let i = header[0].length; i + 2 < ppm.length; i += 3) {
      const [r, g, b] = [ppm[i], ppm[i + 1], ppm[i + 2]];
      if (Math.abs(r - 0xee) < 5 && Math.abs(g - 0xf5) < 5 && Math.abs(b - 0xf2) < 5) filled++;
    }
    // Three boxes of 132 × 23 to 45 points, at 80 dpi: about 15 000 pixels.
    assert(filled > 8000, `the boxes are drawn on page ${chartPage} (${filled} pixels of their fill)`);
    console.log(`  organigramme: page ${chartPage}, ${filled} pixels of the boxes' fill, image in ${join(out, "organigramme.png")}`);
    await referent.context().close();
  });

  await test("a SIAE prepares its demande de certification; an auditor keeps their declaration of ties", async () => {
    const referent = await newPage();
    await login(referent, "referent@cedre.demo");
    await referent.getByRole("link", { name: "Voir la certification" }).click();
    await arrived(referent, "certification");
    await referent.getByLabel("Message au référent qualité régional").fill("Nous demandons l'audit de certification.");
    await referent.getByRole("button", { name: "Enregistrer la demande" }).click();
    await arrived(referent, "demande enregistrée");
    assert((await referent.getByRole("status").innerText()).includes("La demande est enregistrée"), "saved");
    assert((await referent.locator("#titre-demande + dl").innerText()).includes("En préparation"), "in preparation");
    await referent.context().close();

    const auditor = await newPage();
    await login(auditor, "auditeur@cedre.demo");
    await auditor.getByRole("link", { name: "Ma déclaration de liens" }).click();
    await arrived(auditor, "déclaration de liens");
    await auditor.getByLabel("Organisation").selectOption({ label: "Recyclerie du Forez" });
    await auditor.getByLabel("Nature du lien").selectOption({ label: "L'a conseillée ou accompagnée" });
    await auditor.getByLabel("Début").fill("2019-03-01");
    await auditor.getByLabel("Fin").fill("2020-06-30");
    await auditor.getByRole("button", { name: "Déclarer le lien" }).click();
    await arrived(auditor, "lien déclaré");
    const ties = await auditor.locator("#titre-liens + table").innerText();
    assert(ties.includes("Recyclerie du Forez") && ties.includes("du 01/03/2019 au 30/06/2020"), `the tie is listed: ${ties}`);
    await auditor.context().close();
  });

  await test("one SIAE through the whole cycle, each role in turn, to its certificate and its public verification", async () => {
    const as = async (email, label) => {
      const page = await newPage();
      await login(page, email);
      await page.getByRole("link", { name: "Emploi Solidaire du Pays de Rennes" }).first().click();
      await arrived(page, label);
      return page;
    };
    const press = async (page, name, label) => {
      await page.getByRole("button", { name }).click();
      await arrived(page, label);
    };
    const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);

    const referent = await newPage();
    await login(referent, "referent@cedre.demo");
    await referent.getByRole("link", { name: "Voir la certification" }).click();
    await arrived(referent, "certification (structure)");
    await press(referent, "Soumettre la demande à la région", "demande soumise");
    await referent.context().close();

    const board = await as("ca-region@cedre.demo", "certification (conseil d'administration régional)");
    await board.getByLabel("Date de la réunion").fill(yesterday);
    await board.getByLabel("Membres présents").fill("Yannick Le Bihan\nAnne Le Gall");
    await board.locator("#decision-choix").selectOption({ label: "Validée" });
    await press(board, "Enregistrer la décision", "demande validée par la région");
    await board.context().close();

    const region = await as("rq-region@cedre.demo", "certification (région)");
    await press(region, "Transmettre au responsable qualité fédéral", "demande transmise");
    await region.context().close();

    const federal = await as("rq-federal@cedre.demo", "certification (fédération)");
    await federal.locator("#designer-auditeur").selectOption({ label: "Marc Dubois" });
    await press(federal, "Désigner l'auditeur", "auditeur désigné");

    const auditor = await as("auditeur@cedre.demo", "certification (auditeur désigné)");
    await press(auditor, "Je déclare sur l'honneur n'avoir aucun conflit d'intérêts", "déclaration sur l'honneur");
    await auditor.getByLabel("Premier jour").fill(yesterday);
    await auditor.getByLabel("Dernier jour").fill(yesterday);
    await press(auditor, "Enregistrer les dates", "dates de l'audit");
    await auditor.getByRole("link", { name: "Grille d'audit et compte-rendu" }).click();
    await arrived(auditor, "grille d'audit");
    const requirements = await auditor.locator("article.exigence-audit").count();
    assert(requirements >= 15, `every requirement of the référentiel is in the grid (${requirements})`);
    const first = auditor.locator("article.exigence-audit").first();
    await first.locator("select[name=kind]").selectOption({ label: "Piste de progrès" });
    await first.locator("textarea[name=text]").fill("Formaliser le compte-rendu des entretiens d'accueil.");
    await first.getByRole("button", { name: "Ajouter le constat" }).click();
    await arrived(auditor, "constat ajouté");
    // One requirement online; all of them through the grid taken offline, after a conflict.
    const appreciate = async (article, label) => {
      await article.locator("select[name=status]").selectOption({ label });
      await Promise.all([auditor.waitForNavigation(), article.getByRole("button", { name: "Enregistrer l'appréciation" }).click()]);
    };
    await appreciate(auditor.locator("article.exigence-audit").first(), "Conforme");
    const downloadGrid = async () => {
      const [download] = await Promise.all([
        auditor.waitForEvent("download"),
        auditor.getByRole("link", { name: "Télécharger la grille d'audit (CSV)" }).click(),
      ]);
      return parseCsv(readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, ""));
    };
    const uploadGrid = async (rows, label) => {
      const filled = rows.map((row, i) => (i === 0 ? row : row.map((cell, c) => (c === rows[0].indexOf("Appréciation") ? "Conforme" : cell))));
      await auditor.locator("#grille-fichier").setInputFiles({ name: "grille.csv", mimeType: "text/csv", buffer: Buffer.from("\uFEFF" + toCsv(filled)) });
      await auditor.getByRole("button", { name: "Vérifier la grille remplie" }).click();
      await arrived(auditor, label);
    };
    const stale = await downloadGrid();
    assert(stale.length === requirements + 1, `one line per requirement (${stale.length - 1})`);
    await appreciate(auditor.locator("article.exigence-audit").nth(1), "En cours");
    await uploadGrid(stale, "grille hors ligne en conflit");
    const conflict = await auditor.locator("main").innerText();
    assert(conflict.includes("La grille ne peut pas être appliquée") && conflict.includes("modifiée dans l'application"), `the conflict is shown: ${conflict}`);
    await auditor.getByRole("link", { name: "← Grille d'audit" }).click();
    await arrived(auditor, "grille d'audit (après conflit)");
    await uploadGrid(await downloadGrid(), "grille hors ligne vérifiée");
    assert((await auditor.locator("main").innerText()).includes(`${requirements - 1} exigence(s) modifiée(s)`), "every requirement but the first changes");
    await press(auditor, "Appliquer ces modifications", "grille hors ligne appliquée");
    assert((await auditor.locator("article.exigence-audit select[name=status]").count()) > 0, "back on the grid");
    await checkPage(auditor, "grille d'audit appréciée");
    await auditor.locator("#synthese-texte").fill("Démarche qualité vivante ; une piste de progrès sur l'accueil.");
    await press(auditor, "Enregistrer la synthèse", "synthèse enregistrée");
    await press(auditor, "Remettre le compte-rendu", "compte-rendu remis");
    assert((await auditor.locator("#titre-demande + dl").innerText()).includes("Compte-rendu d'audit remis"), "the report is submitted");
    await auditor.context().close();

    await federal.goto(`${base}/`);
    await federal.getByRole("link", { name: "Emploi Solidaire du Pays de Rennes" }).first().click();
    await arrived(federal, "certification (rapport remis)");
    await federal.getByRole("link", { name: /Dossier audité et compte-rendu/ }).click();
    await arrived(federal, "compte-rendu (fédération)");
    await press(federal, "Ouvrir le compte-rendu au comité de certification", "compte-rendu ouvert au comité");
    await federal.context().close();

    const committee = await as("comite@cedre.demo", "certification (comité)");
    await committee.getByLabel("Date de la réunion").fill(yesterday);
    await committee.getByLabel("Jacques Petit présent").check();
    await committee.locator("#comite-decision").selectOption({ label: "Certifiée" });
    await press(committee, "Enregistrer la décision du comité", "décision du comité");
    const certificate = await committee.locator("#titre-certificat + dl").innerText();
    const code = certificate.match(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/)?.[0];
    assert(code && certificate.includes("Valide"), `a valid certificate with its code: ${certificate}`);
    const pdf = await committee.request.get(`${committee.url().replace(/\/certification.*$/, "")}/certification/certificat.pdf`);
    assert(pdf.status() === 200, `the certificate downloads (${pdf.status()})`);
    const pdfPath = join(mkdtempSync(join(tmpdir(), "cedre-certificat-")), "certificat.pdf");
    writeFileSync(pdfPath, await pdf.body());
    const text = execFileSync("pdftotext", [pdfPath, "-"]).toString();
    assert(text.includes("Emploi Solidaire du Pays de Rennes") && text.includes(code), `the certificate names the SIAE and its code: ${text}`);
    await committee.context().close();

    const visitor = await newPage();
    await visit(visitor, `/verification/${code}`, "vérification publique");
    const shown = await visitor.locator("main").innerText();
    assert(shown.includes("Emploi Solidaire du Pays de Rennes") && shown.includes("Valide"), `the public page: ${shown}`);
    assert(!shown.includes("82601815908302"), "nothing but the name, the validity and the status");
    await visit(visitor, "/verification/0000-0000-0000-0000", "vérification d'un code inconnu", { status: 404 });
    await visitor.context().close();
  });

  await test("an accompagnateur answers fiche 15's indicators and sees the engagements ranked, the choice left to them", async () => {
    const page = await newPage();
    await login(page, "accompagnateur@cedre.demo");
    await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Choix d'engagement" }).click();
    await arrived(page, "aide au choix de l'engagement");
    assert((await page.locator("h3").count()) === 0, "nothing ranked before an answer");
    await page.getByLabel("Priorité de la personne à ce moment").selectOption("peripherique");
    await page.getByLabel("Échéance utile de l'action").selectOption("moyenne");
    await page.getByLabel("Référence à un projet professionnel").selectOption("non");
    await page.getByLabel("Capacité à assurer immédiatement une mission de travail").selectOption("non");
    await page.getByRole("button", { name: "Voir les engagements" }).click();
    await arrived(page, "engagements classés");
    const ranked = await page.locator("main h3").allInnerTexts();
    assert(ranked[0] === "Soutien actif" && ranked[1] === "Templus" && ranked.length === 6, `ranked: ${ranked}`);
    const first = await page.locator("main section").first().innerText();
    assert(first.includes("4 indicateur(s) sur 4 en commun.") && first.includes("Sortie de l'organisme ou vers un engagement centré sur le rapport à l'emploi"), `the first card: ${first}`);
    assert(new URL(page.url()).searchParams.get("priorite") === "peripherique", "the answers are in the address, not stored");
    await page.context().close();
  });

  await test("an accompagnateur records a pré-accueil and an accueil, chooses an engagement, records it with two actions and its bilan, prints the convention", async () => {
    const page = await newPage();
    await login(page, "accompagnateur@cedre.demo");
    await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Personnes accompagnées" }).click();
    await arrived(page, "personnes accompagnées");
    const days = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
    await page.locator("#nouvelle-nom").fill("Navigateur");
    await page.locator("#nouvelle-prenom").fill("Christiane");
    await page.locator("#nouvelle-pre-accueil").fill(days(20));
    await Promise.all([page.waitForURL(/\/personnes\/\d+$/), page.getByRole("button", { name: "Ouvrir la fiche" }).click()]);
    await arrived(page, "fiche de suivi (pré-accueil)");
    const fiche = page.url();
    assert((await page.locator("main .pastille").innerText()) === "Accueil", "the phase after a first contact");
    await page.locator("#fiche-accueil").fill(days(15));
    await page.locator("#fiche-inscription").fill(days(15));
    await Promise.all([page.waitForURL(fiche), page.getByRole("button", { name: "Enregistrer la fiche" }).click()]);
    await arrived(page, "fiche de suivi (inscrite)");
    assert((await page.locator("main .pastille").innerText()) === "Pré-embauche", "inscribed, no engagement yet");

    await page.getByRole("link", { name: "Aide au choix de l'engagement" }).click();
    await arrived(page, "aide au choix depuis la fiche");
    // Fiche outil n°15 places the coup de pouce on peripheral obstacles, a short deadline, no
    // project yet and work right away.
    await page.getByLabel("Priorité de la personne à ce moment").selectOption("peripherique");
    await page.getByLabel("Échéance utile de l'action").selectOption("courte");
    await page.getByLabel("Référence à un projet professionnel").selectOption("non");
    await page.getByLabel("Capacité à assurer immédiatement une mission de travail").selectOption("oui");
    await page.getByRole("button", { name: "Voir les engagements" }).click();
    await arrived(page, "engagements classés depuis la fiche");
    assert((await page.locator("main h3").first().innerText()) === "Coup de pouce", "the grid puts coup de pouce first");
    await page.goto(fiche);

    await page.locator("#engagement-type").selectOption("coup_de_pouce");
    await page.locator("#engagement-date").fill(days(14));
    await page.locator("#engagement-objet").fill("Des missions de manutention dans la semaine");
    await page.locator("#engagement-moyens-structure").fill("Rechercher des mises à disposition");
    await page.locator("#engagement-moyens-personne").fill("Être joignable");
    await page.locator("#engagement-echeance").fill(days(2));
    await page.locator("#engagement-signe").check();
    await page.locator("#engagement-remis").check();
    await Promise.all([page.waitForURL(fiche), page.getByRole("button", { name: "Enregistrer l'engagement" }).click()]);
    await arrived(page, "fiche de suivi (engagement)");
    assert((await page.locator("main .pastille").innerText()) === "En parcours", "an engagement: in parcours");
    for (const [kind, label, extra] of [["entretien", "Entretien individuel de départ", {}], ["mets", "MAD manutention", { client: "Entreprise Durand", rome: "N1105", hours: "5" }]]) {
      await page.locator("#action-date").fill(days(13));
      await page.locator("#action-type").selectOption(kind);
      await page.locator("#action-libelle").fill(label);
      await page.locator("#action-engagement").selectOption({ index: 1 });
      if (extra.client) {
        await page.locator("#action-client").fill(extra.client);
        await page.locator("#action-rome").fill(extra.rome);
        await page.locator("#action-heures").fill(extra.hours);
      }
      await Promise.all([page.waitForURL(fiche), page.getByRole("button", { name: "Enregistrer l'action" }).click()]);
      await arrived(page, `fiche de suivi (action ${kind})`);
    }
    assert((await page.locator("main table tbody tr").count()) === 2, "two actions on the fiche");
    const lapse = await page.locator("main .avertissement").innerText();
    assert(lapse.includes("passée sans bilan"), `the suivi a minima: ${lapse}`);
    await page.getByLabel("Bilan réalisé le").fill(days(1));
    await page.getByLabel("Les actions envisagées ont-elles été réalisées ?").selectOption("totalement");
    await page.getByLabel("Des suites sont-elles envisagées ?").selectOption("non");
    await page.getByLabel("Commentaires").fill("Deux missions réalisées, la personne a repris confiance");
    await Promise.all([page.waitForURL(fiche), page.getByRole("button", { name: "Enregistrer le bilan" }).click()]);
    await arrived(page, "fiche de suivi (bilan)");
    assert((await page.locator("main").innerText()).includes("Oui, totalement"), "the bilan is on the fiche");

    const link = page.getByRole("link", { name: "Imprimer la convention (PDF)" });
    const pdf = await page.request.get(new URL(await link.getAttribute("href"), base).href);
    assert(pdf.status() === 200, `the convention downloads (${pdf.status()})`);
    const pdfPath = join(mkdtempSync(join(tmpdir(), "cedre-convention-")), "convention.pdf");
    writeFileSync(pdfPath, await pdf.body());
    const text = execFileSync("pdftotext", [pdfPath, "-"]).toString();
    assert(text.includes("Navigateur Christiane") && text.includes("Des missions de manutention") && text.includes("Deux missions réalisées"), `the convention: ${text}`);

    await page.getByRole("link", { name: "Personnes accompagnées" }).first().click();
    await arrived(page, "personnes accompagnées (retour)");
    await page.getByLabel("Nom ou prénom").fill("navigateur");
    await page.getByRole("button", { name: "Chercher" }).click();
    await arrived(page, "recherche d'une personne");
    const found = await page.getByRole("table", { name: "Personnes accompagnées" }).locator("tbody tr").allInnerTexts();
    assert(found.length === 1 && found[0].includes("Navigateur Christiane"), `the search finds the one person: ${found}`);
    await page.getByRole("link", { name: "Tableau de synthèse des parcours" }).click();
    await arrived(page, "tableau de synthèse");
    const synthesis = await page.locator("main table").innerText();
    assert(synthesis.includes("Navigateur Christiane") && synthesis.includes("MAD manutention"), `the synthesis: ${synthesis}`);
    await page.context().close();
  });

  await test("regional and federal views, versions and exports are reachable and accessible", async () => {
    const page = await newPage();
    await login(page, "rq-federal@cedre.demo");
    await visit(page, "/suivi?tri=avancement", "suivi des SIAE");
    assert((await page.locator("table tbody tr").count()) === 7, "every SIAE of the federation");
    await page.getByLabel("Association régionale").selectOption({ label: "COORACE Bretagne" });
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page.waitForLoadState("networkidle");
    assert((await page.locator("table tbody tr").count()) === 4, "the SIAE of Bretagne");
    await checkAccessibility(page, "suivi des SIAE (Bretagne)");
    await visit(page, "/referentiel/versions", "versions");
    await visit(page, "/referentiel/versions/1", "version 2004");
    await visit(page, "/suivi", "suivi des SIAE");
    await page.getByRole("link", { name: "Tremplin Intérim Armor" }).click();
    await arrived(page, "auto-évaluation (fédération)");
    const pdf = await page.request.get(page.url().replace(/\/referentiel$/, "/referentiel.pdf"));
    assert(pdf.status() === 200 && (await pdf.body()).subarray(0, 5).toString() === "%PDF-", "the PDF export downloads");
    await page.context().close();
  });

  await test("administration pages, errors and forms are accessible", async () => {
    const page = await newPage();
    await login(page, "admin@cedre.demo");
    await visit(page, "/organisations/nouvelle", "nouvelle organisation");
    await visit(page, "/organisations/2/modifier", "modifier organisation");
    await visit(page, "/administration/comptes/2", "fiche compte");
    await visit(page, "/administration/journal?objet=compte", "journal filtré");
    await visit(page, "/cette-page-n-existe-pas", "404", { status: 404 });
    await visit(page, "/interdit", "403", { status: 403 });
    await visit(page, "/erreur", "500", { status: 500 });
    await page.context().close();
  });

  for (const [javaScriptEnabled, name, email] of [[true, "Inès Garnier", "ines.garnier@exemple.fr"], [false, "Yanis Roussel", "yanis.roussel@exemple.fr"]]) {
    const mode = javaScriptEnabled ? "with JavaScript" : "without JavaScript";
    await test(`an administrator creates an account and gives it a role, by keyboard-friendly forms (${mode})`, async () => {
      const page = await newPage(undefined, javaScriptEnabled);
      await login(page, "admin@cedre.demo");
      await visit(page, "/administration/comptes", `comptes (${mode})`);
      await page.getByLabel("Nom affiché").fill(name);
      await page.locator("#nouveau-email").fill(email);
      await page.getByRole("button", { name: "Créer le compte" }).click();
      await page.waitForLoadState("networkidle");
      assert(page.lastNavigationStatus === 200 && /\/administration\/comptes\/\d+$/.test(page.url()), `after creation: ${page.url()}`);
      // The flash says the account was created; the temporary password is shown once, beside it.
      const statuses = (await page.getByRole("status").allInnerTexts()).join(" | ");
      assert(statuses.includes("Le compte a été créé"), `after creation: ${statuses}`);
      assert(statuses.includes("Mot de passe temporaire"), `after creation: ${statuses}`);
      await page.getByLabel("Organisation").selectOption({ label: "Tremplin Intérim Armor (SIAE)" });
      await page.locator("#role-role").selectOption("Accompagnateur");
      await page.getByRole("button", { name: "Attribuer", exact: true }).click();
      await page.waitForLoadState("networkidle");
      assert(page.lastNavigationStatus === 200, `after the grant: ${page.lastNavigationStatus}`);
      assert((await page.getByRole("status").innerText()).includes("Le rôle a été attribué"), "role granted");
      assert((await page.locator("table").innerText()).includes("Tremplin Intérim Armor"), "the role is listed");
      if (javaScriptEnabled) assertNoConsoleErrors(page, `fiche compte (${mode})`, 200);
      await page.context().close();
    });
  }

  /// The message beside a field: shown, named by the field's aria-describedby, the field marked invalid.
  async function assertFieldMessage(page, id, text) {
    const field = page.locator(`#${id}`);
    assert((await field.getAttribute("aria-invalid")) === "true", `#${id} is not marked invalid`);
    const describedBy = ((await field.getAttribute("aria-describedby")) ?? "").split(" ");
    assert(describedBy.includes(`${id}-erreur`), `#${id} aria-describedby: ${describedBy}`);
    const message = page.locator(`#${id}-erreur`);
    assert(await message.isVisible(), `the message of #${id} is visible`);
    const said = await message.innerText();
    assert(said.includes(text), `message of #${id}: ${said}`);
  }

  for (const javaScriptEnabled of [true, false]) {
    const mode = javaScriptEnabled ? "with JavaScript" : "without JavaScript";

    await test(`a refused organisation comes back with the message beside the SIRET and what was typed (${mode})`, async () => {
      const page = await newPage(undefined, javaScriptEnabled);
      await login(page, "admin@cedre.demo");
      await visit(page, "/organisations/nouvelle", `nouvelle organisation (${mode})`);
      await page.locator("#org-name").fill("Ateliers du Léon");
      await page.getByLabel("Ville").fill("Morlaix");
      await page.getByLabel("SIRET").fill("123 456 789 01234");
      await page.getByLabel("Type de SIAE").selectOption("ACI");
      await page.getByLabel("Association régionale").selectOption({ label: "COORACE Bretagne" });
      await page.getByLabel("Date d'entrée dans la démarche CEDRE").fill("2026-01-05");
      await page.getByLabel("ETP financés pour l'accompagnement socio-professionnel").fill("2,5");
      await Promise.all([page.waitForURL(/\/organisations\/nouvelle/), page.getByRole("button", { name: "Créer l'organisation" }).click()]);
      await page.waitForLoadState("networkidle");
      await assertFieldMessage(page, "org-siret", "clé de contrôle");
      assert((await page.getByLabel("SIRET").inputValue()) === "123 456 789 01234", "the SIRET typed is kept");
      assert((await page.locator("#org-name").inputValue()) === "Ateliers du Léon", "the name is kept");
      assert((await page.getByLabel("Ville").inputValue()) === "Morlaix", "the city is kept");
      assert((await page.getByLabel("Type de SIAE").inputValue()) === "ACI", "the type is kept");
      assert((await page.getByLabel("Date d'entrée dans la démarche CEDRE").inputValue()) === "2026-01-05", "the date is kept");
      assert((await page.getByLabel("ETP financés pour l'accompagnement socio-professionnel").inputValue()) === "2,5", "the FTE are kept");
      assert((await page.locator("#org-region option:checked").innerText()) === "COORACE Bretagne", "the region is kept");
      assert((await page.getByRole("alert").innerText()).includes("Rien n'a été enregistré"), "the form says it was refused");
      await checkPage(page, `nouvelle organisation refusée (${mode})`);
      // Shown once: a new visit starts afresh.
      await visit(page, "/organisations/nouvelle", `nouvelle organisation (${mode})`);
      assert((await page.getByLabel("SIRET").inputValue()) === "", "the echo is shown once");
      assert((await page.locator(".erreur-champ").count()) === 0, "no message left");
      await page.context().close();
    });

    await test(`« non applicable » without a justification comes back with the message beside it (${mode})`, async () => {
      const page = await newPage(undefined, javaScriptEnabled);
      await login(page, "referent@cedre.demo");
      await page.getByRole("link", { name: "Auto-évaluation", exact: true }).click();
      await page.waitForLoadState("networkidle");
      await page.locator("details#section-2-2").getByRole("link", { name: "2.2 b", exact: true }).click();
      await page.waitForLoadState("networkidle");
      const requirement = page.url();
      await page.getByLabel("Statut").selectOption("non_applicable");
      await page.getByLabel("Commentaire").fill("Aucun salarié en parcours cette année");
      await page.getByLabel("Personne responsable").fill("Nadia Benali");
      await page.getByLabel("Date cible").fill("2027-03-31");
      await page.getByRole("button", { name: "Enregistrer l'évaluation" }).click();
      await page.waitForLoadState("networkidle");
      assert(page.url().startsWith(requirement.split("?")[0]), `back on the requirement: ${page.url()}`);
      await assertFieldMessage(page, "eval-justification", "doit être justifié");
      assert((await page.getByLabel("Statut").inputValue()) === "non_applicable", "the status is kept");
      assert((await page.getByLabel("Commentaire").inputValue()) === "Aucun salarié en parcours cette année", "the comment is kept");
      assert((await page.getByLabel("Personne responsable").inputValue()) === "Nadia Benali", "the responsible is kept");
      assert((await page.getByLabel("Date cible").inputValue()) === "2027-03-31", "the target date is kept");
      await checkPage(page, `exigence refusée (${mode})`);
      await page.context().close();
    });
  }

  await test("times are shown in Paris time, in French, without « UTC »", async () => {
    const page = await newPage();
    await login(page, "admin@cedre.demo");
    await visit(page, "/administration/journal", "journal");
    const first = await page.locator("table.journal tbody tr time").first();
    const shown = await first.innerText();
    const at = new Date(await first.getAttribute("datetime"));
    const paris = new Intl.DateTimeFormat("fr-FR", {
      timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit",
    }).formatToParts(at).reduce((parts, p) => ({ ...parts, [p.type]: p.value }), {});
    const expected = `${paris.day}/${paris.month}/${paris.year} à ${paris.hour}:${paris.minute}`;
    assert(shown === expected, `shown ${shown}, expected ${expected}`);
    assert(!(await page.locator("main").innerText()).includes("UTC"), "no « UTC » on the page");
    await page.context().close();
  });
} finally {
  await browser?.close();
  server.kill();
}

console.log(`\n${passed} passed, ${failures} failed; ${checkedPages.size} pages checked with axe-core`);
process.exit(failures === 0 ? 0 : 1);
