// Presence goes out at most once an interval (the server relays ~20 a second at most from us):
// the first call at once, the calls inside the interval folded into one trailing call with
// the latest value.
export interface Throttled<T> {
  call(value: T): void;
  cancel(): void;
}

export interface Clock {
  now: () => number;
  setTimer: (run: () => void, ms: number) => unknown;
  clearTimer: (timer: unknown) => void;
}

export function throttle<T>(send: (value: T) => void, intervalMs: number, clock: Clock): Throttled<T> {
  let last = -Infinity;
  let timer: unknown = null;
  let latest: { value: T } | null = null;
  const fire = (): void => {
    timer = null;
    if (!latest) return;
    const { value } = latest;
    latest = null;
    last = clock.now();
    send(value);
  };
  return {
    call(value: T) {
      latest = { value };
      if (timer !== null) return;
      const wait = last + intervalMs - clock.now();
      if (wait <= 0) fire();
      else timer = clock.setTimer(fire, wait);
    },
    cancel() {
      if (timer !== null) clock.clearTimer(timer);
      timer = null;
      latest = null;
    },
  };
}
