import type { Announcer } from './announcer';

export function LiveRegion({ announcer }: { announcer: Announcer }) {
  return (
    <div class="visually-hidden" aria-live="polite" data-testid="live-announcer">
      {announcer.text.value}
    </div>
  );
}
