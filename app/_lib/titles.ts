import type { Metadata } from "next";
import { serverCaller } from "@/server/api/server-caller";

type Caller = Awaited<ReturnType<typeof serverCaller>>;
type Params = Record<string, string>;
type Part = string | null | undefined;

/**
 * Tab titles that name what the page shows ("gbdt-3 · Runs · eta-prediction · Cairn"), so that a
 * dozen open tabs can be told apart. A page whose objects cannot be read keeps the plain `section`
 * (the page itself answers 404 or sends the visitor to sign in).
 */
function titled(section: string, parts: (caller: Caller, params: Params) => Promise<Part[]>) {
  return async ({ params }: { params: Promise<Params> }): Promise<Metadata> => {
    try {
      const named = (await parts(await serverCaller(), await params)).filter((p): p is string => !!p);
      return { title: named.join(" · ") || section };
    } catch {
      return { title: section };
    }
  };
}

/** Title of an organisation page: the section and the organisation's name. */
export function orgTitle(section: string) {
  return titled(section, async (caller, p) => [section, (await caller.org.get({ orgSlug: p.org! })).name]);
}

/** Title of a project page: an optional object named by `detail`, the section and the project's name. */
export function projectTitle(section: string, detail?: (caller: Caller, projectId: string, params: Params) => Promise<Part>) {
  return titled(section, async (caller, p) => {
    const project = await caller.project.get({ orgSlug: p.org!, projectSlug: p.project! });
    return [detail ? await detail(caller, project.id, p) : null, section, project.name];
  });
}
