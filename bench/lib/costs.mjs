/**
 * Per-object costs for docs/scaling.md's capacity model, derived from scenarios 8–9's phases
 * (no extra runs): server CPU seconds over a phase (the whole `wrangler dev` tree, sampled at
 * the phase's start and end) divided by what the phase did.
 *
 *   per event received  = solo CPU ÷ messages sent by the lone client (its ack and echo, two
 *                         frames to one socket, and the event's D1 copy included)
 *   per frame sent      = (send-phase CPU − events × per event) ÷ frames the clients received
 *   per delivery        = the same CPU ÷ (messages × receivers) delivered
 *   per socket accepted = storm CPU ÷ sockets opened (Worker auth + D1 session read, the
 *                         per-user socket lease, the object's accept and hello)
 *   memory per idle socket = (median RSS over the second half of the hold − RSS before the
 *                         storm) ÷ sockets held
 */
import { round } from './stats.mjs';

const ms = (seconds, count) =>
  count > 0 && seconds != null ? round((seconds * 1000) / count, 3) : null;

export function deriveCosts(scale) {
  const out = {};
  for (const [name, c] of Object.entries(scale.configs)) {
    const ph = c.phases ?? {};
    const row = {};
    const solo = ph.solo;
    const perEvent = solo && ms(solo.serverCpuSeconds, solo.events);
    row.cpuMsPerEventReceived = perEvent;
    for (const k of ['a', 'b']) {
      const p = ph[k];
      if (!p?.delivery) continue;
      const events = p.send.sent;
      const rest = p.serverCpuSeconds - ((perEvent ?? 0) * events) / 1000;
      row[`cpuMsPerFrameSent_${k}`] = ms(rest, p.frames);
      row[`cpuMsPerDelivery_${k}`] = ms(rest, p.delivery.delivered);
      row[`framesPerDelivery_${k}`] = p.delivery.framesPerDelivery;
    }
    if (ph.storm?.connect)
      row.cpuMsPerSocketAccepted_room = ms(ph.storm.serverCpuSeconds, ph.storm.connect.count);
    if (ph.lobby?.connect)
      row.cpuMsPerSocketAccepted_lobby = ms(ph.lobby.serverCpuSeconds, ph.lobby.connect.count);
    row.rssKBPerIdleSocket_room = ph.hold?.rssPerSocketKB ?? null;
    row.rssKBPerIdleSocket_lobby = ph.lobbyHold?.rssPerSocketKB ?? null;
    out[name] = row;
  }
  return out;
}
