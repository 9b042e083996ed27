// Creates .dev.vars with a random local signing secret on first run; never overwrites it.
import { existsSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

if (!existsSync('.dev.vars')) {
  writeFileSync('.dev.vars', `SESSION_SECRET="${randomBytes(32).toString('hex')}"\n`, {
    mode: 0o600,
  });
  console.log('Created .dev.vars with a local SESSION_SECRET');
}
