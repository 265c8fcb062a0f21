import { jsonError } from "@/server/api/http";

export const dynamic = "force-dynamic";

/** Any /api/ path no route handles: a JSON 404 like every other API answer, never the HTML not-found page. */
const notFound = (req: Request) => jsonError(404, "NOT_FOUND", `No API endpoint at ${req.method} ${new URL(req.url).pathname}`);

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as OPTIONS };
