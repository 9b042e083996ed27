/**
 * Away after idle: no key, pointer or wheel input in this tab for IDLE_MS (a hidden tab gets
 * none, so it goes away too). Reported to the server on each change only, so an idle
 * tab costs one request when it goes away and one when someone is back.
 */
const IDLE_MS = 5 * 60_000;
const EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'focus'] as const;

export function watchIdle(report: (state: 'active' | 'away') => void, idleMs = IDLE_MS) {
  let away = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const goAway = () => {
    if (away) return;
    away = true;
    report('away');
  };
  const active = () => {
    clearTimeout(timer);
    timer = setTimeout(goAway, idleMs);
    if (!away) return;
    away = false;
    report('active');
  };
  const onVisible = () => document.visibilityState === 'visible' && active();
  for (const name of EVENTS) window.addEventListener(name, active, { passive: true });
  document.addEventListener('visibilitychange', onVisible);
  timer = setTimeout(goAway, idleMs);
  return {
    /** Someone is at this tab now (not idle). */
    isActive: () => !away,
    dispose() {
      clearTimeout(timer);
      for (const name of EVENTS) window.removeEventListener(name, active);
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}
