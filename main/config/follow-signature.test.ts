import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { followUrlProblem } from '../../shared/config/follow-model.ts';
import { signatureUrl } from './follow-fetch.ts';
import { mergePorts } from './follow-merge.ts';
import { keyFingerprint, signConfigBytes, signatureBytes, signatureProblem } from './follow-signature.ts';

function pair(): { pub: string; priv: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { pub: publicKey.export({ type: 'spki', format: 'pem' }).toString(), priv: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

describe('config follow: signatures', () => {
  const keys = pair();
  const bytes = Buffer.from('{"format":"pochub-workstation-config","version":1}\n');

  it('accepts its own base64 signature and the raw 64 bytes; refuses another key, a changed byte, garbage', () => {
    const sig = signConfigBytes(keys.priv, bytes);
    expect(sig).toMatch(/^[A-Za-z0-9+/]{86}==\n$/);
    expect(signatureProblem(keys.pub, bytes, Buffer.from(sig))).toBeUndefined();
    expect(signatureProblem(keys.pub, bytes, Buffer.from(sig.trim(), 'base64'))).toBeUndefined();
    expect(signatureProblem(pair().pub, bytes, Buffer.from(sig))).toMatch(/does not match/);
    const changed = Buffer.from(bytes);
    changed.writeUInt8(changed.readUInt8(3) ^ 1, 3);
    expect(signatureProblem(keys.pub, changed, Buffer.from(sig))).toMatch(/does not match/);
    expect(signatureBytes(Buffer.from('not a signature!'))).toMatch(/neither base64/);
    expect(signatureBytes(Buffer.from('AAAA'))).toMatch(/is 3 bytes/);
  });

  it('refuses a key that is not Ed25519 and gives a stable fingerprint', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => keyFingerprint(rsa)).toThrow(/rsa, not Ed25519/);
    expect(() => keyFingerprint('hello')).toThrow(/not a PEM public key/);
    expect(keyFingerprint(keys.pub)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyFingerprint(keys.pub)).toBe(keyFingerprint(keys.pub));
  });
});

describe('config follow: URLs', () => {
  it('takes https anywhere and http only to this machine', () => {
    expect(followUrlProblem('https://it.clinic.example/pochub.json')).toBeUndefined();
    expect(followUrlProblem('http://127.0.0.1:8080/pochub.json')).toBeUndefined();
    expect(followUrlProblem('http://localhost/pochub.json')).toBeUndefined();
    expect(followUrlProblem('http://[::1]:9/x')).toBeUndefined();
    expect(followUrlProblem('http://10.0.0.5/pochub.json')).toMatch(/plain http is refused for 10.0.0.5/);
    expect(followUrlProblem('http://127.0.0.1.evil.example/x')).toMatch(/plain http is refused/);
    expect(followUrlProblem('ftp://x/y')).toMatch(/ftp: is not https/);
    expect(followUrlProblem('pochub.json')).toMatch(/not a URL/);
  });

  it('puts .sig after the path, keeping a query', () => {
    expect(signatureUrl('https://h/c/pochub.json')).toBe('https://h/c/pochub.json.sig');
    expect(signatureUrl('https://h/c/pochub.json?site=2')).toBe('https://h/c/pochub.json.sig?site=2');
  });
});

describe('config follow: ports stay local', () => {
  it('adds central ports not assigned here and lists, never changes, the ones assigned otherwise', () => {
    const local = [
      { id: 'serial:/dev/ttyUSB0', transport: 'serial' as const, path: '/dev/ttyUSB0', origin: 'manual' as const, assignment: { driverId: 'a', options: {}, autoConnect: true, by: 'person' as const } },
      { id: 'serial:/dev/ttyUSB1', transport: 'serial' as const, path: '/dev/ttyUSB1', origin: 'discovered' as const },
    ];
    const central = [
      { transport: 'serial' as const, path: '/dev/ttyUSB0', driverId: 'b', autoConnect: true },
      { transport: 'serial' as const, path: '/dev/ttyUSB1', driverId: 'c', autoConnect: true, role: 'memory' as const },
      { transport: 'serial' as const, path: '/dev/ttyUSB0', driverId: 'a', autoConnect: true },
    ];
    const merge = mergePorts(central, local, (p) => `serial:${p.path}`);
    expect(merge.add.map((p) => p.path)).toEqual(['/dev/ttyUSB1']);
    expect(merge.overrides).toEqual([{ field: 'ports[0] /dev/ttyUSB0', central: 'b', local: 'a' }]);
  });

  it('keeps a port central while it is as the previous central version left it', () => {
    const local = [{ id: 'tcp:10.0.0.7:4001', transport: 'tcp' as const, path: '10.0.0.7:4001', origin: 'manual' as const, assignment: { driverId: 'a', options: { x: 1 }, autoConnect: true, by: 'person' as const } }];
    const previous = [{ transport: 'tcp' as const, path: '10.0.0.7:4001', driverId: 'a', options: { x: 1 }, autoConnect: true }];
    const next = [{ transport: 'tcp' as const, path: '10.0.0.7:4001', driverId: 'a', options: { x: 2 }, autoConnect: true }];
    const idOf = (p: { transport: string; path: string }): string => `${p.transport}:${p.path}`;
    expect(mergePorts(next, local, idOf, previous)).toEqual({ add: next, overrides: [] });
    // A person changed it here after the previous version: theirs is kept and listed.
    const changedHere = [{ ...local[0]!, assignment: { ...local[0]!.assignment, options: { x: 5 } } }];
    expect(mergePorts(next, changedHere, idOf, previous)).toEqual({ add: [], overrides: [{ field: 'ports[0] 10.0.0.7:4001', central: 'a, options {"x":2}', local: 'a, options {"x":5}' }] });
  });
});
