#!/usr/bin/env node
// The security scan of the Electron shell (npm test, scripts/test.sh): Doyensec's
// electronegativity over main/electron, the built preload and the page it loads. Any finding of
// severity MEDIUM or higher fails the run unless main/electron/electronegativity-accepted.json
// accepts that check in that file with a written reason; an acceptance that no longer matches a
// finding fails it too, so the list cannot rot. Fix findings in the code where you can.
//
// The scanner runs through its JavaScript API: its command line breaks on the project's newer
// `commander` (it does not declare its own).
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
export const ACCEPTED_FILE = join(ROOT, 'main', 'electron', 'electronegativity-accepted.json');
/** Severities as electronegativity ranks them; MEDIUM and up fail the gate. */
export const SEVERITY_RANK = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };
export const FAIL_AT = 'MEDIUM';
/**
 * Checks not run: AvailableSecurityFixesGlobalCheck asks GitHub for newer Electron releases,
 * which a test run cannot rely on (no network here or in CI); npm audit and the Electron version
 * in package.json cover that instead.
 */
export const EXCLUDED_CHECKS = ['availablesecurityfixesglobalcheck'];

/**
 * One finding, from the scanner's issue object: its id, severity and confidence names, the
 * file (relative to the scanned folder) and the place.
 *
 * @param {unknown[]} issues
 * @returns {{ check: string, severity: string, confidence: string, file: string, line: number, description: string, manualReview: boolean }[]}
 */
export function normalizeIssues(issues) {
  return issues.map((raw) => {
    const issue = Object(raw);
    const severity = String(issue.severity?.name ?? issue.severity ?? '');
    if (!(severity in SEVERITY_RANK)) throw new Error(`electronegativity gave a finding of unknown severity: ${JSON.stringify(raw)}`);
    return {
      check: String(issue.id),
      severity,
      confidence: String(issue.confidence?.name ?? issue.confidence ?? ''),
      file: String(issue.file ?? 'N/A'),
      line: Number(issue.location?.line ?? 0),
      description: String(issue.description ?? ''),
      manualReview: Boolean(issue.manualReview),
    };
  });
}

/**
 * The allow-list: `{ "accepted": [{ "check", "file", "reason" }] }`, every reason written out.
 *
 * @param {string} text
 * @returns {{ check: string, file: string, reason: string }[]}
 */
export function parseAcceptList(text) {
  const doc = JSON.parse(text);
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.accepted)) throw new Error('the accept list is { "accepted": [ { "check", "file", "reason" } ] }');
  return doc.accepted.map((entry, i) => {
    for (const key of ['check', 'file', 'reason']) {
      if (typeof entry?.[key] !== 'string' || entry[key].trim() === '') throw new Error(`accepted[${i}] needs a non-empty "${key}"`);
    }
    if (entry.reason.trim().length < 20) throw new Error(`accepted[${i}] (${entry.check}): write the reason out, not a word`);
    return { check: entry.check, file: entry.file, reason: entry.reason };
  });
}

/**
 * Sort findings: blocking (MEDIUM+ and not accepted), accepted, below the bar; and acceptances
 * that matched nothing (stale).
 */
export function gate(findings, accepted) {
  const used = new Set();
  const result = { blocking: [], accepted: [], below: [], stale: [] };
  for (const finding of findings) {
    if (SEVERITY_RANK[finding.severity] < SEVERITY_RANK[FAIL_AT]) {
      result.below.push(finding);
      continue;
    }
    const match = accepted.find((a) => a.check === finding.check && a.file === finding.file);
    if (match) {
      used.add(match);
      result.accepted.push({ ...finding, reason: match.reason });
    } else {
      result.blocking.push(finding);
    }
  }
  result.stale = accepted.filter((a) => !used.has(a));
  return result;
}

/** Copy what Electron runs into one folder for the scanner: the shell, its bundled preload, the page. */
function stage() {
  const dir = mkdtempSync(join(tmpdir(), 'pochub-electronegativity-'));
  const shell = join(ROOT, 'main', 'electron');
  for (const name of readdirSync(shell)) {
    if (/\.(ts|mjs)$/.test(name) && !name.endsWith('.test.ts')) cpSync(join(shell, name), join(dir, name));
  }
  const preload = join(ROOT, 'out', 'electron', 'preload.cjs');
  if (!existsSync(preload)) throw new Error('the preload is not built: run npm run build:preload first');
  cpSync(preload, join(dir, 'preload.cjs'));
  cpSync(join(ROOT, 'renderer', 'index.html'), join(dir, 'index.html'));
  return dir;
}

async function main() {
  const require = createRequire(import.meta.url);
  const run = require('@doyensec/electronegativity');
  const electronVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const dir = stage();
  let report;
  try {
    report = await run({ input: dir, isRelative: true, customScan: [], excludeFromScan: EXCLUDED_CHECKS, electronVersionOverride: electronVersion, parserPlugins: [] }, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const unparsed = report.errors.filter((e) => !e.tolerable);
  const result = gate(normalizeIssues(report.issues), parseAcceptList(readFileSync(ACCEPTED_FILE, 'utf8')));
  const line = (f) => `  ${f.severity.padEnd(13)} ${f.check} ${f.file}:${f.line} ${f.description}`;
  for (const f of result.accepted) console.log(`${line(f)}\n      accepted: ${f.reason}`);
  for (const f of result.below) console.log(line(f));
  for (const f of result.blocking) console.error(`${line(f)}\n      NOT ACCEPTED: fix it, or accept it in ${ACCEPTED_FILE} with a reason`);
  for (const a of result.stale) console.error(`  stale acceptance: ${a.check} in ${a.file} matches no finding; remove it`);
  for (const e of unparsed) console.error(`  could not scan ${e.file}: ${e.message}`);
  console.log(`electronegativity (Electron ${electronVersion}): ${result.blocking.length} blocking, ${result.accepted.length} accepted, ${result.below.length} below ${FAIL_AT}`);
  if (result.blocking.length > 0 || result.stale.length > 0 || unparsed.length > 0) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
