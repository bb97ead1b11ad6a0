import { z } from 'zod';

/**
 * Following a central configuration (docs/architecture.md §6, fleet configuration): the limits and
 * the status an admin sees. The file itself is the workstation configuration file
 * (workstation-config.ts); its detached Ed25519 signature lives at `<url>.sig`.
 */
export const FOLLOW_LIMITS = {
  /** Default check interval: 15 minutes keeps a fleet in step without loading the server. */
  defaultIntervalSeconds: 900,
  /** Below 30 s a fleet of workstations would hammer the server for no clinical gain. */
  minIntervalSeconds: 30,
  maxIntervalSeconds: 86_400,
  /** A configuration file is a few kilobytes; anything near a megabyte is not one. */
  maxConfigBytes: 1_048_576,
  /** A base64 Ed25519 signature is 88 characters; a little room for a trailing newline. */
  maxSignatureBytes: 1024,
  maxUrlLength: 2000,
  maxPemLength: 20_000,
} as const;

export const FOLLOW_OUTCOMES = ['applied', 'unchanged', 'refused', 'unreachable'] as const;
export type FollowOutcome = (typeof FOLLOW_OUTCOMES)[number];

/** A central item this workstation keeps its own value for (its ports are its own). */
export const LocalOverrideSchema = z.object({
  /** Where it is in the central file, e.g. `ports[2]`. */
  field: z.string(),
  /** What the central file says, in words. */
  central: z.string(),
  /** What this workstation keeps, in words. */
  local: z.string(),
});
export type LocalOverride = z.infer<typeof LocalOverrideSchema>;

/** The follow subscription and what its checks found. */
export const FollowStatusSchema = z.object({
  following: z.boolean(),
  url: z.string().optional(),
  /** SHA-256 of the pinned public key's SPKI bytes, hex, as `openssl pkey -pubin -outform DER | sha256sum` prints it. */
  keyFingerprint: z.string().optional(),
  hasCa: z.boolean().optional(),
  intervalSeconds: z.number().int().optional(),
  lastCheckAt: z.string().optional(),
  lastCheckOutcome: z.enum(FOLLOW_OUTCOMES).optional(),
  lastCheckMessage: z.string().optional(),
  appliedSha256: z.string().optional(),
  appliedAt: z.string().optional(),
  appliedEtag: z.string().optional(),
  refusedReason: z.string().optional(),
  refusedAt: z.string().optional(),
  refusedSha256: z.string().optional(),
  localOverrides: z.array(LocalOverrideSchema),
});
export type FollowStatus = z.infer<typeof FollowStatusSchema>;

/**
 * An https URL, or http to this machine only (a test server, a local proxy): why not, or undefined.
 * Written without `URL` so the shared layer needs no DOM or Node types; main parses it again.
 */
export function followUrlProblem(url: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]+)(:\d+)?([/?#]|$)/i.exec(url);
  if (m === null) return `"${url}" is not a URL`;
  const scheme = (m[1] ?? '').toLowerCase();
  const host = (m[2] ?? '').toLowerCase();
  if (scheme === 'https') return undefined;
  const loopback = host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (scheme === 'http' && loopback) return undefined;
  if (scheme === 'http') return `plain http is refused for ${host} (the file could be changed on the way): use https`;
  return `${scheme}: is not https`;
}

/** Input to follow a URL (CLI and API). */
export const FollowInputSchema = z
  .object({
    url: z
      .string()
      .min(1)
      .max(FOLLOW_LIMITS.maxUrlLength)
      .superRefine((url, ctx) => {
        const problem = followUrlProblem(url);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      }),
    publicKeyPem: z.string().min(1).max(FOLLOW_LIMITS.maxPemLength),
    caPem: z.string().min(1).max(FOLLOW_LIMITS.maxPemLength * 10).optional(),
    intervalSeconds: z
      .number()
      .int()
      .min(FOLLOW_LIMITS.minIntervalSeconds, { error: `the interval is at least ${FOLLOW_LIMITS.minIntervalSeconds} seconds` })
      .max(FOLLOW_LIMITS.maxIntervalSeconds, { error: `the interval is at most ${FOLLOW_LIMITS.maxIntervalSeconds} seconds (a day)` })
      .default(FOLLOW_LIMITS.defaultIntervalSeconds),
  })
  .strict();
export type FollowInput = z.input<typeof FollowInputSchema>;
