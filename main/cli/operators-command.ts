import { hostname } from 'node:os';
import { z } from 'zod';
import { ROLES } from '../../shared/api/model.ts';
import { isHubError } from '../../shared/errors.ts';
import { AuditLog } from '../workflow/audit-log.ts';
import { OperatorDirectory } from '../workflow/operators.ts';
import { PIN_PATTERN } from '../workflow/pin-hash.ts';
import { parseArgs } from './args.ts';
import { openHubDatabase } from './audit-command.ts';
import type { Io } from './io.ts';
import { commandFailure, commandFailureOf } from './output.ts';

/** Longest PIN line read from standard input; anything longer is not a PIN. */
const MAX_PIN_INPUT_BYTES = 1024;

const AddArgs = z.object({
  name: z.string().trim().min(1, 'give the operator a name'),
  badge: z.string().trim().min(1, 'give the badge id'),
  role: z.enum(ROLES, { error: `the role is one of ${ROLES.join(', ')}` }),
  data: z.string().min(1).optional(),
});
const ListArgs = z.object({ json: z.boolean().optional(), data: z.string().min(1).optional() });

/** Reads the new operator's PIN. Never from argv: it would show in `ps` and in shell history. */
type PinReader = (io: Io) => Promise<string>;

/**
 * `pochub operators add --name <n> --badge <id> --role <role> [--data <dir>]`, the PIN on
 * standard input (first line; typed twice without echo on a terminal).
 */
export async function operatorsAddCommand(raw: Record<string, unknown>, io: Io, readPin: PinReader = readPinFromStdin): Promise<number> {
  const args = parseArgs(AddArgs, raw);
  const pin = await readPin(io);
  if (!PIN_PATTERN.test(pin)) throw commandFailure('INPUT_INVALID', 'the PIN must be 4 to 64 digits');
  // The first operator is added before the hub has ever run: `add` may create the store.
  const store = openHubDatabase(args.data, false);
  try {
    const directory = new OperatorDirectory(store, new AuditLog(store, hostname(), Date.now), Date.now);
    const op = directory.add({ name: args.name, badgeId: args.badge, role: args.role, pin });
    io.out(`added ${op.name} (badge ${op.badgeId}, ${op.role})`);
    return 0;
  } catch (e) {
    if (isHubError(e)) throw commandFailureOf(e);
    throw e;
  } finally {
    store.close();
  }
}

/** `pochub operators list [--json] [--data <dir>]`: never shows PIN hashes. */
export function operatorsListCommand(raw: Record<string, unknown>, io: Io): number {
  const args = parseArgs(ListArgs, raw);
  const store = openHubDatabase(args.data, true);
  try {
    const list = new OperatorDirectory(store, new AuditLog(store, hostname(), Date.now), Date.now).list();
    if (args.json) io.out(JSON.stringify(list, null, 2));
    else if (list.length === 0) io.err('no operators yet (add one with: pochub operators add)');
    else for (const o of list) io.out(`${o.name}\tbadge ${o.badgeId}\t${o.role}${o.active ? '' : '\t(inactive)'}`);
    return 0;
  } finally {
    store.close();
  }
}

/** The PIN from standard input: typed twice without echo on a terminal, else the first line. */
async function readPinFromStdin(io: Io): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    const first = await readHidden('PIN: ');
    const again = await readHidden('PIN again: ');
    if (first !== again) throw commandFailure('INPUT_INVALID', 'the two PINs differ');
    return first;
  }
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n') || text.length > MAX_PIN_INPUT_BYTES) break;
  }
  stdin.pause();
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') {
    io.err('give the PIN on standard input, e.g.: read -s PIN && echo "$PIN" | pochub operators add …');
    throw commandFailure('INPUT_INVALID', 'no PIN on standard input');
  }
  return line;
}

/** One line from the terminal without echo (raw mode), for a PIN typed by hand. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (fn: () => void): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      fn();
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(() => resolve(value));
        if (ch === '\u0003') return done(() => reject(commandFailure('CANCELLED', 'cancelled')));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (value.length < MAX_PIN_INPUT_BYTES) value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
