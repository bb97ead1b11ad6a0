import { z } from 'zod';

/**
 * The part of a CycloneDX 1.5 BOM the check relies on, as `npm sbom --sbom-format cyclonedx`
 * writes it. Not the whole specification: enough to refuse a file that is not a CycloneDX BOM or
 * whose components lack the fields a reviewer needs (name, version, purl, licence).
 */
const LicenceChoiceSchema = z.union([
  z.object({ license: z.object({ id: z.string().min(1) }).or(z.object({ name: z.string().min(1) })) }),
  z.object({ expression: z.string().min(1) }),
]);
export const ComponentSchema = z.object({
  'bom-ref': z.string().min(1),
  type: z.enum(['application', 'framework', 'library', 'container', 'platform', 'operating-system', 'device', 'device-driver', 'firmware', 'file', 'machine-learning-model', 'data']),
  name: z.string().min(1),
  version: z.string().min(1),
  purl: z.string().startsWith('pkg:npm/'),
  licenses: z.array(LicenceChoiceSchema).optional(),
});
export type Component = z.infer<typeof ComponentSchema>;
export const CycloneDxSchema = z.object({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.string().regex(/^1\.[4-6]$/),
  serialNumber: z.string().regex(/^urn:uuid:[0-9a-f-]{36}$/),
  version: z.number().int().min(1),
  metadata: z.object({ timestamp: z.string(), component: z.object({ 'bom-ref': z.string(), name: z.string(), version: z.string() }).loose() }).loose(),
  components: z.array(ComponentSchema.loose()),
  dependencies: z.array(z.object({ ref: z.string(), dependsOn: z.array(z.string()).optional() })).optional(),
}).loose();
export type CycloneDx = z.infer<typeof CycloneDxSchema>;

/** The licence of a component as one SPDX expression, or undefined when it declares none. */
export function licenceOf(c: Component): string | undefined {
  const parts = (c.licenses ?? []).map((l) => ('expression' in l ? l.expression : 'id' in l.license ? l.license.id : l.license.name));
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(' AND ');
}

/**
 * Whether an SPDX expression is satisfiable with allowed licences only: `A OR B` needs one of
 * them, `A AND B` both, parentheses group; `WITH <exception>` keeps the licence's own answer.
 * Anything that does not parse is refused (a reviewer reads it), never guessed.
 */
export function expressionAllowed(expression: string, allowed: ReadonlySet<string>): boolean {
  const tokens = expression.replace(/([()])/g, ' $1 ').trim().split(/\s+/);
  let i = 0;
  const primary = (): boolean => {
    const t = tokens[i++];
    if (t === '(') {
      const v = orExpr();
      if (tokens[i++] !== ')') throw new Error('unbalanced');
      return v;
    }
    if (t === undefined || t === ')' || /^(AND|OR|WITH)$/i.test(t)) throw new Error('unexpected');
    if (tokens[i]?.toUpperCase() === 'WITH') i += 2;
    return allowed.has(t.replace(/\+$/, ''));
  };
  const andExpr = (): boolean => {
    let v = primary();
    while (tokens[i]?.toUpperCase() === 'AND') {
      i++;
      v = primary() && v;
    }
    return v;
  };
  const orExpr = (): boolean => {
    let v = andExpr();
    while (tokens[i]?.toUpperCase() === 'OR') {
      i++;
      v = andExpr() || v;
    }
    return v;
  };
  try {
    const v = orExpr();
    return i === tokens.length && v;
  } catch {
    return false;
  }
}

/** One component whose licence is not allowed (or not declared). */
export interface LicenceProblem {
  component: string;
  licence: string | undefined;
}

/** The components of `bom` whose licence the allow-list does not cover. */
export function licenceProblems(bom: CycloneDx, allowed: readonly string[]): LicenceProblem[] {
  const set = new Set(allowed);
  return bom.components
    .map((c) => ({ component: `${c.name}@${c.version}`, licence: licenceOf(c) }))
    .filter((p) => p.licence === undefined || !expressionAllowed(p.licence, set));
}

/**
 * Complete an `--omit dev` BOM with the runtime closure taken from the full BOM's graph: npm drops
 * a production dependency that a dev dependency also reaches (npm/cli issue 7909), so the root's
 * runtime dependencies and everything they depend on are added back when missing. Returns the
 * names added.
 */
export function addRuntimeClosure(omitted: CycloneDx, full: CycloneDx, runtime: readonly string[]): string[] {
  const byRef = new Map(full.components.map((c) => [c['bom-ref'], c]));
  const edges = new Map((full.dependencies ?? []).map((d) => [d.ref, d.dependsOn ?? []]));
  const rootRef = full.metadata.component['bom-ref'];
  const rootDeps = edges.get(rootRef) ?? [];
  const start = rootDeps.filter((ref) => runtime.includes(byRef.get(ref)?.name ?? ''));
  const have = new Set(omitted.components.map((c) => c['bom-ref']));
  const seen = new Set<string>();
  const queue = [...start];
  const added: string[] = [];
  while (queue.length > 0) {
    const ref = queue.shift() ?? '';
    if (seen.has(ref)) continue;
    seen.add(ref);
    const c = byRef.get(ref);
    if (c === undefined) continue;
    if (!have.has(ref)) {
      omitted.components.push(c);
      omitted.dependencies?.push({ ref, dependsOn: edges.get(ref) ?? [] });
      added.push(`${c.name}@${c.version}`);
    }
    queue.push(...(edges.get(ref) ?? []));
  }
  // The root's own edge lists every runtime dependency.
  const root = omitted.dependencies?.find((d) => d.ref === rootRef);
  if (root) root.dependsOn = [...new Set([...(root.dependsOn ?? []), ...start])];
  return added;
}
