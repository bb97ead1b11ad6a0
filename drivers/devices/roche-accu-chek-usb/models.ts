/**
 * Accu-Chek model numbers (from the MDS model string) → product names and the low end of their
 * measuring range (PROTOCOL.md §1, §6). [INFERRED]: Tidepool's model table; the ranges from
 * Tidepool's note that the Instant reads 10–600 mg/dL and the others 20–600.
 */
export interface AccuChekModel {
  name: string;
  /** LO means below this, in mg/dL. */
  lowMgDl: number;
}

const FAMILIES: readonly { name: string; lowMgDl: number; numbers: readonly number[] }[] = [
  { name: 'Accu-Chek Aviva Connect', lowMgDl: 20, numbers: [483, 484, 497, 498, 499, 500, 502, 685] },
  { name: 'Accu-Chek Performa Connect', lowMgDl: 20, numbers: [479, 501, 503, 765] },
  { name: 'Accu-Chek Guide', lowMgDl: 20, numbers: [921, 922, 923, 925, 926, 929, 930, 932] },
  { name: 'Accu-Chek Guide Me', lowMgDl: 20, numbers: [897, 898, 901, 902, 903, 904, 905] },
  { name: 'Accu-Chek Instant', lowMgDl: 10, numbers: [958, 959, 960, 961, 963, 964, 965, 972, 973, 975, 976, 977, 978, 979, 980] },
  { name: 'Accu-Chek Instant S', lowMgDl: 10, numbers: [966, 967, 968, 969, 970, 971] },
  { name: 'ReliOn Platinum', lowMgDl: 20, numbers: [982] },
];

/** Every meter reads up to 600 mg/dL; HI means above it (PROTOCOL.md §6). */
export const HIGH_MG_DL = 600;
/** The low bound when the model is not in the table. */
export const DEFAULT_LOW_MG_DL = 20;

const BY_NUMBER: ReadonlyMap<number, AccuChekModel> = new Map(FAMILIES.flatMap((f) => f.numbers.map((n) => [n, { name: f.name, lowMgDl: f.lowMgDl }] as const)));

/** The model the MDS model string names (its digits are the model number), or undefined. */
export function modelFromString(model: string | undefined): (AccuChekModel & { number: number }) | undefined {
  const digits = model?.match(/\d+/)?.[0];
  if (digits === undefined) return undefined;
  const number = Number(digits);
  const found = BY_NUMBER.get(number);
  return found ? { ...found, number } : undefined;
}

/** The product names, for the manifest. */
export const MODEL_NAMES: readonly string[] = FAMILIES.map((f) => f.name);
