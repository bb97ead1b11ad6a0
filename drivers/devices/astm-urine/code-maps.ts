import { parseTestCodeMap, type TestCodeMap, type TestCodeMapEntry } from '../../../shared/test-code-map.ts';

/**
 * The test-code maps the driver ships (PROTOCOL.md §4): named presets a port starts from, in the
 * text form of shared/test-code-map.ts. The port's own `testCodes` entries are laid over the
 * preset (an entry for a code the preset has replaces it).
 */
export const CODE_MAP_PRESETS = {
  /**
   * The ten strip codes in the most common spellings (GLU BIL KET SG BLD/BLO pH PRO UBG/URO NIT
   * LEU), as Clinitek-family and Combur-family analyzers name their pads. INFERRED: no source
   * gives an ASTM analyzer's code list; these are the codes their reports print (PROTOCOL.md §4).
   */
  generic:
    'GLU=5792-7 mg/dL; BIL=5770-3; KET=5797-6 mg/dL; SG=5811-5 1; BLD=5794-3; BLO=5794-3; PH=5803-2 [pH]; PRO=5804-0 mg/dL; UBG=20405-7 mg/dL; URO=20405-7 mg/dL; NIT=5802-4; LEU=5799-2',
  /** The codes of the worked LIS2-A2 urine example (PROTOCOL.md §3): synthetic, not a real model's list. */
  'lis2-example': 'GLU=5792-7 mg/dL; BIL=5770-3; KET=5797-6 mg/dL; SG=5811-5 1; BLO=5794-3; PH=5803-2 [pH]; PRO=5804-0 mg/dL; URO=20405-7 mg/dL; NIT=5802-4; LEU=5799-2',
  /** Nothing: only the port's own entries map; every other code stays unmapped. */
  none: '',
} as const;

export type CodeMapPreset = keyof typeof CODE_MAP_PRESETS;
export const CODE_MAP_PRESET_NAMES = Object.keys(CODE_MAP_PRESETS) as CodeMapPreset[];

/**
 * The map a port uses: the preset, then the port's entries over it. Undefined with the problems
 * when either does not parse (the option checks refuse such values before a session starts).
 */
export function portCodeMap(preset: string, entries: string): { ok: true; map: TestCodeMap } | { ok: false; problems: string[] } {
  const base = (CODE_MAP_PRESETS as Record<string, string>)[preset];
  if (base === undefined) return { ok: false, problems: [`no test-code map preset "${preset}" (there are: ${CODE_MAP_PRESET_NAMES.join(', ')})`] };
  const fromPreset = parseTestCodeMap(base);
  const fromPort = parseTestCodeMap(entries);
  if (!fromPreset.ok) return fromPreset;
  if (!fromPort.ok) return fromPort;
  const map = new Map<string, TestCodeMapEntry>(fromPreset.map);
  for (const [code, entry] of fromPort.map) map.set(code, entry);
  return { ok: true, map };
}
