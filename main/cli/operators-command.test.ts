import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeFile } from '../paths.ts';
import { openStore } from '../store/open-store.ts';
import { HubWorkflow } from '../workflow/hub-workflow.ts';
import { ROOT, runCli, type CliRun } from '../../test/helpers/cli.ts';
import { tempDir } from '../../test/helpers/store-fixtures.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** `pochub …` with `stdin` piped in, as `echo "$PIN" | pochub operators add …` does. */
function runWithStdin(args: readonly string[], stdin: string): Promise<CliRun> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'pochub.mjs'), ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('pochub operators', () => {
  it('add reads the PIN from standard input; the operator can then sign in with it', async () => {
    const run = await runWithStdin(['operators', 'add', '--name', 'Ana Lima', '--badge', 'B-100', '--role', 'biomed', '--data', tmp.dir], '482916\n');
    expect(run).toMatchObject({ code: 0, stdout: 'added Ana Lima (badge B-100, biomed)\n' });

    const store = openStore(storeFile(tmp.dir));
    try {
      const wf = new HubWorkflow(store, 'room-1');
      expect(wf.signIn({ badgeId: 'B-100', pin: '482916' })).toMatchObject({ name: 'Ana Lima', role: 'biomed' });
      wf.signOut();
      expect(() => wf.signIn({ badgeId: 'B-100', pin: '000000' })).toThrow('Unknown badge or wrong PIN.');
      const hash = store.db.prepare<[], { pin_hash: string }>('SELECT pin_hash FROM operators').get()?.pin_hash;
      expect(hash).toMatch(/^scrypt\$/);
      expect(hash).not.toContain('482916');
      wf.signIn({ badgeId: 'B-100', pin: '482916' });
      expect(wf.listAudit({ limit: 10 }).map((r) => [r.action, r.operator ?? null])).toEqual([
        ['operator.sign-in', 'Ana Lima'],
        ['operator.sign-in-failed', null],
        ['operator.sign-out', 'Ana Lima'],
        ['operator.sign-in', 'Ana Lima'],
        ['operator.add', null],
      ]);
    } finally {
      store.close();
    }

    const list = await runCli(['operators', 'list', '--json', '--data', tmp.dir]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([{ id: expect.any(String), name: 'Ana Lima', badgeId: 'B-100', role: 'biomed', active: true, createdAt: expect.any(String) }]);
    expect(list.stdout).not.toContain('scrypt');
    expect(await runCli(['operators', 'list', '--data', tmp.dir])).toMatchObject({ code: 0, stdout: 'Ana Lima\tbadge B-100\tbiomed\n' });
  });

  it.each([
    ['a PIN that is too short', ['--role', 'assistant'], '123\n', 'pochub: the PIN must be 4 to 64 digits'],
    ['no PIN at all', ['--role', 'assistant'], '', 'pochub: no PIN on standard input'],
    ['an unknown role', ['--role', 'nurse'], '1234\n', 'pochub: --role: the role is one of assistant, biomed, admin'],
  ])('add refuses %s with exit 2 and writes nothing', async (_what, extra, stdin, message) => {
    const run = await runWithStdin(['operators', 'add', '--name', 'Bo', '--badge', 'B-2', ...extra, '--data', tmp.dir], stdin);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    // Refused before anything was opened: not even the store file was created.
    const list = await runCli(['operators', 'list', '--json', '--data', tmp.dir]);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/no hub store/);
  });

  it('add refuses a badge that is already in use', async () => {
    await runWithStdin(['operators', 'add', '--name', 'Ana', '--badge', 'B-1', '--role', 'admin', '--data', tmp.dir], '1234\n');
    const again = await runWithStdin(['operators', 'add', '--name', 'Bo', '--badge', 'B-1', '--role', 'assistant', '--data', tmp.dir], '5678\n');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('pochub: Badge B-1 is already used by Ana. [CONFLICT]\n');
  });
});
