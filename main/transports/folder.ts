import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { HubError } from '../../shared/errors.ts';
import { LinkBase, type Link } from '../../drivers/kit/index.ts';

/**
 * The file link (docs/architecture.md §6): a bytes-mode Link that hands a driver the newest
 * report file under a folder — a meter mounted as a disk — then ends, as a device that has said
 * everything. Read-only: the meter's volume is never written.
 */

/** Chunk size of the delivery (a read buffer); the driver reassembles the whole file. */
const CHUNK_BYTES = 64 * 1024;
/** A report is a few kB; refuse to read anything far larger into memory. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

class FileLink extends LinkBase {
  readonly mode = 'bytes' as const;

  constructor(readonly file: string, bytes: Uint8Array) {
    super();
    // After the caller has the link in hand: data before the first listener is kept (LinkBase).
    queueMicrotask(() => {
      for (let at = 0; at < bytes.length; at += CHUNK_BYTES) this.deliver(bytes.subarray(at, at + CHUNK_BYTES));
      this.ended();
    });
  }

  protected async send(): Promise<void> {
    throw new HubError('INPUT_INVALID', `${this.file} is a report file: the hub only reads it`);
  }

  protected async shutdown(): Promise<void> {}
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** Files named like `pattern` (`<Folder>/*.<ext>`) under `root`: in root itself when it is that folder, in `root/<Folder>`, or one level down (`root/<MODEL>/<Folder>`). */
async function candidates(root: string, pattern: string): Promise<string[]> {
  const m = /^([^/*]+)\/\*(\.[A-Za-z0-9]+)$/.exec(pattern);
  if (!m) throw new HubError('CONFIG_INVALID', `the file pattern "${pattern}" is not <folder>/*.<ext>`);
  const [, folder = '', ext = ''] = m;
  const dirs = new Set<string>();
  if (basename(root).toLowerCase() === folder.toLowerCase()) dirs.add(root);
  const top = await readdir(root, { withFileTypes: true });
  for (const e of top) {
    if (!e.isDirectory()) continue;
    if (e.name.toLowerCase() === folder.toLowerCase()) dirs.add(join(root, e.name));
    const inner = await readdir(join(root, e.name), { withFileTypes: true }).catch(() => []);
    for (const i of inner) if (i.isDirectory() && i.name.toLowerCase() === folder.toLowerCase()) dirs.add(join(root, e.name, i.name));
  }
  const files: string[] = [];
  for (const dir of dirs) {
    for (const e of await readdir(dir, { withFileTypes: true })) if (e.isFile() && e.name.toLowerCase().endsWith(ext.toLowerCase())) files.push(join(dir, e.name));
  }
  return files;
}

/**
 * Open the newest file matching `pattern` under `root` (the meter's mounted volume or its report
 * folder). TRANSPORT_NOT_FOUND when the folder or a report is missing, saying where it looked.
 */
export async function openFolderLink(root: string, pattern: string): Promise<Link> {
  if (!(await isDir(root))) throw new HubError('TRANSPORT_NOT_FOUND', `${root} is not a folder: pick the meter's disk (or its ${pattern.split('/')[0]} folder); is the meter connected in its Reports mode?`);
  const files = await candidates(root, pattern).catch((e: unknown) => {
    if (e instanceof HubError) throw e;
    throw new HubError('TRANSPORT_OPEN_FAILED', `cannot list ${root}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  });
  let newest: { file: string; mtimeMs: number; size: number } | undefined;
  for (const file of files) {
    const s = await stat(file);
    if (!newest || s.mtimeMs > newest.mtimeMs || (s.mtimeMs === newest.mtimeMs && file > newest.file)) newest = { file, mtimeMs: s.mtimeMs, size: s.size };
  }
  if (!newest) throw new HubError('TRANSPORT_NOT_FOUND', `no ${pattern} file under ${root}: create a report on the meter first`);
  if (newest.size > MAX_FILE_BYTES) throw new HubError('PROTOCOL_UNEXPECTED', `${newest.file} is ${newest.size} bytes: too large to be a meter report`);
  const bytes = new Uint8Array(await readFile(newest.file));
  return new FileLink(newest.file, bytes);
}
