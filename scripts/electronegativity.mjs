// Electronegativity (Doyensec's Electron security scanner) over the app's
// sources and built renderer, as CI runs it (part of `npm test`).
//
// The tool exits 0 whatever it finds, so its CSV is read here: any HIGH or
// MEDIUM finding fails, unless security/electronegativity-accepted.json
// explains it (the README's security section says the same in words).
// LOW and INFORMATIONAL findings are printed, not failed.
//
// It is installed apart from the app (tools/electronegativity, its own
// lockfile): it brings ESLint 7 and TypeScript 4 parsers the app must not
// share. Offline it warns that it cannot fetch Electron's release list; the
// Electron version is given from package.json instead.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';

const root = fileURLToPath(new URL('..', import.meta.url));
const tool = join(root, 'tools', 'electronegativity');
const bin = join(tool, 'node_modules', '.bin', 'electronegativity');
const accepted = JSON.parse(readFileSync(join(root, 'security', 'electronegativity-accepted.json'), 'utf8'));
const electron = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.electron;

if (!existsSync(bin)) {
  console.log('electronegativity: installing it (tools/electronegativity, npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: tool, stdio: 'inherit' });
}

const out = mkdtempSync(join(tmpdir(), 'cuttings-electronegativity-'));
let findings;
try {
  const csv = join(out, 'findings.csv');
  // dist/ holds the built renderer (its index.html carries the CSP); node_modules is skipped by the tool.
  execFileSync(bin, ['-i', root, '-r', '-e', electron, '-o', csv, '-v', 'false'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (!existsSync(csv)) throw new Error('electronegativity wrote no findings file');
  const { data } = Papa.parse(readFileSync(csv, 'utf8'), { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim() });
  findings = data.map((r) => ({ issue: r.issue, severity: r.severity.trim(), file: r.filename.trim(), location: r.location.trim() }));
} finally {
  rmSync(out, { recursive: true, force: true });
}

const key = (f) => `${f.issue} ${f.file}`;
const reasons = new Map(accepted.map((a) => [`${a.issue} ${a.file}`, a.reason]));
const serious = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
const unexplained = serious.filter((f) => !reasons.has(key(f)));
const stale = accepted.filter((a) => !serious.some((f) => key(f) === `${a.issue} ${a.file}`));

const count = (s) => findings.filter((f) => f.severity === s).length;
console.log(`electronegativity ${electron ? `(Electron ${electron})` : ''}: ${findings.length} findings: HIGH ${count('HIGH')}, MEDIUM ${count('MEDIUM')}, LOW ${count('LOW')}, INFORMATIONAL ${count('INFORMATIONAL')}`);
for (const f of findings) {
  const why = reasons.get(key(f));
  console.log(`  ${f.severity.padEnd(13)} ${f.issue} ${f.file}:${f.location}${why ? `  (explained: ${why})` : ''}`);
}
if (stale.length) console.log(`electronegativity: explanations no longer needed (remove them): ${stale.map((a) => `${a.issue} ${a.file}`).join(', ')}`);
if (unexplained.length) {
  console.error(`electronegativity: ${unexplained.length} HIGH or MEDIUM finding(s) neither fixed nor explained in security/electronegativity-accepted.json`);
  process.exit(1);
}
