// The DuckDB peer of `parity analyse`, run by bench/national: the same
// counts, means and exact medians of hourly pay per employer and ethnicity,
// and counts per employer, pay band and ethnicity, each written to a CSV
// file. Asked as a DuckDB user would ask it:
//   grouping-sets (the default): straight from read_csv, only the columns
//     needed, both tables in one GROUP BY GROUPING SETS ((employer,
//     ethnicity), (employer, band, ethnicity));
//   two-queries: the three needed columns into a temporary table, then one
//     GROUP BY per table (so no median is worked out for the band groups);
//   table: the old way, every column copied into a table (CREATE TABLE w AS
//     SELECT *), then the two GROUP BYs.
// When several labels mean the same group (labels-2011: 'Not stated', 'Not
// known', 'Unknown' and blank), MAP.json ({"label": "label it counts as",
// ...}, from `parity classify`) rewrites them in the query, with a CASE,
// before grouping.
// Usage: node duckdb-analyse.mjs FILE.csv GROUPS.csv BANDS.csv THREADS
//                                [VARIANT] [MAP.json]
//        node duckdb-analyse.mjs --labels FILE.csv THREADS   (prints the
//                                distinct ethnicity labels, one a line)
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const args = process.argv.slice(2);

if (args[0] === '--labels') {
	const instance = await DuckDBInstance.create(':memory:', { threads: args[2] });
	const db = await instance.connect();
	const reader = await db.runAndReadAll(`SELECT DISTINCT coalesce(ethnicity, '')
		FROM read_csv(${quote(args[1])}, header = true,
			types = {'ethnicity': 'VARCHAR'})`);
	for (const row of reader.getRows())
		process.stdout.write(JSON.stringify(row[0]) + '\n');
	db.closeSync();
	process.exit(0);
}

const [file, groupsOut, bandsOut, threads, variant = 'grouping-sets', mapFile] = args;
const instance = await DuckDBInstance.create(':memory:', { threads });
const db = await instance.connect();
// annual_salary is read as DOUBLE whatever the sniffer's sample holds.
const source = `read_csv(${quote(file)}, header = true,
	types = {'annual_salary': 'DOUBLE', 'ethnicity': 'VARCHAR'})`;
let ethnicity = 'ethnicity';
if (mapFile) {
	const map = JSON.parse(readFileSync(mapFile, 'utf8'));
	const whens = Object.entries(map).map(([from, to]) =>
		`WHEN ${quote(from)} THEN ${quote(to)}`).join(' ');
	ethnicity = `CASE coalesce(ethnicity, '') ${whens}
		ELSE coalesce(ethnicity, '') END`;
}
const hourly = 'annual_salary / (52.143 * 36)';
const band = `CASE WHEN annual_salary < 20000 THEN 0
	WHEN annual_salary >= 100000 THEN 9
	ELSE floor(annual_salary / 10000)::INTEGER - 1 END`;

if (variant === 'grouping-sets') {
	await db.run(`CREATE TEMP TABLE r AS
		SELECT employer, ethnicity, band, grouping(band) AS g, count(*) AS n,
			avg(hourly) AS mean_hourly, median(hourly) AS median_hourly
		FROM (SELECT employer, ${ethnicity} AS ethnicity, ${hourly} AS hourly,
			${band} AS band FROM ${source})
		GROUP BY GROUPING SETS ((employer, ethnicity), (employer, band, ethnicity))`);
	await db.run(`COPY (SELECT employer, ethnicity, n, mean_hourly, median_hourly
		FROM r WHERE g = 1) TO ${quote(groupsOut)} (HEADER)`);
	await db.run(`COPY (SELECT employer, band, ethnicity, n FROM r WHERE g = 0)
		TO ${quote(bandsOut)} (HEADER)`);
} else {
	if (variant === 'table')
		await db.run(`CREATE TABLE w AS SELECT * FROM ${source}`);
	else
		await db.run(`CREATE TEMP TABLE w AS SELECT employer,
			${ethnicity} AS ethnicity, annual_salary FROM ${source}`);
	const eth = variant === 'table' ? ethnicity : 'ethnicity';
	await db.run(`COPY (SELECT employer, ${eth} AS ethnicity, count(*) AS n,
		avg(${hourly}) AS mean_hourly, median(${hourly}) AS median_hourly
		FROM w GROUP BY ALL) TO ${quote(groupsOut)} (HEADER)`);
	await db.run(`COPY (SELECT employer, ${band} AS band, ${eth} AS ethnicity,
		count(*) AS n FROM w GROUP BY ALL) TO ${quote(bandsOut)} (HEADER)`);
}
db.closeSync();
