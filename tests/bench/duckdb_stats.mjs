// SPDX-License-Identifier: MIT
// duckdb_stats.mjs - the comparison: DuckDB (node API) computing per-label
// count, mean, min, max and exact p50/p90/p95/p99 of elapsed from a JTL CSV.
// Usage: node duckdb_stats.mjs FILE THREADS
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2].replaceAll("'", "''");
const threads = process.argv[3] || '2';
const inst = await DuckDBInstance.create(':memory:', { threads });
const con = await inst.connect();
const r = await con.runAndReadAll(`
  SELECT label, count(*) AS n, avg(elapsed) AS mean,
         min(elapsed) AS mn, max(elapsed) AS mx,
         quantile_disc(elapsed, 0.5) AS p50, quantile_disc(elapsed, 0.9) AS p90,
         quantile_disc(elapsed, 0.95) AS p95, quantile_disc(elapsed, 0.99) AS p99
  FROM read_csv('${file}', header = true, auto_detect = true)
  GROUP BY label ORDER BY label`);
const rows = r.getRows();
let n = 0n;
for (const row of rows) n += BigInt(row[1]);
console.log(`labels=${rows.length} samples=${n}`);
