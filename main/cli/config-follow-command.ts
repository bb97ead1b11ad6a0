import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { isHubError } from '../../shared/errors.ts';
import { FOLLOW_LIMITS, followUrlProblem, type FollowStatus } from '../../shared/config/follow-model.ts';
import { DRIVERS } from '../../drivers/index.ts';
import { ConfigService } from '../config/config-service.ts';
import { ConfigFollower, type CheckResult } from '../config/follow-service.ts';
import { signConfigBytes } from '../config/follow-signature.ts';
import { HubWorkflow } from '../workflow/hub-workflow.ts';
import { parseArgs } from './args.ts';
import { openHubDatabase } from './audit-command.ts';
import type { Io } from './io.ts';
import { commandFailure, commandFailureOf } from './output.ts';

const UrlArg = z
  .string()
  .min(1)
  .max(FOLLOW_LIMITS.maxUrlLength)
  .superRefine((url, ctx) => {
    const problem = followUrlProblem(url);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
const IntervalArg = z
  .string()
  .regex(/^\d+$/, 'takes whole seconds, e.g. 900')
  .transform(Number)
  .refine((n) => n >= FOLLOW_LIMITS.minIntervalSeconds && n <= FOLLOW_LIMITS.maxIntervalSeconds, `is ${FOLLOW_LIMITS.minIntervalSeconds} to ${FOLLOW_LIMITS.maxIntervalSeconds} seconds`);

const FollowArgs = z
  .object({
    data: z.string().min(1).optional(),
    url: UrlArg.optional(),
    key: z.string().min(1).optional(),
    ca: z.string().min(1).optional(),
    interval: IntervalArg.optional(),
    status: z.boolean().optional(),
    json: z.boolean().optional(),
    now: z.boolean().optional(),
  })
  .superRefine((a, ctx) => {
    if (a.status === true || a.now === true) {
      if (a.url !== undefined || a.key !== undefined) ctx.addIssue({ code: 'custom', message: `--${a.status === true ? 'status' : 'now'} takes no --url or --key` });
      return;
    }
    if (a.url === undefined || a.key === undefined) ctx.addIssue({ code: 'custom', message: 'config follow needs --url <https-url> and --key <public key file> (or --status, or --now)' });
  });
const UnfollowArgs = z.object({ data: z.string().min(1).optional() });
const SignArgs = z.object({ key: z.string().min(1), file: z.string().min(1), out: z.string().min(1).optional() });

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw commandFailure('INPUT_INVALID', `cannot read the ${what} ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** The follower over a hub store, without starting a hub (as `config import` does). */
async function withFollower<T>(data: string | undefined, fn: (follower: ConfigFollower) => Promise<T> | T): Promise<T> {
  const store = openHubDatabase(data, false);
  try {
    const workflow = new HubWorkflow(store, hostname());
    const audit = (...a: Parameters<HubWorkflow['audit']>): void => workflow.audit(...a);
    const config = new ConfigService({ manifests: DRIVERS.map((d) => d.manifest), tables: store, audit, workstation: hostname() });
    return await fn(new ConfigFollower({ config, tables: store, audit }));
  } catch (e) {
    if (isHubError(e)) throw commandFailureOf(e);
    throw e;
  } finally {
    store.close();
  }
}

/** Exit status of a check: 0 applied or unchanged, 1 refused or unreachable (a script sees the failure). */
function report(result: CheckResult, io: Io): number {
  const line = `${result.outcome}: ${result.message}`;
  if (result.outcome === 'applied' || result.outcome === 'unchanged') io.out(line);
  else io.err(line);
  for (const o of result.overrides ?? []) io.out(`local override ${o.field}: central ${o.central}; kept ${o.local}`);
  return result.outcome === 'applied' || result.outcome === 'unchanged' ? 0 : 1;
}

function statusLines(s: FollowStatus): string[] {
  if (!s.following) return ['not following a central configuration'];
  const lines = [`following ${s.url ?? ''} every ${s.intervalSeconds ?? 0} s`, `key fingerprint (sha256 of SPKI): ${s.keyFingerprint ?? ''}${s.hasCa === true ? ' (extra CA pinned)' : ''}`];
  lines.push(s.lastCheckAt === undefined ? 'last check: never' : `last check: ${s.lastCheckAt} ${s.lastCheckOutcome ?? ''}${s.lastCheckMessage === undefined ? '' : ` — ${s.lastCheckMessage}`}`);
  lines.push(s.appliedSha256 === undefined ? 'applied: nothing yet' : `applied: sha256 ${s.appliedSha256} at ${s.appliedAt ?? ''}${s.appliedEtag === undefined ? '' : ` (ETag ${s.appliedEtag})`}`);
  if (s.refusedReason !== undefined) lines.push(`last refused: ${s.refusedAt ?? ''} — ${s.refusedReason}`);
  for (const o of s.localOverrides) lines.push(`local override ${o.field}: central ${o.central}; kept ${o.local}`);
  return lines;
}

/**
 * `pochub config follow --url <https-url> --key <public key> [--ca <pem>] [--interval <s>]`: store
 * the subscription and check once now; `--status` shows it (`--json` as JSON); `--now` checks
 * again. `pochub serve` checks on the interval while subscribed.
 */
export async function configFollowCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const args = parseArgs(FollowArgs, raw);
  if (args.status === true) {
    const status = await withFollower(args.data, (f) => f.status());
    if (args.json === true) io.out(JSON.stringify(status, null, 2));
    else for (const line of statusLines(status)) io.out(line);
    return 0;
  }
  if (args.now === true) return report(await withFollower(args.data, (f) => f.checkNow()), io);
  const publicKeyPem = readText(args.key ?? '', 'public key');
  const caPem = args.ca === undefined ? undefined : readText(args.ca, 'CA file');
  const result = await withFollower(args.data, (f) =>
    f.follow({ url: args.url ?? '', publicKeyPem, ...(caPem === undefined ? {} : { caPem }), ...(args.interval === undefined ? {} : { intervalSeconds: args.interval }) }),
  );
  return report(result, io);
}

/** `pochub config unfollow`: stop following; the configuration applied stays. */
export async function configUnfollowCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const args = parseArgs(UnfollowArgs, raw);
  const was = await withFollower(args.data, (f) => f.unfollow());
  io.out(was ? 'no longer following; the configuration applied stays' : 'was not following a central configuration');
  return 0;
}

/**
 * `pochub config sign --key <private key pem> --file <config> [--out <sig>]`: the detached Ed25519
 * signature over the file's exact bytes, base64 on one line (default `<file>.sig`), for IT to
 * publish beside the file.
 */
export function configSignCommand(raw: Record<string, unknown>, io: Io): number {
  const args = parseArgs(SignArgs, raw);
  const keyPem = readText(args.key, 'private key');
  let bytes: Buffer;
  try {
    bytes = readFileSync(args.file);
  } catch (e) {
    throw commandFailure('INPUT_INVALID', `cannot read ${args.file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  let sig: string;
  try {
    sig = signConfigBytes(keyPem, bytes);
  } catch (e) {
    throw commandFailureOf(e);
  }
  const out = args.out ?? `${args.file}.sig`;
  const temp = `${out}.tmp-${process.pid}`;
  writeFileSync(temp, sig, { mode: 0o644 });
  renameSync(temp, out);
  io.out(`wrote ${out} (Ed25519 over ${bytes.length} bytes of ${args.file})`);
  return 0;
}
