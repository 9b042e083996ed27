/**
 * A room's side of the hub shards: which shards want its activity notices (those with a
 * member online). A shard subscribes when its first such member connects and is dropped
 * when a notice finds nobody there to deliver to; `gen` numbers each subscription so a
 * late "nobody here" never cancels a newer subscription of the same shard.
 */
export class HubSubscribers {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(
      'CREATE TABLE IF NOT EXISTS hub_subscribers (shard INTEGER PRIMARY KEY, gen INTEGER NOT NULL)',
    );
  }

  add(shard: number, gen: number): void {
    this.sql.exec(
      `INSERT INTO hub_subscribers (shard, gen) VALUES (?1, ?2)
       ON CONFLICT (shard) DO UPDATE SET gen = max(gen, excluded.gen)`,
      shard,
      gen,
    );
  }

  /** Drops `shard`'s subscription if it is still the one numbered `gen`. */
  remove(shard: number, gen: number): void {
    this.sql.exec('DELETE FROM hub_subscribers WHERE shard = ? AND gen = ?', shard, gen);
  }

  shards(): number[] {
    return this.sql
      .exec<{ shard: number }>('SELECT shard FROM hub_subscribers')
      .toArray()
      .map((r) => r.shard);
  }
}
