import { db, type Prisma } from "../db";
import { psiCurrent, psiReferenceOf } from "../ml/column-drift";
import { psi, type PsiReference } from "../ml/psi";
import { columnCollector, readColumnData } from "./column-reader";
import { storedProfile } from "./versions";
import { checkContract, passPlan, type PassFindings } from "./contract-check";
import { readStoredTable } from "./read";
import { ZExpectations } from "./schemas";

const MISSING = new Set(["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "n/a", "-NaN", "<NA>"]);
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/**
 * The dataset.validate job: checks a profiled version against the current contract revision and
 * stores one report per (version, revision); running it again for the same revision changes nothing.
 */
export async function validateVersion(versionId: string, signal?: AbortSignal): Promise<void> {
  const version = await db().datasetVersion.findUnique({ where: { id: versionId } });
  if (!version || version.profileStatus !== "READY" || !version.profile) return;
  const contract = await db().dataContract.findUnique({ where: { datasetId: version.datasetId } });
  if (!contract) {
    await db().datasetVersion.update({ where: { id: version.id }, data: { validation: "NO_CONTRACT" } });
    return;
  }
  const expectations = ZExpectations.parse(contract.expectations);
  const profile = storedProfile(version)!;
  const prevRow = await db().datasetVersion.findFirst({
    where: { datasetId: version.datasetId, number: { lt: version.number }, profileStatus: "READY" },
    orderBy: { number: "desc" },
  });
  const previous = prevRow?.profile ? { number: prevRow.number, columns: prevRow.columns, profile: storedProfile(prevRow)! } : null;
  const plan = passPlan(expectations, previous);
  const findings: PassFindings = { duplicates: {}, disallowed: {}, psi: {} };
  const refs = new Map([...plan.psiRefs].filter((e): e is [string, PsiReference] => e[1] !== null));
  const legacy = [...plan.psiRefs].filter(([, r]) => r === null).map(([c]) => c);
  // A previous profile written before PSI references were stored: derive them from its data.
  if (prevRow && legacy.length > 0) for (const [c, data] of await readColumnData(prevRow, legacy, signal)) refs.set(c, psiReferenceOf(data));
  if (plan.needed) await measure(version, plan, refs, findings, signal);
  const results = checkContract(expectations, { columns: version.columns, rowCount: version.rowCount ?? profile.rowCount, profile, previous, findings });
  const passed = results.every((r) => r.passed);
  await db().$transaction(async (tx) => {
    await tx.validationReport.upsert({
      where: { versionId_contractRevision: { versionId: version.id, contractRevision: contract.revision } },
      create: { projectId: version.projectId, versionId: version.id, contractRevision: contract.revision, passed, results: asJson(results) },
      update: { passed, results: asJson(results) },
    });
    await tx.datasetVersion.update({ where: { id: version.id }, data: { validation: passed ? "PASSED" : "FAILED" } });
  });
}

/** One pass collecting duplicates, disallowed values and the columns whose PSI against the previous version is checked. */
async function measure(
  version: { sha256: string; format: "CSV" | "JSONL" | "PARQUET"; delimiter: string | null; encoding: string | null; columns: string[] },
  plan: ReturnType<typeof passPlan>,
  refs: Map<string, PsiReference>,
  findings: PassFindings,
  signal?: AbortSignal,
) {
  const idx = (c: string) => version.columns.indexOf(c);
  const seen = new Map<string, Set<string>>([...plan.unique].filter((c) => idx(c) >= 0).map((c) => [c, new Set<string>()]));
  const collector = columnCollector(version.columns, refs.keys());
  for (const c of seen.keys()) findings.duplicates[c] = 0;
  for (const c of plan.allowed.keys()) if (idx(c) >= 0) findings.disallowed[c] = { rows: 0, examples: [] };
  await readStoredTable(
    version,
    (rows) => {
      for (const row of rows) {
        for (const [c, set] of seen) {
          const v = String(row[idx(c)] ?? "");
          if (set.has(v) || MISSING.has(v)) findings.duplicates[c]!++;
          else set.add(v);
        }
        for (const [c, allowed] of plan.allowed) {
          const i = idx(c);
          if (i < 0) continue;
          const raw = row[i];
          if (raw === null || raw === undefined || MISSING.has(String(raw))) continue;
          const v = String(raw);
          if (!allowed.has(v)) {
            const f = findings.disallowed[c]!;
            f.rows++;
            if (f.examples.length < 20 && !f.examples.includes(v)) f.examples.push(v);
          }
        }
        collector.push(row);
      }
    },
    signal,
  );
  for (const [c, data] of collector.finish()) {
    const ref = refs.get(c)!;
    // A column that changed between number and text has no PSI: the type expectation reports it.
    if ((ref.kind === "numeric") !== (data.kind === "numeric")) continue;
    findings.psi[c] = psi(ref, psiCurrent(data)).psi;
  }
}
