import { pool } from "../db";
import { notFound } from "../errors";

/** The deployment `name` of a project (another tenant's is NOT_FOUND like a missing one). */
export async function deploymentIdByName(projectId: string, name: string): Promise<string> {
  const { rows } = await pool().query<{ id: string }>(`SELECT id FROM "Deployment" WHERE "projectId" = $1 AND name = $2`, [projectId, name]);
  if (rows.length === 0) throw notFound(`Deployment ${name}`);
  return rows[0]!.id;
}
