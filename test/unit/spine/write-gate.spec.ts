import { register } from 'prom-client';
import { WriteGate, WriteGateTimeout } from '../../../src/database/write-gate';
import { later } from '../../support/later';


const tick = () => new Promise((ok) => setImmediate(ok));

async function waitingGauge(): Promise<number> {
  return (await register.getSingleMetric('db_write_gate_waiting')!.get()).values[0].value;
}

describe('WriteGate (decision 0029)', () => {
  it('lets `limit` works run at once and queues the rest in arrival order', async () => {
    const gate = new WriteGate(2, 5000);
    const held = [later(), later(), later(), later()];
    const started: number[] = [];
    const runs = held.map((h, i) => gate.run(async () => {
      started.push(i);
      await h.promise;
      return i;
    }));
    await tick();
    expect(started).toEqual([0, 1]);
    expect(await waitingGauge()).toBe(2);

    held[1].settle();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    held[0].settle();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(await waitingGauge()).toBe(0);
    held[2].settle();
    held[3].settle();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
  });

  it('gives a `first` work the next turn, ahead of those already waiting', async () => {
    const gate = new WriteGate(1, 5000);
    const holder = later();
    const order: string[] = [];
    const running = gate.run(() => holder.promise);
    const normal = gate.run(async () => void order.push('normal'));
    const first = gate.run(async () => void order.push('first'), 'first');
    await tick();
    expect(order).toEqual([]);
    holder.settle();
    await Promise.all([running, normal, first]);
    expect(order).toEqual(['first', 'normal']);
  });

  it('refuses a work that waited longer than its limit, and loses no turn to it', async () => {
    const gate = new WriteGate(1, 50);
    const holder = later();
    const running = gate.run(() => holder.promise);
    let ran = false;
    const late = gate.run(async () => void (ran = true));
    const err = await late.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteGateTimeout);
    holder.settle();
    await running;
    // The turn the refused work was queued for comes back to the gate.
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
    expect(ran).toBe(false);
  });

  it('answers each late work with an error of its own', async () => {
    const gate = new WriteGate(1, 20);
    const holder = later();
    const running = gate.run(() => holder.promise);
    const [a, b] = await Promise.all([gate.run(async () => 1).catch((e: unknown) => e), gate.run(async () => 2).catch((e: unknown) => e)]);
    holder.settle();
    await running;
    expect(a).toBeInstanceOf(WriteGateTimeout);
    expect(b).toBeInstanceOf(WriteGateTimeout);
    expect(a).not.toBe(b);
  });

  it('gives the turn back when a work fails', async () => {
    const gate = new WriteGate(1, 5000);
    await expect(gate.run(() => Promise.reject(new Error('rolled back')))).rejects.toThrow('rolled back');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });
});
