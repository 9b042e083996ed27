#!/usr/bin/env node
/**
 * Scenario 5's data: 1,000,000 messages across 1,000 public rooms (1,000 each, seq 1..1000)
 * by 100 seeded authors (about one in 10,000 ends with a rare word, for search), written into a local D1 through `wrangler d1 execute --local`.
 * SQLite generates the rows itself (recursive CTEs), so the script ships a few kilobytes of
 * SQL instead of a 150 MB file; one INSERT per 100 rooms keeps each statement short.
 *
 *   node bench/seed.mjs --persist-to DIR [--rooms 1000] [--per-room 1000]
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { wrangler } from './lib/wrangler.mjs';

export const SEED = {
  authors: 100,
  roomPrefix: 'hist-',
  t0: 1_700_000_000_000,
  // One message in this many ends with the rare word, for the search scenario's rare query.
  rareEvery: 9973,
  rareWord: 'Zephyr',
};

/** The room id of seeded room `i`, as the history benchmark asks for it. */
export const seededRoomId = (i) => `${SEED.roomPrefix}${String(i).padStart(4, '0')}`;

export function seedSql(rooms, perRoom) {
  const { authors, t0 } = SEED;
  const range = (name, from, to) =>
    `${name}(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM ${name} WHERE i < ${to})`;
  const lines = [
    `INSERT INTO users (id, username, username_key, color, is_guest, created_at)
     WITH RECURSIVE ${range('a', 0, authors - 1)}
     SELECT printf('seed-author-%03d', i), printf('seed_%03d', i), printf('seed_%03d', i),
            '#7a7a7a', 1, ${t0} FROM a;`,
    `INSERT INTO rooms (id, kind, name, name_key, created_at, last_seq, last_activity_at)
     WITH RECURSIVE ${range('r', 0, rooms - 1)}
     SELECT printf('${SEED.roomPrefix}%04d', i), 'public', printf('History %04d', i),
            printf('history %04d', i), ${t0}, ${perRoom}, ${t0} + ${perRoom} * 60000 FROM r;`,
  ];
  for (let from = 0; from < rooms; from += 100) {
    const to = Math.min(rooms, from + 100) - 1;
    lines.push(
      `INSERT INTO messages (room_id, seq, id, author_id, client_id, text, created_at)
       WITH RECURSIVE ${range('r', from, to)}, ${range('s', 1, perRoom)}
       SELECT printf('${SEED.roomPrefix}%04d', r.i), s.i, printf('seed-%04d-%06d', r.i, s.i),
              printf('seed-author-%03d', (r.i * 7 + s.i) % ${authors}), printf('seed%06d', s.i),
              printf('Seeded message %d of room %d: a line of ordinary chat, about this long.%s', s.i, r.i,
                     CASE WHEN (r.i * ${perRoom} + s.i) % ${SEED.rareEvery} = 0 THEN ' ${SEED.rareWord}!' ELSE '' END),
              ${t0} + s.i * 60000 FROM r, s;`,
    );
  }
  return lines.join('\n');
}

/** Writes the SQL to a temp file and runs it against the local D1 under `persistTo`. */
export async function seed(persistTo, { rooms = 1000, perRoom = 1000 } = {}) {
  const file = join(tmpdir(), `parlor-seed-${process.pid}.sql`);
  writeFileSync(file, seedSql(rooms, perRoom));
  const t0 = Date.now();
  await wrangler(
    ['d1', 'execute', 'parlor', '--local', '--persist-to', persistTo, '--file', file],
    {
      timeoutMs: 600_000,
    },
  );
  return { rooms, perRoom, messages: rooms * perRoom, seconds: (Date.now() - t0) / 1000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      'persist-to': { type: 'string' },
      rooms: { type: 'string', default: '1000' },
      'per-room': { type: 'string', default: '1000' },
    },
  });
  if (!values['persist-to']) throw new Error('--persist-to DIR is required');
  const result = await seed(values['persist-to'], {
    rooms: Number(values.rooms),
    perRoom: Number(values['per-room']),
  });
  console.log(JSON.stringify(result));
}
