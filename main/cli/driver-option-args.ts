import { z } from 'zod';
import { isHubError } from '../../shared/errors.ts';
import { resolveOptions, type DriverManifest, type DriverOptionValues } from '../../drivers/kit/index.ts';
import { commandFailure } from './output.ts';

/** `--option key=value`, repeatable: the raw strings as commander collects them. */
export const OptionArgsSchema = z.array(z.string().max(600)).optional();

/** Commander's collector for a repeatable option: every `--option` adds one string. */
export function collectOption(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The text of a value in the option's type; numbers and booleans must be written plainly. */
function typed(spec: DriverManifest['options'][number], key: string, text: string): number | boolean | string {
  if (spec.type === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw commandFailure('INPUT_INVALID', `--option ${key}: takes a number, not "${text}"`);
    return Number(text);
  }
  if (spec.type === 'boolean') {
    if (text !== 'true' && text !== 'false') throw commandFailure('INPUT_INVALID', `--option ${key}: takes true or false, not "${text}"`);
    return text === 'true';
  }
  return text;
}

/**
 * `--option key=value` arguments checked against the driver's manifest by the same rules as the
 * Devices screen and the configuration file (`resolveOptions`, shared/driver-options.ts): an
 * unknown key, a value of the wrong type or out of range is INPUT_INVALID naming the option and,
 * for an unknown key, the options there are. Returns only the options given (the session fills in
 * the defaults).
 */
export function parseDriverOptions(manifest: DriverManifest, raw: readonly string[] | undefined): Record<string, number | boolean | string> {
  const given: Record<string, number | boolean | string> = {};
  for (const arg of raw ?? []) {
    const m = /^([^=]+)=(.*)$/.exec(arg);
    if (!m) throw commandFailure('INPUT_INVALID', `--option takes key=value, not "${arg}"`);
    const key = (m[1] ?? '').trim();
    const spec = manifest.options.find((o) => o.key === key);
    if (!spec) {
      const known = manifest.options.map((o) => o.key);
      throw commandFailure('INPUT_INVALID', `--option ${key}: ${manifest.id} has ${known.length === 0 ? 'no options' : `only these options: ${known.join(', ')}`}`);
    }
    if (Object.hasOwn(given, key)) throw commandFailure('INPUT_INVALID', `--option ${key}: given twice`);
    given[key] = typed(spec, key, (m[2] ?? '').trim());
  }
  try {
    resolveOptions(manifest, given);
  } catch (e) {
    if (isHubError(e, 'CONFIG_INVALID')) throw commandFailure('INPUT_INVALID', `--option ${e.message.replace(/^option /, '')}`);
    throw e;
  }
  return given;
}

/** Resolved values for printing: every option of the driver with its default filled in. */
export function describeOptions(manifest: DriverManifest, given: Record<string, unknown>): string {
  const values: DriverOptionValues = resolveOptions(manifest, given);
  return Object.entries(values).map(([k, v]) => `${k}=${String(v)}`).join(' ');
}
