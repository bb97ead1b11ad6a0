import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from './io.ts';
import { exitCodeOf } from './output.ts';
import { serveCommand } from './serve-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'pochub-serve-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): Io & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), errIsTty: false };
}

/** Resolves once `lines` has a line matching `pattern`. */
async function waitForLine(lines: string[], pattern: RegExp): Promise<string> {
  for (;;) {
    const line = lines.find((l) => pattern.test(l));
    if (line !== undefined) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('pochub serve (in process)', () => {
  it('without --demo and no device configured: says so and how to try the demo; seeds no operator; stops on the signal', async () => {
    const out = io();
    const stop = new AbortController();
    const done = serveCommand({ port: '0', data: dir }, out, stop.signal, {});
    const line = await waitForLine(out.outLines, /POC Hub is running/);
    expect(line).toMatch(/^POC Hub is running: open http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    await waitForLine(out.errLines, /Ctrl-C/);
    expect(out.errLines).toContain('No devices are configured. To try the hub with simulated devices: pochub serve --demo');
    expect(out.outLines.join('\n')).not.toContain('1001');
    const url = new URL(line.replace(/^.*open /, ''));
    const signIn = await fetch(new URL('/api/signIn', url), {
      method: 'POST',
      headers: { authorization: `Bearer ${url.searchParams.get('token')}` },
      body: JSON.stringify({ badgeId: '1001', pin: '1234' }),
    });
    expect(signIn.status).toBe(401);
    expect(await signIn.json()).toMatchObject({ error: { code: 'AUTH_FAILED' } });
    stop.abort();
    expect(await done).toBe(0);
    expect(out.errLines.at(-1)).toBe('stopped');
  });

  it('a port in use, a bad --port and a short POCHUB_TOKEN are one clear line each', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const stop = new AbortController();
      await expect(serveCommand({ port: String(port), data: dir }, io(), stop.signal, {})).rejects.toThrow(`port ${port} is in use`);
    } finally {
      taken.close();
    }
    const bad = serveCommand({ port: 'http', data: dir }, io(), new AbortController().signal, {});
    const refusal = await bad.catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'INPUT_INVALID' });
    expect(exitCodeOf(refusal)).toBe(2);
    await expect(bad).rejects.toThrow('--port');
    await expect(serveCommand({ port: '0', data: dir }, io(), new AbortController().signal, { POCHUB_TOKEN: 'short' })).rejects.toThrow('POCHUB_TOKEN');
  });

  it("--demo without --data uses demo's own folder beside the real one, which it never creates or writes", async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const env = { HOME: home, XDG_DATA_HOME: join(home, 'share') };
    const out = io();
    const stop = new AbortController();
    const done = serveCommand({ port: '0', demo: true }, out, stop.signal, env);
    await waitForLine(out.errLines, /Ctrl-C/);
    expect(out.errLines).toContain(`store: ${join(home, 'share', 'pochub-demo', 'pochub.db')}`);
    expect(existsSync(join(home, 'share', 'pochub-demo', 'pochub.db'))).toBe(true);
    stop.abort();
    expect(await done).toBe(0);
    expect(existsSync(join(home, 'share', 'pochub'))).toBe(false);
  });

  it('--demo with the real data folder is refused in one line; another --data is used as given', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const env = { XDG_DATA_HOME: home };
    const refusal = await serveCommand({ port: '0', demo: true, data: join(home, 'pochub') }, io(), new AbortController().signal, env).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining("it is the hub's real data folder") });
    expect(existsSync(join(home, 'pochub'))).toBe(false);
  });

  it('--lock-after takes minutes (decimals too), more than 0 and at most 12 hours', async () => {
    for (const value of ['0', '-1', 'five', '721']) {
      await expect(serveCommand({ port: '0', data: dir, lockAfter: value }, io(), new AbortController().signal, {}), value).rejects.toThrow('--lock-after');
    }
  });
});
