import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Write a file so that a reader (the EHR's import job, a sync client) never sees half of it and
 * an existing file is never replaced: write a hidden temp file in the same folder, fsync it,
 * move it to its final name, fsync the folder so the name survives a power cut.
 */

type WriteOnceResult = 'written' | 'identical' | 'different';

async function sameBytes(path: string, bytes: Buffer): Promise<boolean> {
  return Buffer.compare(await readFile(path), bytes) === 0;
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fd = await open(dir, 'r');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
  } catch (e) {
    // Windows cannot open or fsync a directory; the rename is still atomic there.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw e;
  }
}

/**
 * Place `bytes` at `<dir>/<name>` unless a file is already there: `identical` when it holds the
 * same bytes (a rerun after a crash), `different` when it holds something else (left untouched).
 * @throws the file-system error when the folder is missing or not writable.
 */
export async function writeOnce(dir: string, name: string, bytes: Buffer): Promise<WriteOnceResult> {
  const final = join(dir, name);
  try {
    return (await sameBytes(final, bytes)) ? 'identical' : 'different';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const tmp = join(dir, `.${name}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    const fd = await open(tmp, 'wx', 0o640);
    try {
      await fd.writeFile(bytes);
      await fd.sync();
    } finally {
      await fd.close();
    }
    try {
      // link() fails if the name exists, so a file that appeared meanwhile is never replaced
      // (rename() would silently overwrite it).
      await link(tmp, final);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return (await sameBytes(final, bytes)) ? 'identical' : 'different';
      // File systems without hard links (FAT on a USB stick, some network shares): rename, which
      // is still atomic; the existence check above is then the only guard.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
      await rename(tmp, final);
    }
    await fsyncDir(dir);
    return 'written';
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Plain words for a file-system error code when writing to `dir`. */
export function describeWriteError(dir: string, e: unknown): { code: string; message: string } {
  const code = (e as NodeJS.ErrnoException).code ?? 'ERROR';
  const why =
    code === 'ENOENT' || code === 'ENOTDIR'
      ? `the export folder ${dir} does not exist (is the drive or share connected?)`
      : code === 'EACCES' || code === 'EPERM'
        ? `the hub is not allowed to write to the export folder ${dir}`
        : code === 'ENOSPC'
          ? `the disk holding ${dir} is full`
          : code === 'EROFS'
            ? `the export folder ${dir} is read-only`
            : `writing to ${dir} failed (${e instanceof Error ? e.message : String(e)})`;
  return { code, message: `Could not write the export file: ${why}` };
}
