import { z } from 'zod';
import { testCodeMapProblem } from './test-code-map.ts';

/**
 * Driver options (a driver's own settings, e.g. the oximeter's stability window): how a manifest
 * declares one, the values a port sets, and the one check of a value against its option. Shared
 * so the driver kit, the API contract, the store, the configuration file and the biomed screen
 * all read the same rules.
 */
export const DriverOptionSpecSchema = z.object({
  key: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
  /** The option's name for people on the Devices screen ("Stability window"); the key is for files. */
  label: z.string().min(1).max(60).optional(),
  description: z.string().min(1),
  type: z.enum(['number', 'boolean', 'string']),
  default: z.union([z.number(), z.boolean(), z.string()]),
  unit: z.string().optional(),
  /** Numbers: the range a value must lie in (a stability window of 0 s would capture noise). */
  min: z.number().optional(),
  max: z.number().optional(),
  /** Strings: the only values the driver understands (the console shows them as a list). */
  choices: z.array(z.string().min(1)).min(2).optional(),
  /**
   * Strings with a structure of their own, checked beyond their type: `test-code-map` — an ASTM
   * analyzer's test codes mapped to catalog codes (shared/test-code-map.ts), refused when an
   * entry names a code the catalog lacks. The Devices screen shows such an option as a table.
   */
  format: z.enum(['test-code-map']).optional(),
});
export type DriverOptionSpec = z.infer<typeof DriverOptionSpecSchema>;

/**
 * Option values by key, as a port or a configuration file sets them; a key left out is the default.
 * Strings are capped at 4,000 characters: room for an analyzer's whole test-code map (about 150
 * `CODE=LOINC unit` entries; an ASTM analyzer's menu runs to dozens of tests), still bounded.
 */
export const DriverOptionValuesSchema = z.record(z.string().max(100), z.union([z.number(), z.boolean(), z.string().max(4000)]));

/** What decides whether a value fits an option. */
type OptionRules = Pick<DriverOptionSpec, 'key' | 'type' | 'min' | 'max' | 'choices' | 'format'>;

/** Why `value` is not a valid value of `option`, or undefined when it is. */
export function optionProblem(option: OptionRules, value: unknown): string | undefined {
  if (typeof value !== option.type) return `option ${option.key} must be a ${option.type}`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `option ${option.key} must be a finite number`;
    if (option.min !== undefined && value < option.min) return `option ${option.key} must be at least ${option.min}`;
    if (option.max !== undefined && value > option.max) return `option ${option.key} must be at most ${option.max}`;
  }
  if (typeof value === 'string' && option.choices && !option.choices.includes(value)) return `option ${option.key} must be one of ${option.choices.join(', ')}`;
  if (typeof value === 'string' && option.format === 'test-code-map') {
    const problem = testCodeMapProblem(value);
    if (problem) return `option ${option.key}: ${problem}`;
  }
  return undefined;
}
