/**
 * RSS and CPU seconds of a process and all its descendants, read from /proc: wrangler's Node
 * process, its workerd children (proxy and user worker) and anything else it started.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const PAGE = Number(execFileSync('getconf', ['PAGESIZE']).toString().trim()) || 4096;

function readStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    // Fields after "comm)": state(3) ppid(4) ... utime(14) stime(15) ... rss(24), 1-based.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      comm,
      ppid: Number(f[1]),
      cpuSeconds: (Number(f[11]) + Number(f[12])) / TICKS,
      rssBytes: Number(f[21]) * PAGE,
    };
  } catch {
    return null; // exited between readdir and read
  }
}

/** Every live process in the tree rooted at `root`, root included. */
export function processTree(root) {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readStat(Number(d)))
    .filter(Boolean);
  const children = new Map();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const rootStat = all.find((p) => p.pid === root);
  if (!rootStat) return [];
  const tree = [rootStat];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i].pid) ?? []));
  return tree;
}

/** One sample of the whole tree: summed, and by command name (node, workerd, …). */
export function sampleTree(root) {
  const tree = processTree(root);
  const byComm = {};
  let rssBytes = 0;
  let cpuSeconds = 0;
  for (const p of tree) {
    rssBytes += p.rssBytes;
    cpuSeconds += p.cpuSeconds;
    const c = (byComm[p.comm] ??= { count: 0, rssBytes: 0, cpuSeconds: 0 });
    c.count++;
    c.rssBytes += p.rssBytes;
    c.cpuSeconds += p.cpuSeconds;
  }
  return {
    t: Date.now(),
    rssBytes,
    cpuSeconds,
    processes: tree.length,
    pids: tree.map((p) => p.pid),
    byComm,
  };
}

/**
 * CPU seconds every core has spent running processes since boot (user, nice, system, steal).
 * Interrupt time is left out: loopback network work lands there and belongs to no process.
 */
export function machineBusySeconds() {
  const [, user, nice, system, , , , , steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return (user + nice + system + steal) / TICKS;
}
