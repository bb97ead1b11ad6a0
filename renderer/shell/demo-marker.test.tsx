// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../app.tsx';
import { JANE, createFakeHub } from '../testing/fake-hub.ts';
import { pageTitle } from './route.ts';

afterEach(cleanup);

describe('the DEMO marker', () => {
  it('puts DEMO first in the tab title in demo mode only', () => {
    expect(pageTitle('history', true)).toBe('DEMO · History · POC Hub');
    expect(pageTitle(undefined, true)).toBe('DEMO · POC Hub');
    expect(pageTitle('review', false)).toBe('Review · POC Hub');
  });

  it('shows a DEMO badge in the header and the title of the screen (the fake hub runs in demo mode)', async () => {
    window.location.hash = '#/history';
    render(<App client={createFakeHub({ patient: JANE })} />);
    expect((await screen.findByTestId('demo-badge')).textContent).toMatch(/^DEMO/);
    expect(document.title).toBe('DEMO · History · POC Hub');
  });

  it('shows no badge outside demo mode', async () => {
    const hub = createFakeHub();
    hub.handle('getState', () => ({ ok: true, value: { devices: [], demo: false, workstation: 'ROOM-3' } }));
    render(<App client={hub} />);
    await screen.findByTestId('signin-badge');
    expect(screen.queryByTestId('demo-badge')).toBeNull();
    expect(document.title).toBe('POC Hub');
  });
});
