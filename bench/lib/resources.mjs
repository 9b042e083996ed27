/** The server's RSS and CPU over one scenario, from the 500 ms process-tree samples. */
const MB = 2 ** 20;
const mb = (bytes) => Math.round((bytes / MB) * 10) / 10;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function cpuByProcess(before, after) {
  const out = {};
  for (const [comm, a] of Object.entries(after.byComm)) {
    const cpu = a.cpuSeconds - (before.byComm[comm]?.cpuSeconds ?? 0);
    out[comm] = Math.round(cpu * 100) / 100;
  }
  return out;
}

/**
 * CPU seconds and peak RSS across the scenario. For an idle-connection scenario also the
 * RSS each held connection costs: the median RSS while all are held, minus the RSS just
 * before the first connection opened, over the number connected.
 */
export function resourceReport(samples, before, after, report, idle) {
  const window = [before, ...samples.filter((s) => s.t > before.t && s.t < after.t), after];
  const out = {
    cpuSeconds: Math.round((after.cpuSeconds - before.cpuSeconds) * 100) / 100,
    cpuByProcess: cpuByProcess(before, after),
    rssBeforeMB: mb(before.rssBytes),
    rssPeakMB: mb(Math.max(...window.map((s) => s.rssBytes))),
    processes: after.processes,
  };
  const phases = report?.phases;
  // The server's CPU while messages flowed (first send to the end of the drain), apart from
  // signing up, joining and connecting, which the whole-scenario figure above includes.
  if (phases?.holdEnd && phases?.drained) {
    const from = window.filter((s) => s.t <= phases.holdEnd).at(-1);
    const to = window.find((s) => s.t >= phases.drained);
    if (from && to) {
      out.sendCpuSeconds = Math.round((to.cpuSeconds - from.cpuSeconds) * 100) / 100;
      out.sendCpuByProcess = cpuByProcess(from, to);
      out.sendWindowSeconds = (to.t - from.t) / 1000;
    }
  }
  if (idle && phases?.connected && phases?.holdEnd) {
    const baseline = window.filter((s) => s.t <= phases.connectStart).at(-1) ?? before;
    const held = window.filter((s) => s.t >= phases.connected + 1000 && s.t <= phases.holdEnd);
    const connected = report.config.clients - (report.connect?.failed ?? 0);
    if (held.length && connected > 0) {
      const heldRss = median(held.map((s) => s.rssBytes));
      out.rssHeldMB = mb(heldRss);
      out.rssBaselineMB = mb(baseline.rssBytes);
      out.rssPerConnectionKB = Math.round((heldRss - baseline.rssBytes) / connected / 102.4) / 10;
      out.rssHeldByProcessMB = Object.fromEntries(
        Object.keys(held[0].byComm).map((comm) => [
          comm,
          mb(
            median(held.map((s) => s.byComm[comm]?.rssBytes ?? 0)) -
              (baseline.byComm[comm]?.rssBytes ?? 0),
          ),
        ]),
      );
    }
  }
  return out;
}
