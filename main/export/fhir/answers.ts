import { z } from 'zod';

/**
 * What a FHIR server answers, parsed at the trust boundary. Only the fields the exporter acts
 * on are checked; anything else the server adds passes through untouched.
 */

const IssueSchema = z.object({
  severity: z.string().optional(),
  code: z.string().optional(),
  diagnostics: z.string().optional(),
  details: z.object({ text: z.string().optional() }).optional(),
});

const OperationOutcomeSchema = z.object({
  resourceType: z.literal('OperationOutcome'),
  issue: z.array(IssueSchema).default([]),
});

export const TransactionResponseSchema = z.object({
  resourceType: z.literal('Bundle'),
  type: z.enum(['transaction-response', 'batch-response']),
  entry: z
    .array(
      z.object({
        response: z.object({
          /** `201`, or `201 Created`: FHIR puts the status code first. */
          status: z.string().regex(/^\d{3}/),
          location: z.string().optional(),
          outcome: OperationOutcomeSchema.optional(),
        }),
      }),
    )
    .default([]),
});

export const CapabilityStatementSchema = z.object({
  resourceType: z.literal('CapabilityStatement'),
  fhirVersion: z.string(),
  software: z.object({ name: z.string().optional(), version: z.string().optional() }).optional(),
});

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The server's own words from an OperationOutcome body, or undefined when it sent none. */
export function outcomeText(body: string): string | undefined {
  const parsed = OperationOutcomeSchema.safeParse(parseJson(body));
  if (!parsed.success) return undefined;
  const texts = parsed.data.issue.map((i) => i.diagnostics ?? i.details?.text ?? i.code ?? '').filter((t) => t !== '');
  return texts.length > 0 ? texts.join('; ') : undefined;
}

/** `Observation/123` from `Observation/123/_history/1` or an absolute URL; undefined if none. */
export function relativeReference(location: string | undefined): string | undefined {
  if (!location) return undefined;
  const m = /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(\/_history\/[^/]+)?\/?$/.exec(location);
  return m?.[1];
}
