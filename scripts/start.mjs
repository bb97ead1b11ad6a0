#!/usr/bin/env node
// `npm start`: build the UI and the CLI bundle, then run the desktop app in Electron, or, where the Electron binary
// is missing (its download is not possible on every machine), the same hub in browser mode with
// its demo devices, so `npm start` always shows the app.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');

/** The one line printed when Electron cannot run here. */
export const FALLBACK_MESSAGE =
  'Electron is not installed on this machine (its binary could not be downloaded); starting POC Hub in browser mode instead — open the address below';

/**
 * Electron or browser mode? `resolveElectron` is `require('electron')`, which in plain Node
 * gives the binary's path, or throws "Electron failed to install correctly" when the install
 * script never fetched the binary; the path is also checked, since a half-removed install can
 * leave the path file behind.
 *
 * @param {() => unknown} resolveElectron
 * @param {(path: string) => boolean} fileExists
 * @returns {{ mode: 'electron', binary: string } | { mode: 'browser', reason: string }}
 */
export function chooseLauncher(resolveElectron, fileExists) {
  let binary;
  try {
    binary = resolveElectron();
  } catch (e) {
    return { mode: 'browser', reason: e instanceof Error ? e.message : String(e) };
  }
  if (typeof binary !== 'string' || binary === '') return { mode: 'browser', reason: 'the electron package did not give a binary path' };
  if (!fileExists(binary)) return { mode: 'browser', reason: `no Electron binary at ${binary}` };
  return { mode: 'electron', binary };
}

/**
 * The command to run for a launch choice: Electron on the shell's entry, or `pochub serve --demo`
 * (what `npm start` has always done in browser mode). Extra arguments go to the app.
 *
 * @param {{ mode: 'electron', binary: string } | { mode: 'browser', reason: string }} choice
 * @param {readonly string[]} args
 * @returns {{ command: string, args: string[] }}
 */
export function launchCommand(choice, args) {
  if (choice.mode === 'electron') return { command: choice.binary, args: [resolve(ROOT, 'main', 'electron', 'entry.mjs'), ...args] };
  return { command: process.execPath, args: [resolve(ROOT, 'bin', 'pochub.mjs'), 'serve', '--demo', ...args] };
}

/** Run a build step in the foreground; stop here when it fails. */
function step(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function main() {
  step('npm', ['run', 'build:ui', '--silent']);
  // Browser mode starts `pochub serve`: the bundle (~1 s to build) starts it without tsx.
  step('npm', ['run', 'build:cli', '--silent']);
  const require = createRequire(import.meta.url);
  const choice = chooseLauncher(() => require('electron'), existsSync);
  if (choice.mode === 'electron') {
    step(process.execPath, [resolve(ROOT, 'bin', 'run-ts.mjs'), resolve(ROOT, 'scripts', 'build-preload.ts')]);
  } else {
    console.error(FALLBACK_MESSAGE);
  }
  const { command, args } = launchCommand(choice, process.argv.slice(2));
  const env = { ...process.env };
  // Set in some shells and CI images; it would make the Electron binary behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
