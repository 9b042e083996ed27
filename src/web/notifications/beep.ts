/** A short, soft two-tone beep with WebAudio: no sound file to download. */
let context: AudioContext | null = null;

/** Creates (or resumes) the audio context; call from a user gesture so autoplay allows it. */
export function unlockAudio(): void {
  context ??= new AudioContext();
  if (context.state === 'suspended') void context.resume();
}

export function beep(): void {
  if (!context) return;
  const now = context.currentTime;
  const gain = context.createGain();
  gain.gain.setValueAtTime(0.0001, now);
  gain.gain.exponentialRampToValueAtTime(0.15, now + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.25);
  gain.connect(context.destination);
  for (const [freq, start] of [
    [880, 0],
    [1320, 0.08],
  ] as const) {
    const osc = context.createOscillator();
    osc.frequency.value = freq;
    osc.connect(gain);
    osc.start(now + start);
    osc.stop(now + start + 0.12);
  }
}
