import { describe, expect, it } from 'vitest';
import { FALLBACK_MESSAGE, chooseLauncher, launchCommand } from './start.mjs';

/** `npm start`: Electron when its binary is there, else browser mode with one clear line. */
describe('npm start launcher', () => {
  const notInstalled = () => {
    throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');
  };

  it('falls back to browser mode when the electron package has no binary', () => {
    expect(chooseLauncher(notInstalled, () => true)).toEqual({ mode: 'browser', reason: expect.stringMatching(/failed to install correctly/) });
  });

  it('falls back when the binary path names no file, or is not a path', () => {
    expect(chooseLauncher(() => '/opt/electron/electron', () => false)).toEqual({ mode: 'browser', reason: 'no Electron binary at /opt/electron/electron' });
    expect(chooseLauncher(() => ({ default: 'x' }), () => true).mode).toBe('browser');
    expect(chooseLauncher(() => '', () => true).mode).toBe('browser');
  });

  it('runs Electron when the binary is there', () => {
    const seen: string[] = [];
    const choice = chooseLauncher(
      () => '/app/node_modules/electron/dist/electron',
      (path) => {
        seen.push(path);
        return true;
      },
    );
    expect(choice).toEqual({ mode: 'electron', binary: '/app/node_modules/electron/dist/electron' });
    expect(seen).toEqual(['/app/node_modules/electron/dist/electron']);
  });

  it('launches Electron on the shell entry, or pochub serve --demo, passing extra arguments on', () => {
    const electron = launchCommand({ mode: 'electron', binary: '/x/electron' }, ['--demo']);
    expect(electron.command).toBe('/x/electron');
    expect(electron.args[0]).toMatch(/main[\\/]electron[\\/]entry\.mjs$/);
    expect(electron.args.slice(1)).toEqual(['--demo']);
    const browser = launchCommand({ mode: 'browser', reason: 'r' }, ['--port', '0']);
    expect(browser.command).toBe(process.execPath);
    expect(browser.args[0]).toMatch(/bin[\\/]pochub\.mjs$/);
    expect(browser.args.slice(1)).toEqual(['serve', '--demo', '--port', '0']);
  });

  it('says in one line why it starts browser mode and where to look', () => {
    expect(FALLBACK_MESSAGE).toBe(
      'Electron is not installed on this machine (its binary could not be downloaded); starting POC Hub in browser mode instead — open the address below',
    );
    expect(FALLBACK_MESSAGE).not.toContain('\n');
  });
});
