import { describe, expect, it } from 'vitest';
import { HubError } from '../../../shared/errors.ts';
import { findDriver } from '../../../drivers/index.ts';
import { NO_DATA_AFTER_MS, NO_DATA_HINT, PortHealth, settingsText } from './port-health.ts';

const masimo = findDriver('masimo-rad8')?.manifest;
const T0 = Date.UTC(2026, 0, 15, 9);

describe('PortHealth', () => {
  it('counts checksum errors and timeouts, from problems and from how sessions end', () => {
    const h = new PortHealth();
    h.beginSession(T0);
    h.bytes(40, T0 + 10);
    h.event({ type: 'problem', code: 'PROTOCOL_CHECKSUM', message: 'bad checksum' });
    h.event({ type: 'problem', code: 'PROTOCOL_CHECKSUM', message: 'bad checksum' });
    h.event({ type: 'problem', code: 'DEVICE_NO_RESPONSE', message: 'no answer to record 4' });
    h.event({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: 'noise' });
    h.endSession({ end: 'failed', error: new HubError('TRANSPORT_TIMEOUT', 'no answer within 5 s') }, false);
    const view = h.view(masimo, undefined, T0 + 20);
    expect(view).toMatchObject({ checksumErrors: 2, timeouts: 2, sessions: 1, readings: 0, lastError: 'no answer within 5 s', lastSeen: new Date(T0 + 10).toISOString() });
  });

  it('silence: the cable and power hint once the device had time to speak, then the driver hints', () => {
    const h = new PortHealth();
    h.beginSession(T0);
    expect(h.hints(masimo, undefined, T0 + NO_DATA_AFTER_MS - 1)).toEqual([]);
    const hints = h.hints(masimo, undefined, T0 + NO_DATA_AFTER_MS);
    expect(hints[0]).toBe(NO_DATA_HINT);
    expect(hints.slice(1)).toEqual(masimo?.hints);
  });

  it('bytes that never decode: the baud-rate hint with the settings the driver expects and the ones in force', () => {
    const h = new PortHealth();
    h.beginSession(T0);
    h.bytes(12, T0 + 5);
    h.event({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: 'noise' });
    const settings = { baudRate: 4800, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } as const;
    expect(h.hints(masimo, settings, T0 + 6)[0]).toBe('Data arrives but cannot be read: wrong baud rate or line settings? The driver expects 9600 8N1 (this port is set to 4800 8N1).');
  });

  it('a reading clears the suspicion', () => {
    const h = new PortHealth();
    h.beginSession(T0);
    h.bytes(12, T0 + 5);
    h.event({ type: 'live', at: T0 + 5, observations: [], flags: [], valid: true });
    expect(h.hints(masimo, undefined, T0 + NO_DATA_AFTER_MS * 2)).toEqual([]);
  });

  it('a download refused as a whole keeps its reason; one cut off (unplugged) says it was interrupted', () => {
    const meter = findDriver('roche-accu-chek-mobile')?.manifest;
    const refused = new PortHealth();
    refused.beginSession(T0);
    refused.bytes(400, T0 + 1);
    refused.event({ type: 'progress', done: 0, total: 2 });
    const reason = 'the Accu-Chek report has a row that is not a result (line 5: the unit "mmol/x" is neither mmol/l nor mg/dl); nothing was imported';
    refused.endSession({ end: 'failed', error: new HubError('PROTOCOL_UNEXPECTED', reason) }, true);
    expect(refused.view(meter, undefined, T0 + 2)).toMatchObject({ lastError: reason, hints: meter?.hints });

    const cut = new PortHealth();
    cut.beginSession(T0);
    cut.event({ type: 'progress', done: 3, total: 10 });
    cut.endSession({ end: 'failed', error: new HubError('TRANSPORT_CLOSED', 'the device was disconnected') }, true);
    expect(cut.view(meter, undefined, T0 + 2).lastError).toMatch(/^Download interrupted after 3 of 10 records/);
  });

  it('writes settings as on a device label', () => {
    expect(settingsText({ baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 2, flowControl: 'xonxoff' })).toBe('9600 7E2 XON/XOFF');
  });
});
