/**
 * A client of a running hub's HTTP API for end-to-end tests that set the scene through the API
 * (seed patients, enter values) while Chromium drives the page. It keeps the session cookie the
 * hub hands out, as a browser does: who is signed in and which patient is selected belong to that
 * session, never to the hub as a whole.
 */
export interface HubApi {
  /** Call a method; resolves with its value, rejects with the hub's error code and message. */
  call<T>(method: string, input?: unknown): Promise<T>;
  /** Call a method and return the raw answer (for tests that expect a refusal). */
  raw(method: string, input?: unknown): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }>;
}

/** A new API client (its own session) for the hub at `pageUrl` (the printed `…/?token=…` address). */
export function hubApi(pageUrl: string): HubApi {
  const address = new URL(pageUrl);
  const token = address.searchParams.get('token') ?? '';
  let cookie: string | undefined;
  const raw: HubApi['raw'] = async (method, input = {}) => {
    const res = await fetch(new URL(`/api/${method}`, address), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(input),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    return { status: res.status, body: (await res.json()) as Awaited<ReturnType<HubApi['raw']>>['body'] };
  };
  return {
    raw,
    async call<T>(method: string, input: unknown = {}): Promise<T> {
      const { status, body } = await raw(method, input);
      if (!body.ok) throw new Error(`${method}: ${status} ${JSON.stringify(body.error)}`);
      return body.value as T;
    },
  };
}
