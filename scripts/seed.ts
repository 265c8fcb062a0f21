/**
 * Seeds the demo: organisation "Acme Logistics", project "eta-prediction" and its owner account.
 * Idempotent: an existing demo owner is left as it is. `npm run db:seed` runs it alone.
 */
import { pathToFileURL } from "node:url";

export const DEMO = {
  email: "demo@cairn.local",
  name: "Demo Owner",
  orgName: "Acme Logistics",
  orgSlug: "acme-logistics",
  projectName: "ETA prediction",
  projectSlug: "eta-prediction",
  projectDescription: "Predicts delivery time in minutes from distance, traffic, weather and driver experience.",
};

/** Needs DATABASE_URL in the environment before it is called (server modules read it on first use). */
export async function seedDemo(password: string): Promise<{ created: boolean }> {
  const { db } = await import("../server/db");
  const { signUp } = await import("../server/auth/sign-up");
  const { createProject } = await import("../server/tenancy/projects");
  if (await db().user.findUnique({ where: { email: DEMO.email } })) return { created: false };
  const { userId } = await signUp({ email: DEMO.email, name: DEMO.name, password, orgName: DEMO.orgName });
  const membership = await db().membership.findFirstOrThrow({ where: { userId }, include: { org: true } });
  if (membership.org.slug !== DEMO.orgSlug) {
    await db().organization.update({ where: { id: membership.orgId }, data: { slug: DEMO.orgSlug } }).catch(() => undefined);
  }
  await createProject({
    orgId: membership.orgId,
    name: DEMO.projectName,
    slug: DEMO.projectSlug,
    description: DEMO.projectDescription,
    actor: { type: "user", id: userId, label: DEMO.email },
  });
  return { created: true };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { withDatabase } = await import("./lib/database");
  const { loadLocalSecrets } = await import("./lib/secrets");
  const { applyMigrations } = await import("./db/engine");
  const password = process.env.CAIRN_DEMO_PASSWORD ?? (await loadLocalSecrets()).demoPassword;
  await withDatabase(async (url) => {
    process.env.DATABASE_URL = url;
    await applyMigrations(url);
    const { created } = await seedDemo(password);
    console.log(created ? `Seeded the demo. Sign in as ${DEMO.email} / ${password}` : "The demo is already seeded.");
    const { closeDb } = await import("../server/db");
    await closeDb();
  });
}
