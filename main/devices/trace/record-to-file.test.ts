import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLinkPair, fromLatin1, parseTrace } from '../../../drivers/kit/index.ts';
import { recordToFile } from './record-to-file.ts';

describe('recordToFile (pochub read --record)', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The host side, recorded to `file`, and what it receives. */
  function recorded(file: string, failures: unknown[]) {
    const pair = createLinkPair();
    const link = recordToFile(pair.host, file, { driver: 'masimo-rad8', transport: 'serial 9600 8N1' }, (e) => failures.push(e));
    const received: string[] = [];
    link.onData((chunk) => received.push(new TextDecoder().decode(chunk)));
    return { pair, link, received };
  }

  it('writes every chunk in and out as a trace that parses back to the same bytes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pochub-record-'));
    const file = join(dir, 'session.trace');
    const failures: unknown[] = [];
    const { pair, link, received } = recorded(file, failures);
    await link.write(fromLatin1('HELLO'));
    await pair.device.write(fromLatin1('SPO2=97\r\n'));
    expect(received).toEqual(['SPO2=97\r\n']);
    const trace = parseTrace(readFileSync(file, 'utf8'));
    expect(trace.header['driver']).toBe('masimo-rad8');
    expect(trace.events.map((e) => [e.direction, new TextDecoder().decode(e.bytes)])).toEqual([
      ['>', 'HELLO'],
      ['<', 'SPO2=97\r\n'],
    ]);
    expect(failures).toEqual([]);
  });

  it('says once that the recording stopped when the file can no longer be written, and the session goes on', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pochub-record-'));
    const file = join(dir, 'session.trace');
    const failures: unknown[] = [];
    const { pair, received } = recorded(file, failures);
    // The folder goes away under the recording (an unplugged USB stick, a cleaned-up temp folder).
    rmSync(dir, { recursive: true, force: true });
    await pair.device.write(fromLatin1('SPO2=97\r\n'));
    await pair.device.write(fromLatin1('SPO2=98\r\n'));
    expect(received).toEqual(['SPO2=97\r\n', 'SPO2=98\r\n']);
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toMatch(/ENOENT/);
  });
});
