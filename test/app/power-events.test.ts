// The OS events that lock the vault, with an EventEmitter standing in for
// Electron's powerMonitor.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { watchPower, type PowerEvents } from '../../main/app/power-events.js';

const monitor = () => {
  const emitter = new EventEmitter();
  return { emitter, power: emitter as unknown as PowerEvents };
};

describe('watchPower', () => {
  it('locks on screen lock, suspend and macOS user switching; not on resume, unlock or idle events', () => {
    const { emitter, power } = monitor();
    const locks: string[][] = [];
    let current = '';
    watchPower(power, (reason) => locks.push([current, reason]));
    for (const event of ['resume', 'unlock-screen', 'on-ac', 'on-battery', 'user-did-become-active', 'lock-screen', 'suspend', 'user-did-resign-active']) {
      current = event;
      emitter.emit(event);
    }
    expect(locks).toEqual([
      ['lock-screen', 'screen-locked'],
      ['suspend', 'suspend'],
      ['user-did-resign-active', 'screen-locked'],
    ]);
  });

  it('the returned function stops listening, and only to its own listeners', () => {
    const { emitter, power } = monitor();
    let locks = 0;
    const other = () => undefined;
    emitter.on('suspend', other);
    const stop = watchPower(power, () => (locks += 1));
    stop();
    for (const event of ['lock-screen', 'suspend', 'user-did-resign-active']) emitter.emit(event);
    expect(locks).toBe(0);
    expect(emitter.listeners('suspend')).toEqual([other]);
  });
});
