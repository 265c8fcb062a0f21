import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/next-auth";
import { isThrottled } from "@/server/auth/throttle";
import { clientIp } from "@/server/lib/http";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

const nextAuth = (req: Request, ctx: RouteContext) => NextAuth(req as never, ctx as never, authOptions()) as Promise<Response>;

export function GET(req: Request, ctx: RouteContext) {
  return nextAuth(req, ctx);
}

/** Password sign-ins past the failure limit get HTTP 429 before next-auth sees them. */
export async function POST(req: Request, ctx: RouteContext) {
  if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
    const form = await req.clone().formData().catch(() => null);
    const email = String(form?.get("email") ?? "").trim().toLowerCase();
    if (email && (await isThrottled(email, clientIp(req.headers)))) {
      return Response.json(
        { error: "TooManyAttempts", message: "Too many failed sign-ins from this address (for this account or across accounts). Try again in 15 minutes." },
        { status: 429, headers: { "Retry-After": "900" } },
      );
    }
  }
  return nextAuth(req, ctx);
}
