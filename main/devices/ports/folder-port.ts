import { accessSync, constants, statSync } from 'node:fs';
import { folderPathProblem } from '../../../shared/port-transports.ts';
import { HubError } from '../../../shared/errors.ts';
import type { Port } from '../../../shared/api/ports-model.ts';

/**
 * A `folder` port (docs/architecture.md §6): a meter mounted as a disk, or its report folder,
 * named by absolute path. No discovery lists it: a person adds it, and the meter counts as
 * plugged in while the folder is there and readable.
 */

/** The path as stored: trimmed, without trailing separators (but `/` and `E:\` stay roots), so `/media/X/` and `/media/X` are one port. */
export function folderPortPath(path: string): string {
  const trimmed = path.trim();
  if (/^[A-Za-z]:[\\/]*$/.test(trimmed)) return `${trimmed.slice(0, 2)}\\`;
  const stripped = trimmed.replace(/[\\/]+$/, '');
  return stripped === '' ? '/' : stripped;
}

/** The port id of a folder port. */
export function folderPortId(path: string): string {
  return `folder:${folderPortPath(path)}`;
}

/** Refuse a folder path a person typed (INPUT_INVALID, the reason in words); answers the stored form. */
export function checkedFolderPath(path: string): string {
  const normal = folderPortPath(path);
  const problem = folderPathProblem(normal);
  if (problem) throw new HubError('INPUT_INVALID', `${problem}.`, { details: { field: 'path' } });
  return normal;
}

/**
 * Why the folder cannot be read now, in words for the port's health; undefined when it can.
 * Synchronous because the port list is built synchronously; a stat and an access check of one
 * local path are cheap (a hung network share could block them, which is why the README says to
 * pick the meter's own USB volume).
 */
export function folderProblem(path: string): string | undefined {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    return folderErrorWords(path, e);
  }
  if (!isDir) return `${path} is a file, not a folder: pick the meter's disk or its Reports folder.`;
  try {
    accessSync(path, constants.R_OK | constants.X_OK);
  } catch (e) {
    return folderErrorWords(path, e);
  }
  return undefined;
}

/** A failed stat or access check of a meter folder, in words (by its errno code). */
export function folderErrorWords(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return `The folder ${path} is not there: is the meter connected with its USB cable in Reports mode, and its disk mounted?`;
  if (code === 'EACCES' || code === 'EPERM') return `The folder ${path} cannot be read by the hub (permission denied): give the hub's user read access to the meter's disk.`;
  return `The folder ${path} cannot be read (${code ?? (e instanceof Error ? e.message : String(e))}): unplug the meter, plug it in again and check that its disk mounts.`;
}

/** A folder port's trouble (missing, not mounted, unreadable) comes first among its hints: it is why nothing can be read. */
export function withProblem(health: Port['health'], problem: string | undefined): Port['health'] {
  return problem ? { ...health, hints: [problem, ...health.hints] } : health;
}
