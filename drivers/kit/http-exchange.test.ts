import { describe, expect, it } from 'vitest';
import { fromLatin1, latin1 } from './bytes.ts';
import { HttpResponseFramer, encodeHttpRequest, encodeHttpResponse, isLoopbackHttpUrl, parseHttpRequestLine } from './http-exchange.ts';

describe('HTTP exchange envelopes', () => {
  it('a request is one line; only visible-ASCII paths are accepted', () => {
    expect(latin1(encodeHttpRequest('/WelchAllyn/Device/GetDevices'))).toBe('GET /WelchAllyn/Device/GetDevices\n');
    expect(() => encodeHttpRequest('/a b')).toThrow(RangeError);
    expect(() => encodeHttpRequest('http://x/')).toThrow(RangeError);
    expect(parseHttpRequestLine(fromLatin1('GET /x?y=1'))).toBe('/x?y=1');
    expect(parseHttpRequestLine(fromLatin1('POST /x'))).toBeUndefined();
  });

  it('garbage before a header is reported and skipped; a stream ending inside a body is truncated', () => {
    const framer = new HttpResponseFramer();
    const out = framer.push(fromLatin1('noise\nHTTP 200 5\nhel'));
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE']);
    expect(out.frames).toEqual([]);
    expect(framer.push(fromLatin1('lo')).frames.map((f) => latin1(f.body))).toEqual(['hello']);
    framer.push(fromLatin1('HTTP 200 9\nabc'));
    expect(framer.flush().problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
  });

  it('a response envelope round-trips with its raw bytes', () => {
    const raw = encodeHttpResponse(404, fromLatin1('{}'));
    const [frame] = new HttpResponseFramer().push(raw).frames;
    expect(frame?.status).toBe(404);
    expect(frame?.raw).toEqual(raw);
  });

  it('only http:// URLs to the loopback interface count as local', () => {
    for (const ok of ['http://127.0.0.1:9233', 'http://127.0.0.1:9233/', 'http://127.1.2.3', 'http://[::1]:9233']) expect(isLoopbackHttpUrl(ok), ok).toBe(true);
    for (const no of ['https://127.0.0.1:9234', 'http://localhost:9233', 'http://10.0.0.5:9233', 'http://127.0.0.1.evil.com/', 'http://user:pw@127.0.0.1/', 'http://127.0.0.300/', 'http://127.0.0.1:70000', 'ftp://127.0.0.1']) {
      expect(isLoopbackHttpUrl(no), no).toBe(false);
    }
  });
});
