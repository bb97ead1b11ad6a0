import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SafeStorage } from 'electron';
import { z } from 'zod';
import { HubError } from '../../shared/errors.ts';
import type { SecretStore } from '../export/secret-store.ts';

/** What the store uses of Electron's safeStorage (so tests can pass a fake). */
export type SafeStorageApi = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>;

/** The file: each secret encrypted on its own by the OS keychain, as base64. */
const FileSchema = z.object({ v: z.literal(1), secrets: z.record(z.string(), z.string()) });

/** The file name inside userData. */
export const SAFE_SECRETS_FILE = 'secrets.safe.json';

/**
 * Export secrets (bearer tokens) encrypted with the OS keychain (DPAPI on Windows, Keychain on
 * macOS, libsecret/kwallet on Linux) through Electron's safeStorage, kept in a JSON file of
 * encrypted blobs: the key never touches the disk, so a copied data folder carries no usable
 * credentials. When the OS offers no encryption the store refuses to read or write rather than
 * keep a token in plain text.
 */
export class SafeStorageSecretStore implements SecretStore {
  constructor(
    private readonly safeStorage: SafeStorageApi,
    private readonly file: string,
  ) {}

  get(name: string): string | undefined {
    const blob = this.read()[name];
    if (blob === undefined) return undefined;
    try {
      return this.safeStorage.decryptString(Buffer.from(blob, 'base64'));
    } catch (e) {
      throw new HubError('CONFIG_INVALID', `The secret "${name}" cannot be decrypted (the OS keychain changed, or the file ${this.file} was copied from another user); save the target's secret again.`, { cause: e });
    }
  }

  set(name: string, value: string): void {
    const blob = this.available().encryptString(value).toString('base64');
    this.write({ ...this.read(), [name]: blob });
  }

  delete(name: string): void {
    const all = this.read();
    if (!(name in all)) return;
    delete all[name];
    this.write(all);
  }

  private available(): SafeStorageApi {
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new HubError(
        'CONFIG_INVALID',
        'The operating system offers no secure storage for export secrets (on Linux: no keyring such as GNOME Keyring or KWallet is running); start one, or run the hub in browser mode, which keeps secrets in an encrypted file.',
      );
    }
    return this.safeStorage;
  }

  private read(): Record<string, string> {
    this.available();
    if (!existsSync(this.file)) return {};
    try {
      return FileSchema.parse(JSON.parse(readFileSync(this.file, 'utf8'))).secrets;
    } catch (e) {
      throw new HubError('CONFIG_INVALID', `The secret store ${this.file} is damaged; remove it and save the targets' secrets again.`, { cause: e });
    }
  }

  private write(secrets: Record<string, string>): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ v: 1, secrets }), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    // Rename, so a crash mid-write leaves the old file, never half of a new one.
    renameSync(tmp, this.file);
  }
}
