// A small typed client for the enrollment endpoints, written only against the types that
// openapi-typescript generates from openapi.yaml. `make spec-check` type-checks it, so a
// change to the spec that would break generated clients breaks the build here first.
import type { components, operations, paths } from "./generated/schema";

type Enrollment = components["schemas"]["EnrollmentView"];
type EnrollmentList = components["schemas"]["EnrollmentList"];
type CreateEnrollment = components["schemas"]["CreateEnrollment"];
type UpdateEnrollment = components["schemas"]["UpdateEnrollment"];
type ExitEnrollment = components["schemas"]["ExitEnrollment"];
type Consent = components["schemas"]["ConsentView"];
type CreateConsent = components["schemas"]["CreateConsent"];
type UpdateConsent = components["schemas"]["UpdateConsent"];
type Problem = components["schemas"]["Problem"];
type ListQuery = NonNullable<operations["list_enrollments"]["parameters"]["query"]>;

/** An answer that is either the resource or a problem (RFC 9457). */
export type Result<T> = { ok: true; value: T; etag: string | null } | { ok: false; problem: Problem };

export class ThresholdClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Result<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      return { ok: false, problem: (await response.json()) as Problem };
    }
    const value = (response.status === 204 ? undefined : await response.json()) as T;
    return { ok: true, value, etag: response.headers.get("ETag") };
  }

  createEnrollment(clientId: string, body: CreateEnrollment, idempotencyKey?: string) {
    const path: keyof paths = "/v1/clients/{client_id}/enrollments";
    return this.call<Enrollment>(
      "POST",
      path.replace("{client_id}", clientId),
      body,
      idempotencyKey === undefined ? {} : { "Idempotency-Key": idempotencyKey },
    );
  }

  listEnrollments(clientId: string, query: ListQuery = {}) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) params.set(name, String(value));
    }
    const suffix = params.size > 0 ? `?${params.toString()}` : "";
    return this.call<EnrollmentList>("GET", `/v1/clients/${clientId}/enrollments${suffix}`);
  }

  getEnrollment(clientId: string, enrollmentId: string) {
    return this.call<Enrollment>("GET", `/v1/clients/${clientId}/enrollments/${enrollmentId}`);
  }

  updateEnrollment(clientId: string, enrollmentId: string, patch: UpdateEnrollment, etag: string) {
    return this.call<Enrollment>(
      "PATCH",
      `/v1/clients/${clientId}/enrollments/${enrollmentId}`,
      patch,
      { "If-Match": etag },
    );
  }

  exitEnrollment(clientId: string, enrollmentId: string, body: ExitEnrollment) {
    return this.call<Enrollment>(
      "POST",
      `/v1/clients/${clientId}/enrollments/${enrollmentId}/exit`,
      body,
    );
  }

  deleteEnrollment(clientId: string, enrollmentId: string) {
    return this.call<undefined>("DELETE", `/v1/clients/${clientId}/enrollments/${enrollmentId}`);
  }

  recordConsent(clientId: string, body: CreateConsent) {
    const path: keyof paths = "/v1/clients/{client_id}/consents";
    return this.call<Consent>("POST", path.replace("{client_id}", clientId), body);
  }

  updateConsent(clientId: string, consentId: string, patch: UpdateConsent, etag: string) {
    return this.call<Consent>("PATCH", `/v1/clients/${clientId}/consents/${consentId}`, patch, {
      "If-Match": etag,
    });
  }
}

/** A release of information to one other organization, then its revocation. */
export async function consentExample(client: ThresholdClient, clientId: string, organizationId: string) {
  const recorded = await client.recordConsent(clientId, {
    scope: "organizations",
    organization_ids: [organizationId],
    end_date: "2026-11-02",
  });
  if (!recorded.ok || recorded.etag === null) {
    return null;
  }
  const consent: Consent = recorded.value;
  const named: string[] = consent.scope === "coc" ? [] : consent.organization_ids;
  await client.updateConsent(clientId, consent.id, { status: "revoked" }, recorded.etag);
  await client.recordConsent(clientId, { scope: "coc" });
  return named;
}

/** What a front end does with the client: enroll, list, edit, exit. */
export async function example(client: ThresholdClient, clientId: string, programId: string) {
  const created = await client.createEnrollment(
    clientId,
    { program_id: programId, entry_date: "2025-11-03", relationship_to_hoh: 1 },
    "enroll-2025-11-03",
  );
  if (!created.ok) {
    const codes: string[] = (created.problem.errors ?? []).map((item) => item.code);
    return codes;
  }
  const enrollment: Enrollment = created.value;
  const status: string = enrollment.status;
  const page = await client.listEnrollments(clientId, { status: "active", limit: 10 });
  if (page.ok) {
    const next: string | null | undefined = page.value.next_cursor;
    void next;
  }
  if (created.etag !== null) {
    await client.updateEnrollment(clientId, enrollment.id, { prior_living_situation: 116 }, created.etag);
  }
  await client.exitEnrollment(clientId, enrollment.id, { exit_date: "2026-01-15", destination: 410 });
  return [status];
}

// HUD code lists are unions of their codes in the generated types: a destination is one of
// HUD's 3.12 codes, and a number that is not one does not type-check.
type Destination = components["schemas"]["Destination"];
type ProjectType = components["schemas"]["ProjectType"];
export const rentalWithSubsidy: Destination = 435;
export const emergencyShelter: ProjectType = 1;
// @ts-expect-error 5 is not a HUD destination code
export const notADestination: Destination = 5;
// @ts-expect-error 5 is not a HUD project type (2.02.6)
export const notAProjectType: ProjectType = 5;
export const exitToShelter: ExitEnrollment = { exit_date: "2026-01-15", destination: 101 };
