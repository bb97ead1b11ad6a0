import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkedFolderPath, folderErrorWords, folderPortId, folderPortPath, folderProblem } from './folder-port.ts';

describe('folder port paths', () => {
  it('stores a folder without trailing separators, roots kept as roots', () => {
    expect(folderPortPath(' /media/ACCU-CHEK/ ')).toBe('/media/ACCU-CHEK');
    expect(folderPortPath('/media/ACCU-CHEK//')).toBe('/media/ACCU-CHEK');
    expect(folderPortPath('/')).toBe('/');
    expect(folderPortPath('E:\\')).toBe('E:\\');
    expect(folderPortPath('E:/')).toBe('E:\\');
    expect(folderPortPath('E:\\Reports\\')).toBe('E:\\Reports');
    expect(folderPortId('/media/ACCU-CHEK/')).toBe('folder:/media/ACCU-CHEK');
  });

  it('refuses a relative path as INPUT_INVALID on the path field', () => {
    expect(() => checkedFolderPath('ACCU-CHEK')).toThrow(expect.objectContaining({ code: 'INPUT_INVALID', details: { field: 'path' } }));
    expect(checkedFolderPath('/media/ACCU-CHEK/')).toBe('/media/ACCU-CHEK');
  });
});

describe('folderProblem: why a meter folder cannot be read, in words', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pochub-folder-port-'))));
  afterEach(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is silent for a readable folder', () => {
    expect(folderProblem(dir)).toBeUndefined();
  });

  it('names a missing folder as the meter not mounted', () => {
    expect(folderProblem(join(dir, 'ACCU-CHEK'))).toMatch(/is not there: is the meter connected .* Reports mode, and its disk mounted\?/);
    // A path through a file (ENOTDIR) is missing too.
    writeFileSync(join(dir, 'f'), 'x');
    expect(folderProblem(join(dir, 'f', 'Reports'))).toMatch(/is not there/);
  });

  it('names a file where the folder should be', () => {
    writeFileSync(join(dir, 'ACCU-CHEK'), 'x');
    expect(folderProblem(join(dir, 'ACCU-CHEK'))).toMatch(/is a file, not a folder/);
  });

  it('names a folder the hub may not read, and any other failure by its code', () => {
    // The check runs as root on the test machines, where no folder is unreadable, so the words
    // are checked from the errors a stat or access check gives a non-root user.
    const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: x`), { code });
    expect(folderErrorWords('/media/A', errno('EACCES'))).toMatch(/\/media\/A cannot be read by the hub \(permission denied\)/);
    expect(folderErrorWords('/media/A', errno('EPERM'))).toMatch(/permission denied/);
    expect(folderErrorWords('/media/A', errno('EIO'))).toMatch(/cannot be read \(EIO\): unplug the meter/);
    expect(folderErrorWords('/media/A', errno('ENOENT'))).toMatch(/is not there/);
  });
});
