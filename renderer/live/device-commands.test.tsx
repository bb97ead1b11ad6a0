// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../app.tsx';
import { JANE, createFakeHub } from '../testing/fake-hub.ts';
import { jsdomScope } from '../testing/jsdom-scope.ts';

jsdomScope({ resetHash: true });

const KEY = 'ge-dinamap:demo';
const DINAMAP = {
  key: KEY,
  driverId: 'ge-dinamap',
  label: 'GE Healthcare DINAMAP',
  kind: 'continuous' as const,
  connection: 'simulated' as const,
  commands: [
    { id: 'start-bp', label: 'Start BP' },
    { id: 'cancel-bp', label: 'Cancel BP' },
  ],
};

describe('device commands on the live card', () => {
  it('sends Start BP and shows each answer of the device, numbered, so the same words twice are still two answers', async () => {
    const hub = createFakeHub({ patient: JANE, devices: [DINAMAP] });
    hub.handle('deviceCommand', ({ command }) => ({ ok: true, value: { accepted: true, reply: command === 'start-bp' ? '" NC!4"' : '" ND!5"' } }));
    render(<App client={hub} />);
    const start = await screen.findByTestId(`command-start-bp-${KEY}`);
    expect(start.textContent).toBe('Start BP');
    expect(screen.queryByTestId(`command-answer-${KEY}`)).toBeNull();

    fireEvent.click(start);
    await act(async () => {});
    expect(hub.callsOf('deviceCommand')).toEqual([{ deviceKey: KEY, command: 'start-bp' }]);
    const answer = screen.getByTestId(`command-answer-${KEY}`);
    expect(answer.textContent).toBe('Start BP: the device accepted it (" NC!4")');
    expect(answer.dataset.answer).toBe('1');

    fireEvent.click(start);
    await act(async () => {});
    expect(screen.getByTestId(`command-answer-${KEY}`).textContent).toBe('Start BP: the device accepted it (" NC!4")');
    expect(screen.getByTestId(`command-answer-${KEY}`).dataset.answer).toBe('2');

    fireEvent.click(screen.getByTestId(`command-cancel-bp-${KEY}`));
    await act(async () => {});
    expect(screen.getByTestId(`command-answer-${KEY}`).textContent).toBe('Cancel BP: the device accepted it (" ND!5")');
    expect(screen.getByTestId(`command-answer-${KEY}`).dataset.answer).toBe('3');
  });

  it('says so when the device does not take the command', async () => {
    const hub = createFakeHub({ patient: JANE, devices: [DINAMAP] });
    hub.handle('deviceCommand', () => ({ ok: true, value: { accepted: false, reply: 'no answer from the monitor within 500 ms' } }));
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId(`command-start-bp-${KEY}`));
    await act(async () => {});
    const answer = screen.getByTestId(`command-answer-${KEY}`);
    expect(answer.textContent).toBe('Start BP: the device did not accept it: no answer from the monitor within 500 ms');
    expect(answer.className).toContain('command-answer--refused');
  });
});
