import { useCallback, useEffect, useState } from 'react';
import type { FollowStatus } from '../../shared/config/follow-model.ts';
import { Field } from '../components/field.tsx';
import { errorText } from '../format/words.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';

const OUTCOME_WORDS: Record<NonNullable<FollowStatus['lastCheckOutcome']>, string> = {
  applied: 'applied a new version',
  unchanged: 'no change',
  refused: 'refused the new version',
  unreachable: 'the server did not answer',
};

function when(iso: string | undefined): string {
  return iso === undefined ? '—' : new Date(iso).toLocaleString();
}

/**
 * Following a central configuration (docs/architecture.md §6, fleet configuration), for admins:
 * what is followed and with which key, what the last check found, why a version was refused, and
 * which local settings this workstation keeps over the central file. Follow, check now, stop.
 */
export function ConfigFollowPanel({ onApplied }: { onApplied: () => void }): React.JSX.Element | null {
  const store = usePageStateStore();
  const isAdmin = useHub((s) => s.state?.operator?.role === 'admin');
  const [status, setStatus] = useState<FollowStatus>();
  const [url, setUrl] = useState('');
  const [key, setKey] = useState('');
  const [ca, setCa] = useState('');
  const [interval, setIntervalText] = useState('900');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const load = useCallback(async (): Promise<void> => {
    const result = await store.call('getConfigFollow', {});
    if (result.ok) setStatus(result.value);
  }, [store]);

  useEffect(() => {
    if (isAdmin) void load();
  }, [isAdmin, load]);

  if (!isAdmin) return null;

  const run = async (call: () => ReturnType<typeof store.call<'checkConfigFollow'>>): Promise<void> => {
    setBusy(true);
    const result = await call();
    setBusy(false);
    if (!result.ok) return setError(errorText(result.error));
    setError(undefined);
    setStatus(result.value.status);
    store.notify(result.value.message);
    if (result.value.outcome === 'applied') onApplied();
  };

  const follow = (e: React.FormEvent): void => {
    e.preventDefault();
    const seconds = Number(interval);
    void run(() => store.call('followConfig', { url: url.trim(), publicKeyPem: key, ...(ca.trim() === '' ? {} : { caPem: ca }), intervalSeconds: Number.isInteger(seconds) ? seconds : -1 }));
  };

  const unfollow = async (): Promise<void> => {
    const result = await store.call('unfollowConfig', {});
    if (!result.ok) return setError(errorText(result.error));
    setStatus(result.value);
  };

  return (
    <section className="panel" aria-labelledby="follow-title" data-testid="config-follow">
      <h2 id="follow-title" className="panel-title">
        Central configuration
      </h2>
      <p className="panel-hint">Follow the configuration clinic IT publishes: it is applied only when its signature matches the pinned key. This workstation’s own ports stay as set up here.</p>
      {status?.following === true ? (
        <dl className="follow-status" data-testid="follow-status">
          <dt>Following</dt>
          <dd data-testid="follow-url">{status.url}</dd>
          <dt>Key fingerprint (SHA-256)</dt>
          <dd className="follow-hash" data-testid="follow-fingerprint">
            {status.keyFingerprint}
          </dd>
          <dt>Checks every</dt>
          <dd>{status.intervalSeconds} s</dd>
          <dt>Last check</dt>
          <dd data-testid="follow-last-check">
            {when(status.lastCheckAt)}
            {status.lastCheckOutcome === undefined ? '' : `: ${OUTCOME_WORDS[status.lastCheckOutcome]}`}
          </dd>
          <dt>Applied version</dt>
          <dd className="follow-hash" data-testid="follow-applied">
            {status.appliedSha256 === undefined ? 'none yet' : `${status.appliedSha256} (${when(status.appliedAt)})`}
          </dd>
          {status.refusedReason === undefined ? null : (
            <>
              <dt>Last refused</dt>
              <dd className="form-error" data-testid="follow-refusal">
                {when(status.refusedAt)}: {status.refusedReason}
              </dd>
            </>
          )}
          {status.lastCheckOutcome === 'unreachable' && status.lastCheckMessage !== undefined ? (
            <>
              <dt>Server</dt>
              <dd className="form-error" data-testid="follow-unreachable">
                {status.lastCheckMessage}
              </dd>
            </>
          ) : null}
          <dt>Local overrides</dt>
          <dd data-testid="follow-overrides">
            {status.localOverrides.length === 0 ? (
              'none'
            ) : (
              <ul>
                {status.localOverrides.map((o) => (
                  <li key={o.field}>
                    {o.field}: the central file says {o.central}; this workstation keeps {o.local}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      ) : (
        <p data-testid="follow-status">This workstation follows no central configuration.</p>
      )}
      {status?.following === true ? (
        <div className="form-actions">
          <button type="button" className="button" data-testid="follow-check" disabled={busy} onClick={() => void run(() => store.call('checkConfigFollow', {}))}>
            {busy ? 'Checking…' : 'Check now'}
          </button>
          <button type="button" className="button" data-testid="follow-stop" disabled={busy} onClick={() => void unfollow()}>
            Stop following
          </button>
        </div>
      ) : null}
      <form className="form" onSubmit={follow} noValidate>
        <Field id="follow-url-input" label="Address of the configuration file (https)" value={url} onChange={setUrl} hint="Its signature is fetched from the same address with .sig added." />
        <Field id="follow-key-input" label="IT’s public key (PEM)" value={key} onChange={setKey} multiline hint="-----BEGIN PUBLIC KEY----- … as IT gave it. Compare the fingerprint shown after following." />
        <Field id="follow-ca-input" label="Extra CA certificate (PEM, optional)" value={ca} onChange={setCa} multiline hint="Only when the server’s certificate comes from the clinic’s own CA." />
        <Field id="follow-interval-input" label="Check every (seconds)" value={interval} onChange={setIntervalText} numeric hint="At least 30; 900 is 15 minutes." />
        <div className="form-actions">
          <button type="submit" className="button button--primary" data-testid="follow-submit" disabled={busy}>
            {status?.following === true ? 'Follow this instead' : 'Follow'}
          </button>
        </div>
        <p className="form-error" aria-live="assertive" data-testid="follow-error">
          {error}
        </p>
      </form>
    </section>
  );
}
