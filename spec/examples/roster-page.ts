// A program roster page, as a front end would build it on the types openapi-typescript
// generates from openapi.yaml, with no framework: a filter form (status, active on a day,
// name, household), a table of enrollments with each client's name, relationship to the head
// of household and household size, and a "more" button that follows `next_cursor`.
//
// `make spec-check` type-checks it against a freshly generated client, so a change to the
// spec that would break a front end (a renamed field, a HUD code added to or dropped from a
// list) fails there first: the relationship labels below must name every code of HUD's
// RelationshipToHoH list, no more and no fewer.
//
// Use: mountRosterPage(document.getElementById("roster")!, {
//   baseUrl: "http://127.0.0.1:8080", token, programId });
import type { components, operations } from "../generated/schema";

type RosterEntry = components["schemas"]["RosterEntry"];
type RosterList = components["schemas"]["RosterList"];
type Problem = components["schemas"]["Problem"];
type RosterQuery = NonNullable<operations["list_program_enrollments"]["parameters"]["query"]>;
type RosterStatus = NonNullable<RosterQuery["status"]>;
type RelationshipToHoh = components["schemas"]["RelationshipToHoh"];

/** HUD 3.15 RelationshipToHoH, as a roster column says it: one label per code of the list. */
const RELATIONSHIP: Record<RelationshipToHoh, string> = {
  1: "Head of household",
  2: "Child",
  3: "Spouse or partner",
  4: "Other relative",
  5: "Other, not related",
  99: "Not collected",
};

const STATUSES: readonly RosterStatus[] = ["active", "exited", "all"];

export interface RosterPageConfig {
  baseUrl: string;
  token: string;
  programId: string;
  pageSize?: number;
}

/** One page of the roster, or the problem the API answered (RFC 9457). */
export async function fetchRosterPage(
  config: RosterPageConfig,
  query: RosterQuery,
): Promise<{ ok: true; page: RosterList } | { ok: false; problem: Problem }> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(name, String(value));
  }
  const url = `${config.baseUrl}/v1/programs/${encodeURIComponent(config.programId)}/enrollments?${params}`;
  const response = await fetch(url, { headers: { Authorization: `Bearer ${config.token}` } });
  if (!response.ok) return { ok: false, problem: (await response.json()) as Problem };
  return { ok: true, page: (await response.json()) as RosterList };
}

/** A client's name as the roster shows it: "Lee, Jordan A." (names may be missing). */
export function displayName(client: RosterEntry["client"]): string {
  const given = [client.first_name, client.middle_name ? `${client.middle_name[0]}.` : null]
    .filter((part): part is string => Boolean(part))
    .join(" ");
  const family = [client.last_name, client.name_suffix]
    .filter((part): part is string => Boolean(part))
    .join(" ");
  if (family && given) return `${family}, ${given}`;
  return family || given || "(no name recorded)";
}

/** The cells of one roster row, in column order. */
export function rosterCells(entry: RosterEntry): string[] {
  const household = entry.household;
  return [
    displayName(entry.client),
    RELATIONSHIP[entry.relationship_to_hoh],
    entry.entry_date,
    entry.exit ? entry.exit.exit_date : "",
    `${household.active_member_count} of ${household.member_count} active`,
  ];
}

const COLUMNS = ["Client", "Relationship", "Entry", "Exit", "Household"] as const;

/** Builds the page into `root` and loads the first page of active enrollments. */
export function mountRosterPage(root: HTMLElement, config: RosterPageConfig): void {
  const form = document.createElement("form");
  const status = document.createElement("select");
  for (const value of STATUSES) status.append(new Option(value, value));
  const activeOn = Object.assign(document.createElement("input"), { type: "date" });
  const search = Object.assign(document.createElement("input"), { type: "search", placeholder: "Name" });
  const household = Object.assign(document.createElement("input"), { placeholder: "Household ID" });
  form.append(status, activeOn, search, household, Object.assign(document.createElement("button"), { textContent: "Filter" }));

  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const column of COLUMNS) head.append(Object.assign(document.createElement("th"), { textContent: column }));
  const body = table.createTBody();
  const more = Object.assign(document.createElement("button"), { textContent: "More", hidden: true });
  const message = document.createElement("p");
  root.replaceChildren(form, table, more, message);

  let query: RosterQuery = {};
  let cursor: string | null = null;

  async function load(append: boolean): Promise<void> {
    const page = await fetchRosterPage(config, {
      ...query,
      ...(config.pageSize === undefined ? {} : { limit: config.pageSize }),
      ...(append && cursor !== null ? { cursor } : {}),
    });
    if (!append) body.replaceChildren();
    if (!page.ok) {
      // `errors` names each field a filter got wrong (a date that is not one, ...).
      const fields = (page.problem.errors ?? []).map((error) => `${error.field}: ${error.message}`);
      message.textContent = [page.problem.title, ...fields].join(" · ");
      more.hidden = true;
      return;
    }
    for (const entry of page.page.data) {
      const row = body.insertRow();
      for (const cell of rosterCells(entry)) row.insertCell().textContent = cell;
    }
    cursor = page.page.next_cursor ?? null;
    more.hidden = cursor === null;
    message.textContent = body.rows.length === 0 ? "No enrollments match." : "";
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = STATUSES.find((value) => value === status.value) ?? "active";
    query = {
      status: chosen,
      ...(activeOn.value ? { active_on: activeOn.value } : {}),
      ...(search.value.trim() ? { q: search.value.trim() } : {}),
      ...(household.value.trim() ? { household_id: household.value.trim() } : {}),
    };
    cursor = null;
    void load(false);
  });
  more.addEventListener("click", () => void load(true));
  void load(false);
}
