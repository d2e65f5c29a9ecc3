import { createSubscriber } from 'svelte/reactivity';

/** The client's clock for ticking durations and SLA countdowns; it ticks only while something shows it. */
class Clock {
  #subscribe = createSubscriber((tick) => {
    const timer = setInterval(tick, 1_000);
    return () => clearInterval(timer);
  });

  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}

export const clock = new Clock();
