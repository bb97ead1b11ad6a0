import { describe, expect, it } from 'vitest';
import { fromLatin1, latin1 } from '../../kit/index.ts';
import { maskText, traceAnnotator } from './trace.ts';

const REPORT = '\x02Date :MAR-02-2026 11:01:40\r\nID_NO:0040-\r\n2     \r\nWard :OPD\r\nNAME :ROE RICHARD\r\nLEU ++   125 WBC/ul\r\n\x03';

describe('trace hooks', () => {
  it('frames a report as one stx-etx token, no checksum, the printed name noted as not identity', () => {
    const framer = traceAnnotator.framer('in');
    const tokens = [...framer.push(fromLatin1(REPORT.slice(0, 30))), ...framer.push(fromLatin1(REPORT.slice(30)))];
    const frames = tokens.filter((t) => t.frame.kind === 'stx-etx');
    expect(frames).toHaveLength(1);
    expect(frames[0]?.frame.checksum).toBe('none');
    expect(frames[0]?.frame.note).toMatch(/1 results.*sample 0040-2.*"ROE RICHARD" \(not identity\)/);
  });

  it('masks ID_NO, the sub-ID, ward and name, and nothing else', () => {
    expect(maskText(REPORT)).toBe('\x02Date :MAR-02-2026 11:01:40\r\nID_NO:0000-\r\n0     \r\nWard :XXX\r\nNAME :XXX XXXXXXX\r\nLEU ++   125 WBC/ul\r\n\x03');
    expect(latin1(traceAnnotator.maskStream?.('in', fromLatin1(REPORT)) ?? new Uint8Array())).toBe(maskText(REPORT));
    expect(traceAnnotator.maskStream?.('out', fromLatin1('ID_NO:1'))).toEqual(fromLatin1('ID_NO:1'));
  });
});
