import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HubError } from '../../shared/errors.ts';

/**
 * Where export secrets (bearer tokens) live: never in the database (docs/export.md §8), so a copied or
 * backed-up store file carries no credentials. The Electron shell supplies an implementation
 * over the OS keychain (safeStorage); browser mode and the CLI use {@link FileSecretStore}.
 */
export interface SecretStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  delete(name: string): void;
}

const FileSchema = z.object({ v: z.literal(1), iv: z.string(), tag: z.string(), data: z.string() });
const SecretsSchema = z.record(z.string(), z.string());

/**
 * Secrets in `<dir>/secrets.enc`, AES-256-GCM under a random key in `<dir>/secrets.key`, both
 * readable only by the user (0600). This keeps credentials out of the database and out of
 * support bundles that include it; someone who can read the user's whole data folder can read
 * them too — the OS keychain (Electron) is the stronger home, and the README says so.
 */
export class FileSecretStore implements SecretStore {
  private readonly keyFile: string;
  private readonly dataFile: string;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.keyFile = path.join(dir, 'secrets.key');
    this.dataFile = path.join(dir, 'secrets.enc');
  }

  get(name: string): string | undefined {
    return this.read()[name];
  }

  set(name: string, value: string): void {
    this.write({ ...this.read(), [name]: value });
  }

  delete(name: string): void {
    const all = this.read();
    if (!(name in all)) return;
    delete all[name];
    this.write(all);
  }

  private key(): Buffer {
    if (!existsSync(this.keyFile)) writePrivate(this.keyFile, randomBytes(32).toString('base64'));
    const key = Buffer.from(readFileSync(this.keyFile, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new HubError('CONFIG_INVALID', `The secret key file ${this.keyFile} is damaged; remove it and save the targets' secrets again.`);
    return key;
  }

  private read(): Record<string, string> {
    if (!existsSync(this.dataFile)) return {};
    try {
      const file = FileSchema.parse(JSON.parse(readFileSync(this.dataFile, 'utf8')));
      const decipher = createDecipheriv('aes-256-gcm', this.key(), Buffer.from(file.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]).toString('utf8');
      return SecretsSchema.parse(JSON.parse(plain));
    } catch (e) {
      if (e instanceof HubError) throw e;
      throw new HubError('CONFIG_INVALID', `The secret store ${this.dataFile} cannot be read (damaged, or its key changed); save the targets' secrets again.`, { cause: e });
    }
  }

  private write(all: Record<string, string>): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(), iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(all), 'utf8'), cipher.final()]);
    const file = { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    const tmp = `${this.dataFile}.tmp`;
    writePrivate(tmp, JSON.stringify(file));
    renameSync(tmp, this.dataFile);
  }
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Secrets in memory only (tests, and `--data :memory:`). */
export class MemorySecretStore implements SecretStore {
  private readonly map = new Map<string, string>();
  get(name: string): string | undefined {
    return this.map.get(name);
  }
  set(name: string, value: string): void {
    this.map.set(name, value);
  }
  delete(name: string): void {
    this.map.delete(name);
  }
}
