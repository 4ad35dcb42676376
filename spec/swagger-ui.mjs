// Opens Swagger UI, as served by a running `threshold serve`, in headless Chromium and checks
// what a person would look for there: that a HUD code list is offered as a drop-down of its
// codes (the `project_type` filter of `GET /v1/programs`, HUD 2.02.6) and that a request
// body's HUD fields show their codes and labels (`relationship_to_hoh`, HUD 3.15, in
// `POST /v1/clients/{client_id}/enrollments`). Screenshots of both go to SCREENSHOT_DIR.
//
//   THRESHOLD_URL=http://127.0.0.1:8080 SCREENSHOT_DIR=/tmp/shots node swagger-ui.mjs
//
// Run by `make swagger-ui-check` (scripts/swagger-ui-check.sh), which starts the server.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.THRESHOLD_URL ?? "http://127.0.0.1:8080";
const shots = process.env.SCREENSHOT_DIR ?? ".";
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
mkdirSync(shots, { recursive: true });

function fail(message) {
  console.error(`swagger-ui: ${message}`);
  process.exitCode = 1;
}

const browser = await chromium.launch({
  executablePath,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await page.goto(`${base}/swagger-ui/`);
  await page.locator(".opblock").first().waitFor({ timeout: 30_000 });

  // A query parameter of a HUD list: a drop-down of its codes once "Try it out" is on.
  const listPrograms = page.locator("#operations-programs-list_programs");
  await listPrograms.locator(".opblock-summary").first().click();
  await listPrograms.locator(".try-out__btn").click();
  const select = listPrograms.locator('tr[data-param-name="project_type"] select');
  await select.waitFor({ timeout: 10_000 });
  const options = (await select.locator("option").allTextContents()).map((text) => text.trim());
  const expected = ["0", "1", "2", "3", "4", "6", "7", "8", "9", "10", "11", "12", "13", "14"];
  for (const code of expected) {
    if (!options.includes(code)) fail(`project_type drop-down lacks ${code}: ${options.join(", ")}`);
  }
  if (options.includes("5")) fail("project_type drop-down offers 5, which HUD retired");
  const description = await listPrograms.locator('tr[data-param-name="project_type"]').innerText();
  if (!description.includes("Permanent Supportive Housing")) {
    fail(`project_type does not show the codes' labels: ${description}`);
  }
  await select.selectOption("3");
  await listPrograms.screenshot({ path: join(shots, "list_programs-project_type.png") });
  console.log(`project_type: a drop-down of ${options.length} choices (${options.join(" ")})`);

  // A request body's HUD field: its codes in the schema, with their labels.
  const create = page.locator("#operations-enrollments-create_enrollment");
  await create.locator(".opblock-summary").first().click();
  await create.locator(".opblock-section-request-body").waitFor({ timeout: 10_000 });
  await create
    .locator(".opblock-section-request-body")
    .getByText("Schema", { exact: true })
    .first()
    .click();
  // OpenAPI 3.1 schemas render as JSON Schema 2020-12 accordions: open the property.
  const relationship = create
    .locator(".opblock-section-request-body li.json-schema-2020-12-property")
    .filter({
      has: page.locator(".json-schema-2020-12__title", { hasText: /^relationship_to_hoh$/ }),
    })
    .first();
  await relationship.waitFor({ timeout: 10_000 });
  await relationship.locator(".json-schema-2020-12-expand-deep-button").first().click();
  const text = await relationship.innerText();
  for (const needed of ["Enum", "99", "1: Self (head of household)", "2: Head of household's child"]) {
    if (!text.includes(needed)) fail(`relationship_to_hoh does not show "${needed}": ${text}`);
  }
  await relationship.scrollIntoViewIfNeeded();
  await relationship.screenshot({ path: join(shots, "create_enrollment-relationship_to_hoh.png") });
  console.log("relationship_to_hoh: its codes and labels in the request body's schema");
} finally {
  await browser.close();
}
