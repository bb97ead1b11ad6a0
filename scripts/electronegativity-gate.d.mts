// Types of scripts/electronegativity-gate.mjs for its test (test/electron-negativity-gate.test.ts).
export type Severity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';
export interface Finding {
  check: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  description: string;
  manualReview: boolean;
}
export interface Acceptance {
  check: string;
  file: string;
  reason: string;
}
export declare const ACCEPTED_FILE: string;
export declare const SEVERITY_RANK: Readonly<Record<Severity, number>>;
export declare const FAIL_AT: Severity;
export declare const EXCLUDED_CHECKS: readonly string[];
export declare function normalizeIssues(issues: unknown[]): Finding[];
export declare function parseAcceptList(text: string): Acceptance[];
export declare function gate(
  findings: readonly Finding[],
  accepted: readonly Acceptance[],
): { blocking: Finding[]; accepted: (Finding & { reason: string })[]; below: Finding[]; stale: Acceptance[] };
