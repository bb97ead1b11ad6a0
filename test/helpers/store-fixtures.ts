/**
 * Readings, frames and a temp store for the store's tests, shared by several test files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG } from '../../shared/catalog.ts';
import { observe, quantity, unmapped } from '../../shared/observation.ts';
import type { Reading } from '../../shared/reading.ts';
import { afterEach, beforeEach } from 'vitest';
import type { HubDatabase } from '../../main/store/hub-database.ts';
import { openStore } from '../../main/store/open-store.ts';
import type { RawFrame } from '../../main/store/raw-frames.ts';

/** A fresh folder under the OS temp dir; `cleanup` removes it with everything in it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pochub-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A BP cuff result: a panel with components, a pulse, and one value the driver could not map. */
export function bpReading(overrides: Partial<Reading> = {}): Reading {
  return {
    driver: 'acme-bp100',
    device: { manufacturer: 'Acme', model: 'BP-100', serial: 'SN123', firmware: '1.2' },
    kind: 'patient',
    deviceTime: '2016-02-22T22:47:45',
    receivedAt: '2016-02-22T22:48:01+01:00',
    effectiveTime: '2016-02-22T22:47:45+01:00',
    clock: { source: 'device', skewSeconds: 16 },
    observations: [
      {
        code: CATALOG.bpPanel.loinc,
        display: CATALOG.bpPanel.display,
        mdc: 150020,
        components: [
          observe('bpSystolic', quantity(142, 'mm[Hg]'), { interpretation: 'H' }),
          observe('bpDiastolic', quantity(91, 'mm[Hg]')),
          unmapped('MAP?', '108'),
        ],
      },
      observe('pulseRateNibp', quantity(72, '/min'), { referenceRange: { low: 50, high: 100 } }),
      observe('urineGlucosePresence', { kind: 'ordinal', code: '1+', text: '1+ (100 mg/dL)' }),
      observe('glucoseMassMeter', quantity(600, 'mg/dL', '>')),
    ],
    flags: ['irregular-heartbeat'],
    context: { sequence: '0042', operatorId: 'op7' },
    ...overrides,
  };
}

/** Two inbound frames and the host's ACK between them, with distinct bytes (including 0x00). */
export function bpFrames(): RawFrame[] {
  return [
    { direction: 'in', bytes: Uint8Array.from([0x02, 0x31, 0x00, 0xff, 0x03]), at: '2016-02-22T21:48:00.500Z' },
    { direction: 'out', bytes: Uint8Array.from([0x06]), at: '2016-02-22T21:48:00.510Z' },
    { direction: 'in', bytes: new TextEncoder().encode('\u0002SYS=142;DIA=91\u0003'), at: '2016-02-22T21:48:01.000Z' },
  ];
}

/** Open a fresh store in a temp folder before each test and close and remove it after. */
export function useTempStore(onOpen: (opened: { tmp: ReturnType<typeof tempDir>; store: HubDatabase }) => void): void {
  let opened: { tmp: ReturnType<typeof tempDir>; store: HubDatabase } | undefined;
  beforeEach(() => {
    const tmp = tempDir();
    opened = { tmp, store: openStore(join(tmp.dir, 'hub.sqlite')) };
    onOpen(opened);
  });
  afterEach(() => {
    opened?.store.close();
    opened?.tmp.cleanup();
  });
}

/**
 * Put patients on file as a clinic's earlier visits left them, without an audit row: selection
 * refuses an MRN not on file (docs/architecture.md §8 rule 2). A patient without a name or date
 * of birth is how an older hub stored one identified by a single second identifier.
 */
export function putPatientsOnFile(store: Pick<HubDatabase, 'db'>, ...patients: readonly { mrn: string; name?: string; birthDate?: string }[]): void {
  const insert = store.db.prepare<[string, string | null, string | null]>(
    "INSERT INTO patients (mrn, name, birth_date, first_seen, last_seen) VALUES (?, ?, ?, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')",
  );
  for (const p of patients) insert.run(p.mrn, p.name ?? null, p.birthDate ?? null);
}
