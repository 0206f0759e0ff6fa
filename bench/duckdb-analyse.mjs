// The DuckDB peer of `parity analyse`, run by bench/national: read_csv into
// a table, then GROUP BY for the same counts, means and exact medians of
// hourly pay per employer and ethnicity, and counts per employer, pay band
// and ethnicity, each written to a CSV file.
// Usage: node duckdb-analyse.mjs FILE.csv GROUPS.csv BANDS.csv [THREADS]
import { DuckDBInstance } from '@duckdb/node-api';

const [file, groupsOut, bandsOut, threads = '2'] = process.argv.slice(2);
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const instance = await DuckDBInstance.create(':memory:', { threads });
const db = await instance.connect();
await db.run(`CREATE TABLE w AS SELECT * FROM read_csv(${quote(file)}, header = true)`);
const hourly = 'annual_salary / (52.143 * 36)';
await db.run(`COPY (SELECT employer, ethnicity, count(*) AS n,
	avg(${hourly}) AS mean_hourly, median(${hourly}) AS median_hourly
	FROM w GROUP BY employer, ethnicity) TO ${quote(groupsOut)} (HEADER)`);
await db.run(`COPY (SELECT employer, band, ethnicity, count(*) AS n FROM (
	SELECT employer, ethnicity, CASE WHEN annual_salary < 20000 THEN 0
		WHEN annual_salary >= 100000 THEN 9
		ELSE floor(annual_salary / 10000)::INTEGER - 1 END AS band FROM w)
	GROUP BY employer, band, ethnicity) TO ${quote(bandsOut)} (HEADER)`);
db.closeSync();
