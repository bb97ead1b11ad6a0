import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/store-fixtures.ts';
import { FileSecretStore } from './secret-store.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('FileSecretStore', () => {
  it('keeps secrets encrypted, readable only by the user, across instances', () => {
    const dir = join(tmp.dir, 'secrets');
    new FileSecretStore(dir).set('export-target:ehr', 'bearer-token-123');
    const again = new FileSecretStore(dir);
    expect(again.get('export-target:ehr')).toBe('bearer-token-123');
    expect(readFileSync(join(dir, 'secrets.enc'), 'utf8')).not.toContain('bearer-token-123');
    for (const f of ['secrets.enc', 'secrets.key']) expect(statSync(join(dir, f)).mode & 0o077).toBe(0);
    again.delete('export-target:ehr');
    expect(new FileSecretStore(dir).get('export-target:ehr')).toBeUndefined();
  });

  it('a tampered file is refused with a clear error, not read as garbage', () => {
    const dir = join(tmp.dir, 'secrets');
    const s = new FileSecretStore(dir);
    s.set('a', 'b');
    const file = join(dir, 'secrets.enc');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { data: string };
    json.data = Buffer.from('tampered!').toString('base64');
    writeFileSync(file, JSON.stringify(json));
    expect(() => s.get('a')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('cannot be read') }));
  });
});
